"""The template filters of the privacy pages."""

import datetime

import pytest
from django.test import override_settings

from privacy.templatetags.privacy_tags import due_state, iso_date
from tests.factories import DataRequestFactory


@pytest.mark.parametrize(
    "value, shown",
    [
        ("2026-11-26", "26 Nov 2026"),
        ("2027-02-01", "1 Feb 2027"),
        ("", ""),
        (None, ""),
        ("not a date", "not a date"),
    ],
)
def test_iso_date_reads_the_json_dates_the_british_way(value, shown):
    assert iso_date(value) == shown


@override_settings(TIME_ZONE="Europe/London")
def test_iso_date_shows_a_moment_in_london_time():
    assert iso_date("2026-07-01T12:30:00+00:00") == "1 Jul 2026, 13:30"


@pytest.mark.django_db
def test_due_state_is_the_requests_own_rule():
    request = DataRequestFactory(received_on=datetime.date(2026, 11, 2))

    assert due_state(request, request.due_on) == request.due_state(request.due_on) == "soon"
    assert due_state(request, request.due_on + datetime.timedelta(days=1)) == "overdue"
