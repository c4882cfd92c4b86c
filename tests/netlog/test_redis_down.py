"""Redis down: pages still work, and every job asked for is either queued or reported
as not started, never silently lost.

"Down" is a real Redis client pointed at a port where nothing listens (the cache and
the Celery broker both), as when the Redis server has stopped: the same connection
errors, not a mock of them."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from contacts.models import Contact
from netlog.celery import app
from portfolio.models import Export, ExportStatus
from privacy.models import Status
from reviews import services as reviews_services
from takeout.services import calendar_feed_create
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory, DataRequestFactory, approved

NOWHERE = "redis://127.0.0.1:1/0"  # port 1: connection refused

# Committed for real: a job is sent when the transaction that asked for it commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": NOWHERE,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    saved = {
        key: app.conf[key] for key in ["task_always_eager", "broker_url", "task_publish_retry"]
    }
    app.conf.update(task_always_eager=False, broker_url=NOWHERE, task_publish_retry=False)
    app._after_fork()  # drop any pooled connection to the broker that was
    yield
    app.conf.update(saved)
    app._after_fork()
    caches["default"].close()


def test_the_pages_still_work(redis_down, recruiter, client):
    contact = ContactFactory(owner=recruiter)
    ActivityFactory(owner=recruiter, contacts=[contact])
    as_recruiter = client_for(recruiter)
    for url in [
        reverse("dashboard"),
        reverse("contacts:contact_list"),
        contact.get_absolute_url(),
        reverse("contacts:activity_list"),
        reverse("reviews:health"),
    ]:
        assert as_recruiter.get(url).status_code == 200, url

    # The public pages, whose rate limits live in Redis, let people through meanwhile.
    _, token = reviews_services.testimony_request_create(
        contact=contact, by=recruiter, activities=[], message=""
    )
    assert client.get(reverse("reviews:testimony_public"), {"t": token}).status_code == 302
    assert client.get(reverse("reviews:testimony_public")).status_code == 200
    _, feed = calendar_feed_create(owner=recruiter)
    assert client.get(reverse("takeout:calendar_feed"), {"token": feed}).status_code == 200


def test_a_pack_asked_for_says_it_could_not_be_built(redis_down, recruiter):
    response = client_for(recruiter).post(
        reverse("portfolio:export_create", args=[recruiter.pk]), follow=True
    )

    export = Export.objects.get()
    assert export.status == ExportStatus.FAILED
    assert "The pack could not be built. Try again from the portfolio." in (
        response.content.decode()
    )


def test_an_erasure_started_says_it_did_not_start_and_can_be_started_again(
    redis_down, recruiter, dpo
):
    person = ContactFactory(owner=recruiter)
    request = approved(DataRequestFactory(contacts=[person], received_by=dpo))

    response = client_for(dpo).post(
        reverse("privacy:request_carry_out", args=[request.pk]), follow=True
    )

    page = response.content.decode()
    assert "The erasure could not be started: the job queue is not answering." in page
    assert "Erasure started" not in page
    request.refresh_from_db()
    assert request.status == Status.APPROVED and request.erasure_queued_at is None
    assert Contact.objects.filter(pk=person.pk).exists()
    assert 'action="{}"'.format(reverse("privacy:request_carry_out", args=[request.pk])) in page
