"""Every list in the Django admin opens: a model's queryset methods must not shadow the
QuerySet API the admin calls (BankHolidayQuerySet.dates() once did, and its list, with
a date hierarchy, answered 500)."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from consent.models import BankHoliday


def changelists() -> list[str]:
    return [
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    ]


@pytest.mark.parametrize("name", changelists())
def test_the_admin_list_opens(admin_client, name: str) -> None:
    assert admin_client.get(reverse(name)).status_code == 200


def test_the_bank_holidays_list_drills_into_a_year(admin_client) -> None:
    # A migration loads the holidays of the years it knows; this one may be among them.
    holiday, _ = BankHoliday.objects.get_or_create(
        date=datetime.date(2026, 12, 25), defaults={"name": "Christmas Day"}
    )
    url = reverse("admin:consent_bankholiday_changelist")

    response = admin_client.get(url, {"date__year": 2026})

    assert response.status_code == 200
    assert holiday.name.encode() in response.content
