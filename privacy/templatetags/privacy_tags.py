import datetime

from django import template

from privacy.models import DataRequest

register = template.Library()


@register.filter
def due_state(request: DataRequest, today: datetime.date) -> str:
    return request.due_state(today)
