import datetime

from django import template
from django.utils.html import format_html

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


TOUCH_BADGES = {
    "overdue": ("danger", "overdue"),
    "due": ("warning", "due"),
    "ok": ("success", "in touch"),
}


@register.filter
def touch_badge(state: str) -> str:
    """A stay-in-touch state as its badge (a filter, not an include: it is drawn on every
    row of the attention list)."""
    colour, label = TOUCH_BADGES.get(state, TOUCH_BADGES["ok"])
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, label)
