"""How large a request body may be, checked before any of it is read.

Django caps a form's fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not its files: a file
posted to any form would be written to a temporary file to the last byte before a view
could refuse it. So every POST whose declared length is over its view's limit gets 413
and a page that says the limit, unread. Views that take files say how much with
`@takes_uploads`; every other view takes DATA_UPLOAD_MAX_MEMORY_SIZE. The view's own
checks of a file (size, type, content) still give the precise message for a file near
its limit. A body sent without a declared length (chunked) is left to the proxy,
which caps every body (README: client_max_body_size).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.deprecation import MiddlewareMixin

MARGIN = 64 * 1024  # a multipart body's boundaries, headers and other fields


def takes_uploads(max_bytes: Callable[[], int]):
    """Mark a view as taking files of up to max_bytes() (read at each request, so a
    setting can be changed in tests)."""

    def mark(view):
        view.upload_max_bytes = max_bytes
        return view

    return mark


def body_limit(view_func) -> int | None:
    """The most a POST to `view_func` may declare; None for no limit (Django's own
    DATA_UPLOAD_MAX_MEMORY_SIZE = None)."""
    limit = getattr(view_func, "upload_max_bytes", None)
    most = limit() if limit else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return None if most is None else most + MARGIN


class BodySizeMiddleware(MiddlewareMixin):
    """Before CsrfViewMiddleware, the first to read a POST body."""

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(view_func)
        if limit is None or length <= limit:
            return None
        return render(
            request,
            "413.html",
            {"limit_mb": max(1, round(limit / 2**20))},
            status=413,
        )
