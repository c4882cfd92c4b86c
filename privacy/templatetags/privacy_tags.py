import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from privacy.models import DataRequest

register = template.Library()


@register.filter
def due_state(request: DataRequest, today: datetime.date) -> str:
    return request.due_state(today)


@register.filter
def iso_date(value: str) -> str:
    """'2026-11-26' (as the access JSON keeps dates) read the British way: 26 Nov 2026."""
    if not value:
        return ""
    try:
        if len(value) == 10:
            return date_format(datetime.date.fromisoformat(value), "j M Y")
        moment = timezone.localtime(datetime.datetime.fromisoformat(value))
        return date_format(moment, "j M Y, H:i")
    except (TypeError, ValueError):
        return value
