"""A small fixed-window rate limit on the shared cache (Redis in production), for the
few pages anyone may reach without signing in."""

from django.core.cache import cache


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; False once it has had `limit` hits in this window."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: a new window
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return hits <= limit
