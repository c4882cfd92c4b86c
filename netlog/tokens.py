"""Secret links (a testimony request, a calendar feed): the token is shown once and
only its SHA-256 is stored, so a copy of the database opens nothing."""

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
