"""netlog.formats.day and day_month write a day as Django's `date:"j M Y"` and
`date:"j M"` do, and
netlog.paths.path_to gives what reverse() gives, for a fraction of the cost each."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from netlog.paths import path_to

UTC = zoneinfo.ZoneInfo("UTC")


OURS = {"j M Y": "day", "j M": "day_month"}


def _both(value, form: str = "j M Y") -> tuple[str, str]:
    template = Template(f'{{{{ value|date:"{form}" }}}}|{{{{ value|{OURS[form]} }}}}')
    django_says, ours = template.render(Context({"value": value})).split("|")
    return django_says, ours


@pytest.mark.parametrize("form", OURS)
@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31)))
def test_a_day_reads_as_djangos_date_filter_writes_it(form, value):
    django_says, ours = _both(value, form)
    assert ours == django_says


@given(
    st.datetimes(
        min_value=datetime.datetime(1990, 1, 1),
        max_value=datetime.datetime(2100, 1, 1),
        timezones=st.just(UTC),
    )
)
def test_a_moment_is_its_local_day(value):
    django_says, ours = _both(value)
    assert ours == django_says


def test_late_on_a_summer_evening_in_utc_is_the_next_day_in_london():
    value = datetime.datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    assert _both(value) == ("2 Jul 2026", "2 Jul 2026")
    assert timezone.localtime(value).date() == datetime.date(2026, 7, 2)


@pytest.mark.parametrize("form", OURS)
@pytest.mark.parametrize("empty", [None, ""])
def test_no_day_writes_nothing(empty, form):
    assert _both(empty, form)[1] == ""


@pytest.mark.parametrize(
    "viewname",
    ["contacts:contact_detail", "contacts:activity_detail", "reviews:review_detail"],
)
@pytest.mark.parametrize("pk", [1, 7, 2147483647, 10**12])
def test_a_path_is_what_reverse_gives(viewname, pk):
    assert path_to(viewname, pk) == reverse(viewname, args=[pk])


def test_a_path_follows_a_change_of_urlconf():
    before = path_to("contacts:contact_detail", 3)
    with override_settings(ROOT_URLCONF="tests.netlog.urls_elsewhere"):
        assert path_to("contacts:contact_detail", 3) == "/elsewhere/contacts/3/"
    assert path_to("contacts:contact_detail", 3) == before == "/contacts/3/"
