import datetime

from django import template

from contacts.models import Activity, Contact

register = template.Library()


@register.filter
def follow_up_state(activity: Activity, today: datetime.date) -> str:
    return activity.follow_up_state(today)


@register.filter
def basis_state(contact: Contact, today: datetime.date) -> str:
    return contact.basis_state(today)
