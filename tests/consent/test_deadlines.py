import csv
import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import consent
from consent.deadlines import add_months, extended_due, may_extend, next_working_day, response_due
from consent.models import BankHoliday

D = datetime.date
CSV = Path(consent.__file__).parent / "data" / "bank-holidays-england-and-wales.csv"
# Property tests run outside the database: read the same data file the migration loads.
with CSV.open(encoding="utf-8") as rows:
    _HOLIDAYS = {D.fromisoformat(row["date"]) for row in csv.DictReader(rows)}


@pytest.fixture
def holidays(db) -> set[datetime.date]:
    return BankHoliday.objects.date_set()


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2025, 9, 3), D(2025, 10, 3)),  # the ICO's own example: day one is the day received
        (D(2026, 1, 31), D(2026, 2, 28)),  # no 31 February: the month's last day
        (D(2028, 1, 31), D(2028, 2, 29)),  # a leap year
        (D(2026, 3, 31), D(2026, 4, 30)),
        (D(2026, 12, 15), D(2027, 1, 15)),  # across the year end
    ],
)
def test_a_calendar_month_from_the_day_received(received, due):
    assert add_months(received, 1) == due


@pytest.mark.parametrize(
    ("received", "due", "why"),
    [
        (D(2026, 9, 3), D(2026, 10, 5), "3 Oct 2026 is a Saturday"),
        (D(2026, 10, 4), D(2026, 11, 4), "a Wednesday: no change"),
        (
            D(2026, 11, 25),
            D(2026, 12, 29),
            "25 Dec is Christmas, 26-27 the weekend, 28 the Boxing Day substitute",
        ),
        (D(2026, 3, 3), D(2026, 4, 7), "3 Apr is Good Friday, then the weekend and Easter Monday"),
        (D(2027, 4, 30), D(2027, 6, 1), "30 May is a Sunday, 31 May the spring bank holiday"),
    ],
)
def test_a_due_date_on_a_weekend_or_bank_holiday_moves_to_the_next_working_day(
    holidays, received, due, why
):
    assert response_due(received, holidays) == due, why


def test_an_extension_adds_two_further_months(holidays):
    assert extended_due(D(2026, 9, 3), holidays) == D(2026, 12, 3)
    # 31 Oct + 3 months: 31 Jan 2027 is a Sunday, so Monday 1 Feb.
    assert extended_due(D(2026, 10, 31), holidays) == D(2027, 2, 1)


def test_an_extension_is_possible_only_within_the_first_month(holidays):
    received = D(2026, 9, 3)  # due Monday 5 Oct 2026
    assert may_extend(received, D(2026, 9, 3), holidays)
    assert may_extend(received, D(2026, 10, 5), holidays)
    assert not may_extend(received, D(2026, 10, 6), holidays)
    assert not may_extend(received, D(2026, 9, 2), holidays)


def test_next_working_day_keeps_a_working_day():
    assert next_working_day(D(2026, 11, 25), set()) == D(2026, 11, 25)


def test_bank_holidays_are_data_loaded_by_migration(holidays):
    assert D(2026, 12, 28) in holidays
    assert BankHoliday.objects.get(date=D(2026, 12, 28)).name == "Boxing Day (substitute day)"
    assert all(day.weekday() < 5 for day in holidays)  # substitutes, never weekends


@given(st.dates(min_value=D(2025, 1, 1), max_value=D(2028, 9, 30)))
def test_every_due_date_is_a_working_day_a_month_or_a_few_days_more_away(received):
    holidays = set(_HOLIDAYS)
    due = response_due(received, holidays)
    assert due.weekday() < 5 and due not in holidays
    assert add_months(received, 1) <= due <= add_months(received, 1) + datetime.timedelta(days=5)
    assert 28 <= (due - received).days <= 36
    assert extended_due(received, holidays) > due


@given(st.dates(), st.integers(min_value=0, max_value=36))
def test_add_months_lands_in_the_right_month_never_past_its_end(day, months):
    if day.year + (day.month - 1 + months) // 12 > datetime.MAXYEAR:
        return
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    if later.day != day.day:  # clipped: only to the last day of a shorter month
        assert later.day < day.day
        assert (later + datetime.timedelta(days=1)).day == 1
