"""The filter bar's <option> lists in one string join. Django renders each option
through a template of its own, about 0.1 ms apiece: for the DPO's fifty recruiters,
more than the list of contacts below them."""

from django import template
from django.forms import BoundField
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def options(field: BoundField) -> SafeString:
    """The <option>s of a select field, the chosen one marked, as its widget decides."""
    widget = field.field.widget
    chosen = widget.format_value(field.value())
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (option["value"], " selected" if option["selected"] else "", option["label"])
            for option in widget.options(field.html_name, chosen)
        ),
    )
