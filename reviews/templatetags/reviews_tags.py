import datetime

from django import template

from reviews.models import TestimonyRequest

register = template.Library()


@register.filter
def request_state(request: TestimonyRequest, now: datetime.datetime) -> str:
    return request.state(now)
