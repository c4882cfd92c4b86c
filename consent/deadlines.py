"""UK GDPR response deadlines, counted the way the ICO counts them.

The day a request is received is day one, so the response is due on the same date a
calendar month later (received 3 September: due 3 October). Where that month has no
such date, the due date is its last day (received 31 January: due 28 or 29 February).
A due date on a weekend or a bank holiday moves to the next working day. A complex
request may be extended by two further months, but only if the person is told, with
the reason, within the first month.

Pure functions over dates; the bank holidays are passed in (they are data, kept in
the BankHoliday table and editable by admins).
"""

import calendar
import datetime
from collections.abc import Collection

RESPONSE_MONTHS = 1
EXTENSION_MONTHS = 2


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same date `months` later, or that month's last day if it has no such date."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def next_working_day(day: datetime.date, holidays: Collection[datetime.date]) -> datetime.date:
    """`day` itself if it is a working day, else the first working day after it."""
    while day.weekday() >= 5 or day in holidays:
        day += datetime.timedelta(days=1)
    return day


def response_due(received: datetime.date, holidays: Collection[datetime.date]) -> datetime.date:
    return next_working_day(add_months(received, RESPONSE_MONTHS), holidays)


def extended_due(received: datetime.date, holidays: Collection[datetime.date]) -> datetime.date:
    """The due date after the two-month extension for a complex request."""
    return next_working_day(add_months(received, RESPONSE_MONTHS + EXTENSION_MONTHS), holidays)


def may_extend(
    received: datetime.date, today: datetime.date, holidays: Collection[datetime.date]
) -> bool:
    """An extension must be told to the person within the first month: up to and
    including the original due date."""
    return received <= today <= response_due(received, holidays)
