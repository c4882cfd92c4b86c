"""A small fixed-window rate limit on the shared cache (Redis in production), for the
few pages anyone may reach without signing in. With Redis down it lets requests
through (and logs it): the pages keep working, unthrottled until Redis is back."""

import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; False once it has had `limit` hits in this window."""
    # Hashed: the cache (Redis) need not hold anyone's IP address.
    cache_key = "ratelimit:" + hashlib.sha256(key.encode()).hexdigest()
    try:
        if cache.add(cache_key, 1, timeout=window_seconds):
            return True
        try:
            hits = cache.incr(cache_key)
        except ValueError:  # expired between add and incr: a new window
            cache.add(cache_key, 1, timeout=window_seconds)
            return True
    except Exception:  # the cache's client raises its own errors (redis.ConnectionError)
        logger.warning("Rate limit not applied: the cache is not answering")
        return True
    return hits <= limit


def client_address(request) -> str:
    """Who is asking, as the reverse proxy saw them: the last X-Forwarded-For entry
    (the one the proxy appended; a client can only add entries before it), or the
    socket's address when there is no proxy."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
