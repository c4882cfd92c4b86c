"""How long a signed-in session lasts: SESSION_IDLE_SECONDS without a request ends it,
and so does SESSION_COOKIE_AGE after signing in, however busy. The user is signed out,
sent to the login page (and back afterwards) and told why.

A deactivated account's session ends at its next request without this: Django's
ModelBackend refuses to load an inactive user, and a deleted one is not there.

The time of the last request is written to the session at most once a minute, so an
idle limit does not cost a session write on every page.
"""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, JsonResponse
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import url_has_allowed_host_and_scheme

from netlog.formats import duration

STARTED = "netlog_signed_in_at"
SEEN = "netlog_seen_at"
SEEN_EVERY = 60  # seconds between writes of the last request's time


@receiver(user_logged_in)
def _signed_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED] = now
        request.session[SEEN] = now


class SessionLimitsMiddleware(MiddlewareMixin):
    """Checked before each view that needs a signed-in user (public pages, the login
    page among them, are left alone). Once signed out, a page asked for by GET is
    where the user goes back to after signing in again; a form posted is not (it would
    be asked for by GET): they go back to the page the form was on. A page's polling
    (a JSON request) gets 401, and the page reloads itself onto the login page."""

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or not getattr(view_func, "login_required", True):
            return None
        now = int(time.time())
        session = request.session
        started = session.setdefault(STARTED, now)  # a session from before this rule
        seen = session.setdefault(SEEN, now)
        why = ""
        if now - seen > settings.SESSION_IDLE_SECONDS:
            why = f"after {duration(settings.SESSION_IDLE_SECONDS)} without activity"
        elif now - started > settings.SESSION_COOKIE_AGE:
            why = f"{duration(settings.SESSION_COOKIE_AGE)} after signing in"
        if not why:
            if now - seen >= SEEN_EVERY:
                session[SEEN] = now
            return None
        logout(request)
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"signed_out": why}, status=401)
        messages.info(request, f"You were signed out {why}. Sign in again to go on.")
        return redirect_to_login(_back_to(request))


def _back_to(request: HttpRequest) -> str:
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return urlsplit(referer).path or "/"
    return "/"
