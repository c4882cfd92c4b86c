"""The hardened settings at work: the deployment checks, the headers every page sends,
the cookies, how long a session lasts, and sign-in throttling (django-axes)."""

import logging
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from netlog.sessions import SEEN, STARTED
from tests.factories import PASSWORD, UserFactory
from tests.netlog.test_settings import bare_environment

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/accounts/login/"


def test_production_settings_pass_the_deployment_checks_with_no_warning():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            # Playwright's fixtures set DJANGO_ALLOW_ASYNC_UNSAFE in this process, which
            # no deployment sets (and the checks reject).
            **{k: v for k, v in bare_environment().items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "netlog.example",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.fixture
def priya(db):
    return UserFactory(username="priya")


def _sign_in(client, username="priya", password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_every_page_sends_a_strict_content_security_policy(client, priya):
    _sign_in(client)
    for url in [LOGIN, "/", "/contacts/"]:
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["base-uri"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe" not in policy


def test_https_responses_carry_hsts_and_the_other_security_headers(client, db):
    response = client.get(LOGIN, secure=True)

    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_cookies_are_host_only_secure_http_only_and_same_site(client, priya):
    client.get(LOGIN, secure=True)
    response = client.post(LOGIN, {"username": "priya", "password": PASSWORD}, secure=True)

    session = response.cookies["__Host-sessionid"]
    csrf = client.cookies["__Host-csrftoken"]
    for cookie in (session, csrf):
        assert cookie["secure"] and cookie["httponly"]
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/"
        assert not cookie["domain"]  # the __Host- prefix forbids one


def _template_dirs() -> list[Path]:
    """Ours, and those of the packages whose templates our pages render."""
    import crispy_bootstrap5
    import django

    return [
        ROOT / "templates",
        Path(crispy_bootstrap5.__file__).parent / "templates",
        Path(django.__file__).parent / "forms" / "templates",
        Path(django.__file__).parent / "contrib" / "admin" / "templates",
    ]


def test_no_template_has_inline_script_style_or_event_handler():
    """What the policy would block, caught before a browser does."""
    found = []
    for path in (p for folder in _template_dirs() for p in folder.rglob("*.html")):
        if path.name == "pack.html":  # the PDF's layout, read by WeasyPrint, not a browser
            continue
        text = path.read_text()
        for pattern in [r"<script(?![^>]*\bsrc=)[^>]*>", r"\sstyle=\"", r"\son[a-z]+=\""]:
            found += [f"{path}: {m}" for m in re.findall(pattern, text)]
    assert found == []


# Sessions


def _age(client, **seconds_ago: int) -> None:
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"started": STARTED, "seen": SEEN}[key]] = now - ago
    session.save()


def test_a_session_idle_for_too_long_is_signed_out_and_told_why(client, priya):
    _sign_in(client)
    _age(client, seen=settings.SESSION_IDLE_SECONDS + 1)

    response = client.get("/contacts/", follow=True)

    assert response.redirect_chain[0][0] == f"{LOGIN}?next=/contacts/"
    assert "_auth_user_id" not in client.session
    assert "You were signed out after 30 minutes without activity." in (response.content.decode())


def test_a_busy_session_still_ends_its_lifetime_after_signing_in(client, priya):
    _sign_in(client)
    _age(client, started=settings.SESSION_COOKIE_AGE + 1, seen=5)

    response = client.get("/", follow=True)

    assert "_auth_user_id" not in client.session
    assert "You were signed out 8 hours after signing in." in response.content.decode()


def test_an_active_session_goes_on_and_notes_the_time_at_most_once_a_minute(client, priya):
    _sign_in(client)
    _age(client, started=3600, seen=10)
    before = client.session[SEEN]

    assert client.get("/contacts/").status_code == 200
    assert client.session[SEEN] == before  # not written again within the minute

    _age(client, seen=settings.SESSION_IDLE_SECONDS - 1)
    assert client.get("/contacts/").status_code == 200
    assert client.session[SEEN] >= int(time.time()) - 2


def test_a_deactivated_account_is_signed_out_at_its_next_request(client, priya):
    _sign_in(client)
    assert client.get("/contacts/").status_code == 200

    priya.is_active = False
    priya.save()

    response = client.get("/contacts/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_a_deleted_account_is_signed_out_at_its_next_request(client, priya):
    _sign_in(client)
    priya.delete()

    response = client.get("/contacts/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


# Sign-in throttling


def test_five_wrong_passwords_lock_the_username_out_from_that_address(client, priya, caplog):
    caplog.set_level(logging.DEBUG)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, password="wrong").status_code == 200
    locked = _sign_in(client, password="wrong")

    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many sign-in attempts" in page
    assert "After 5 wrong passwords in a row" in page and "for 15 minutes" in page
    # Now even the right password is refused, and no session is made.
    assert _sign_in(client).status_code == 429
    assert "_auth_user_id" not in client.session
    # The attempts name the user in the database only while the lock lasts; the logs
    # name no one.
    assert "priya" not in caplog.text


def test_the_lock_is_for_that_username_only(client, priya):
    UserFactory(username="sam")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, password="wrong")

    assert _sign_in(client, username="sam").status_code == 302


def test_the_lock_is_for_the_address_the_proxy_saw(client, priya):
    """Behind the reverse proxy every request comes from its address: the lock goes by
    the client's, which the proxy appends to X-Forwarded-For."""
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "priya", "password": "wrong"}, **attacker)

    again = client.post(LOGIN, {"username": "priya", "password": PASSWORD}, **attacker)
    elsewhere = client.post(
        LOGIN,
        {"username": "priya", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )

    assert again.status_code == 429
    assert elsewhere.status_code == 302  # Priya herself still signs in


def test_the_lock_lifts_after_the_cool_off(client, priya):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, password="wrong")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - settings.AXES_COOLOFF_TIME
    )

    response = _sign_in(client)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_a_right_password_resets_the_count(client, priya):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, password="wrong")
    assert _sign_in(client).status_code == 302
    client.post(reverse("logout"))

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, password="wrong").status_code == 200
    assert not AccessAttempt.objects.filter(failures_since_start__gte=5).exists()


def test_a_form_posted_after_the_limit_sends_back_to_its_page_not_to_the_form_url(client, priya):
    _sign_in(client)
    _age(client, seen=settings.SESSION_IDLE_SECONDS + 1)

    response = client.post("/contacts/12/log/", {}, HTTP_REFERER="http://testserver/contacts/12/")

    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=/contacts/12/"


def test_a_form_posted_from_elsewhere_after_the_limit_goes_home_after_signing_in(client, priya):
    _sign_in(client)
    _age(client, seen=settings.SESSION_IDLE_SECONDS + 1)

    response = client.post("/contacts/12/log/", {}, HTTP_REFERER="https://evil.example/x/")

    assert response.url == f"{LOGIN}?next=/"


def test_a_pages_polling_after_the_limit_gets_401_not_the_login_page(client, priya):
    _sign_in(client)
    _age(client, seen=settings.SESSION_IDLE_SECONDS + 1)

    response = client.get("/imports/1/status/", HTTP_ACCEPT="application/json")

    assert response.status_code == 401
    assert "_auth_user_id" not in client.session
