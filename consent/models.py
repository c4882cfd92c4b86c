"""Data protection records: bank holidays for deadlines (more arrives with issue 3)."""

import datetime

from django.db import models


class BankHolidayQuerySet(models.QuerySet):
    def dates(self) -> set[datetime.date]:
        return set(self.values_list("date", flat=True))


class BankHoliday(models.Model):
    """An England and Wales bank holiday: deadlines skip it. Data, not code: admins add
    each year's dates (a migration loads them from data/bank-holidays-*.csv)."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)

    objects = BankHolidayQuerySet.as_manager()

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d/%m/%Y})"
