"""Messages to people outside the page: the owner's warning before retention erases
their contacts. Emails name no one (mail servers keep what they are sent); the page
they link to shows who."""

import datetime
import logging
from collections import Counter

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from accounts.models import User
from contacts.models import Contact

logger = logging.getLogger(__name__)


def retention_warn_owners(contacts: list[Contact], *, erase_on: datetime.date) -> None:
    counts = Counter(c.owner_id for c in contacts)
    owners = User.objects.filter(pk__in=counts).exclude(email="")
    for owner in owners:
        n = counts[owner.pk]
        try:
            _send(owner, n, erase_on)
        except OSError:
            # The warning is also on the owner's dashboard; the run must not fail on mail.
            logger.exception("Retention warning email to user %s failed", owner.pk)


def _send(owner: User, n: int, erase_on: datetime.date) -> None:
    send_mail(
        subject=f"netlog: {n} contact(s) will be erased on {erase_on:%d/%m/%Y}",
        message=(
            f"{n} of your contacts have had no activity and no live consent for longer "
            f"than the retention policy allows. They will be erased on "
            f"{erase_on:%d/%m/%Y} unless you log an activity with them or record their "
            f"consent.\n\nSee which: {settings.SITE_URL}{reverse('dashboard')}\n"
        ),
        from_email=None,
        recipient_list=[owner.email],
        fail_silently=False,
    )
