"""Tags for the contact and activity pages.

The rows of the long lists (contacts, activities, a contact's timeline) are written
here in Python, as the admin writes its changelist rows (`items_for_result`). The
template engine resolves each variable, filter and tag through several layers: 50
rows cost 5 to 10 ms that way, half of a list page. Here each page's rows are one tag:
what every row needs (today, the paths, the choices' labels) is looked up once, and
each value is escaped with `html.escape`, which is what Django's `escape` calls, with
none of its wrapping (lazy strings, SafeString, conditional_escape's checks).
Everything that is not a literal in this file goes through `_e`.
"""

import datetime
import html

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from contacts.models import Activity, ActivityType, Channel, Contact, Direction, Kind
from netlog.formats import day
from netlog.paths import paths_to

register = template.Library()

FOLLOW_UP_BADGE = {
    "overdue": ("text-bg-danger", " · overdue"),
    "due": ("text-bg-warning", ""),
    "done": ("text-bg-success", " · done"),
    "later": ("text-bg-secondary", ""),
}
KINDS, CHANNELS = dict(Kind.choices), dict(Channel.choices)
TYPES, DIRECTIONS = dict(ActivityType.choices), dict(Direction.choices)


def _e(value) -> str:
    return html.escape(str(value))


def _label(choices: dict[str, str], value: str) -> str:
    """A choice's label, escaped; the value itself if it is not a choice (as Django's
    get_FOO_display)."""
    return _e(choices.get(value, value))


@register.filter
def follow_up_state(activity: Activity, today: datetime.date) -> str:
    return activity.follow_up_state(today)


@register.filter
def basis_state(contact: Contact, today: datetime.date) -> str:
    return contact.basis_state(today)


def _today(context) -> datetime.date:
    return context.get("today") or timezone.localdate()


def _sees_others(context) -> bool:
    """A manager, DPO or assessor: the lists name whose row each is."""
    return not context["user"].is_recruiter


def _people(contacts, erased: int, none: str, contact_path) -> str:
    links = [f'<a href="{contact_path(c.pk)}">{_e(c.name)}</a>' for c in contacts]
    if erased:
        who = "a person" if erased == 1 else f"{int(erased)} people"
        links.append(
            f'<span class="text-body-secondary fst-italic">{who} whose data was erased</span>'
        )
    if not links and none:
        return f'<span class="text-body-secondary">{_e(none)}</span>'
    return ", ".join(links)


@register.simple_tag
def people(contacts, erased: int, none: str = "") -> SafeString:
    """The contacts, linked, then the neutral placeholder for people whose data was
    erased (the row stays as evidence); `none` when there is neither."""
    return mark_safe(_people(contacts, erased, none, paths_to("contacts:contact_detail")))


@register.simple_tag(takes_context=True)
def activity_items(
    context, activities, show_contacts: bool = False, item_class: str = "", logged_by=False
) -> SafeString:
    """Each activity as a list item: what, when, its value, the follow-up's state,
    with whom (`show_contacts`), the summary, the outcome, and who logged it
    (`logged_by`: to those who see others' logs, not to a recruiter)."""
    today = _today(context)
    logged_by = logged_by and _sees_others(context)
    activity_path = paths_to("contacts:activity_detail")
    contact_path = paths_to("contacts:contact_detail")
    li = f'<li class="{_e(item_class)}">' if item_class else "<li>"
    items = []
    for a in activities:
        parts = [
            li,
            '<div class="d-flex justify-content-between flex-wrap gap-2"><div>',
            f'<a href="{activity_path(a.pk)}" class="fw-semibold">{_label(TYPES, a.type)}</a>',
            f' <span class="text-body-secondary">· {day(a.date)}',
            f" · {_e(a.context)}</span>" if a.context else "</span>",
            f' <span class="badge text-bg-light border">{_label(DIRECTIONS, a.direction)}</span>',
        ]
        if state := a.follow_up_state(today):
            badge, suffix = FOLLOW_UP_BADGE[state]
            parts.append(
                f' <span class="badge {badge}">Follow-up {day(a.follow_up_on)}{suffix}</span>'
            )
        parts.append("</div>")
        if show_contacts:
            who = _people(a.contact_list, a.erased_people, "no contact", contact_path)
            parts.append(f'<div class="small">with {who}</div>')
        parts.append(f'</div><div class="summary-text">{_e(a.summary)}</div>')
        if a.outcome:
            parts.append(
                '<div class="small text-body-secondary"><strong>Outcome:</strong>'
                f" {_e(a.outcome)}</div>"
            )
        if logged_by:
            parts.append(f'<div class="small text-body-secondary">Logged by {_e(a.owner)}</div>')
        parts.append("</li>")
        items.append("".join(parts))
    return mark_safe("\n".join(items))


@register.simple_tag(takes_context=True)
def contact_rows(context, contacts) -> SafeString:
    """The contact list's table rows; the recruiter column for those who see others'."""
    today = _today(context)
    show_owner = _sees_others(context)
    contact_path = paths_to("contacts:contact_detail")
    rows = []
    for c in contacts:
        kind = _label(KINDS, c.kind)
        tags = "".join(
            f'<span class="badge text-bg-light border me-1">{_e(t.name)}</span>' for t in c.tag_list
        )
        rows.append(
            "".join(
                [
                    f'<tr><td><a href="{contact_path(c.pk)}">{_e(c.name)}</a>',
                    ' <span class="badge text-bg-danger" title="No valid lawful basis">'
                    "no basis</span></td>"
                    if c.basis_state(today) != "valid"
                    else "</td>",
                    f"<td>{kind}</td>"
                    if c.is_professional
                    else f'<td><span class="badge text-bg-secondary">{kind}</span></td>',
                    f"<td>{_e(c.organisation)}</td><td>{_e(c.role)}</td>",
                    f"<td>{_label(CHANNELS, c.source_channel)}</td><td>{tags}</td>",
                    f"<td>{_e(c.owner)}</td></tr>" if show_owner else "</tr>",
                ]
            )
        )
    return mark_safe("\n".join(rows))
