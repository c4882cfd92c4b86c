"""Typed readers for environment variables that fail loudly on bad values.

A typo in production configuration ("DEBUG=flase") must stop the process at start-up,
not quietly fall back to a default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def envstr(name: str, default: str = "") -> str:
    """A string; unset and blank both mean the default (`LOG_LEVEL=` in an .env file)."""
    return os.environ.get(name, "").strip() or default


def envbool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name, "")
    value = raw.strip().lower()
    if not value:  # unset or blank (`SECURE_SSL_REDIRECT=` in an .env file)
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def envint(name: str, default: int, *, min_value: int | None = None) -> int:
    raw = os.environ.get(name, "")
    if not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None
    if min_value is not None and value < min_value:
        raise ImproperlyConfigured(f"{name} must be at least {min_value}; got {value}")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blanks between commas are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]
