"""Each contact's last year of activities by direction, stored (kept by
reviews.summary), filled in here from the log before the one-sided index is built."""

import datetime

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone


def balance(apps, schema_editor):
    # reviews.summary.contacts_summarise's year (reviews.services.YEAR, 365 days), on
    # the historical models, for the contacts with any activity in it.
    Contact = apps.get_model("contacts", "Contact")
    Links = apps.get_model("contacts", "Activity").contacts.through
    year = Links.objects.filter(
        activity__date__gt=timezone.localdate() - datetime.timedelta(days=365)
    )
    links = year.filter(contact=OuterRef("pk")).order_by().values("contact")

    def counted(direction: str) -> Coalesce:
        of = links.filter(activity__direction=direction).annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(of), 0)

    Contact.objects.filter(pk__in=year.values("contact")).update(
        year_given=counted("given"),
        year_received=counted("received"),
        year_mutual=counted("mutual"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0007_activity_private"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="year_given",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.AddField(
            model_name="contact",
            name="year_mutual",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.AddField(
            model_name="contact",
            name="year_received",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.RunPython(balance, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                condition=Q(year_given__gte=3) | Q(year_received__gte=3),
                fields=["owner", "id"],
                name="contact_year_lopsided",
            ),
        ),
    ]
