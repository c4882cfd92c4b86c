import datetime

from django import template

from reviews.models import TestimonyRequest

register = template.Library()


@register.filter
def request_state(request: TestimonyRequest, now: datetime.datetime) -> str:
    return request.state(now)


# The bar charts: rows of ROW_HEIGHT units, bars up to BAR_WIDTH units long.
ROW_HEIGHT = 24
BAR_WIDTH = 260


@register.filter
def chart_height(rows: int) -> int:
    return max(rows, 1) * ROW_HEIGHT


@register.filter
def chart_row_y(index: int) -> int:
    return index * ROW_HEIGHT


@register.filter
def chart_bar(value: int, top: int) -> int:
    """The bar's length; a zero stays zero, anything else is at least visible."""
    if not value:
        return 0
    return max(2, round(BAR_WIDTH * value / max(top, 1)))
