"""A real Chromium, driven by Playwright's sync API, against pytest-django's live_server.

The browser is Debian's /usr/bin/chromium (Playwright's own browser download is never
used). Without it the browser tests skip, except on CI, where they fail: CI must never
pass by silently skipping them.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    WebError,
    expect,
    sync_playwright,
)

from tests.processes import skip_unless_ci

# Playwright's sync API keeps an asyncio event loop marked as running in this thread
# for as long as Playwright is started (here: while the browser tests run). Django then
# refuses ORM calls from the thread with SynchronousOnlyOperation. The tests make plain
# blocking ORM calls between browser steps, never from a coroutine, so the check does
# not apply to them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Fail fast: every step of these pages takes milliseconds on the live server.
TIMEOUT_MS = 5_000
# Schemes that never leave the browser (Bootstrap's CSS inlines its SVG icons as data:).
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium package to run browser tests"
        skip_unless_ci(reason)
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        # While the loop runs, Django keeps its connections per asyncio context; close
        # them now, or the one left open blocks dropping the test database at the end.
        connections.close_all()


@dataclass
class NetworkLog:
    """Every request a browser context makes, and how each one ended.

    netlog holds personal data: its pages must not call a CDN, a font service or
    any other third party, which would learn who looks at which contact.
    """

    origin: str
    requests: list[Request] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    # What the Content Security Policy blocked, and scripts that threw: an inline
    # script, style or handler (ours, or one injected through a field) shows up here.
    refused: list[str] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        context.on("request", self._on_request)
        context.on("response", self._on_response)
        context.on("requestfailed", self._on_request_failed)
        context.on("console", self._on_console)
        context.on("weberror", self._on_web_error)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.refused.append(message.text)

    def _on_web_error(self, error: WebError) -> None:
        self.refused.append(str(error.error))

    # Playwright tags its handlers with an attribute, so they cannot be builtins
    # such as list.append.
    def _on_request(self, request: Request) -> None:
        self.requests.append(request)

    def _on_response(self, response: Response) -> None:
        self.responses.append(response)

    def _on_request_failed(self, request: Request) -> None:
        # A navigation cancels the previous page's pending requests: that is no failure.
        if request.failure != "net::ERR_ABORTED":
            self.failures.append(f"{request.url}: {request.failure}")

    def third_party_urls(self) -> list[str]:
        return [
            r.url
            for r in self.requests
            if urlsplit(r.url).scheme not in LOCAL_SCHEMES and _origin(r.url) != self.origin
        ]

    def static_responses(self) -> list[tuple[str, int]]:
        """(path, status) of every static asset response, in order, repeats included."""
        return [
            (urlsplit(r.url).path, r.status)
            for r in self.responses
            if _origin(r.url) == self.origin and urlsplit(r.url).path.startswith("/static/")
        ]

    def assert_no_third_party_requests(self) -> None:
        assert self.third_party_urls() == [], "requests left the live server"

    def assert_nothing_refused(self) -> None:
        assert self.refused == [], "the page broke its Content Security Policy or threw"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def network(live_server) -> NetworkLog:
    return NetworkLog(origin=live_server.url)


@pytest.fixture
def page(browser: Browser, network: NetworkLog) -> Iterator[Page]:
    """A fresh context (no cookies, no cache) per test, on the live server's origin.

    Every test is also checked on teardown for third-party requests, for anything the
    Content Security Policy refused and for script errors, so a new browser test cannot
    forget the checks.
    """
    # A UK user's browser: dates in inputs read 25/11/2026.
    context = browser.new_context(
        base_url=network.origin, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(TIMEOUT_MS)
    network.watch(context)
    yield context.new_page()
    context.close()
    network.assert_no_third_party_requests()
    network.assert_nothing_refused()
