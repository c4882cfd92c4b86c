"""netlog.ratelimit.allow: a fixed-window rate limit on the shared cache."""

import hashlib

import pytest
from django.core.cache import cache

from netlog.ratelimit import allow, client_address


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def hits(key: str, n: int, *, limit: int = 3, window_seconds: int = 60) -> list[bool]:
    return [allow(key, limit=limit, window_seconds=window_seconds) for _ in range(n)]


def test_it_allows_limit_hits_then_refuses():
    assert hits("a", 5) == [True, True, True, False, False]


def test_it_allows_exactly_one_hit_at_a_limit_of_one():
    assert hits("a", 2, limit=1) == [True, False]


def test_it_counts_each_key_apart():
    assert hits("a", 4) == [True, True, True, False]
    assert hits("b", 3) == [True, True, True]
    assert hits("a", 1) == [False]


def _key(key: str) -> str:
    """The cache key: hashed, so the cache holds no one's address."""
    return "ratelimit:" + hashlib.sha256(key.encode()).hexdigest()


def test_the_cache_key_holds_no_address():
    hits("203.0.113.7", 1)

    assert cache.get(_key("203.0.113.7")) == 1
    assert cache.get("ratelimit:203.0.113.7") is None


def test_it_allows_again_in_a_new_window():
    hits("a", 4)
    cache.delete(_key("a"))  # the window's key expires

    assert hits("a", 4) == [True, True, True, False]


def test_the_window_ends_when_the_key_expires(monkeypatch):
    """The count lives for window_seconds: the cache is given that timeout."""
    timeouts = []
    real_add = cache.add

    def add(key, value, timeout=None, **kwargs):
        timeouts.append((key, timeout))
        return real_add(key, value, timeout=timeout, **kwargs)

    monkeypatch.setattr(cache, "add", add)
    allow("a", limit=3, window_seconds=900)

    assert timeouts == [(_key("a"), 900)]


def test_it_starts_a_new_window_if_the_key_expires_between_add_and_incr(monkeypatch):
    hits("a", 1)
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)  # as if still there
    cache.delete("ratelimit:a")  # ... then gone before the increment

    assert allow("a", limit=3, window_seconds=60) is True


@pytest.mark.parametrize(
    "meta, address",
    [
        ({"REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),
        ({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}, "203.0.113.7"),
        # A client's own entries come first; the proxy appends the address it saw.
        (
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7"},
            "203.0.113.7",
        ),
    ],
)
def test_the_client_address_is_the_one_the_proxy_saw(rf, meta, address):
    request = rf.get("/", **meta)
    request.META.update(meta)

    assert client_address(request) == address
