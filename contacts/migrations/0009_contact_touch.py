"""The last days within each contact's stay-in-touch gaps, stored (kept by
reviews.summary), filled in here from its last activity and the cadences."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate

from netlog.functions import AddDays

# reviews.models.DEFAULT_IDEAL_DAYS and DEFAULT_MAX_DAYS when this was written.
DEFAULTS = {"ideal_days": 90, "max_days": 180}


def touch(apps, schema_editor):
    # reviews.summary._touch, on the historical models.
    Contact = apps.get_model("contacts", "Contact")
    Cadence = apps.get_model("reviews", "Cadence")
    own = Cadence.objects.filter(contact=OuterRef("pk"))
    kind = Cadence.objects.filter(owner=OuterRef("owner"), kind=OuterRef("kind"), contact=None)
    last_touch = Coalesce("last_activity_on", TruncDate("created_at"))

    def until(days: str) -> AddDays:
        gap = Coalesce(
            Subquery(own.values(days)[:1]), Subquery(kind.values(days)[:1]), Value(DEFAULTS[days])
        )
        return AddDays(last_touch, gap)

    Contact.objects.update(touch_ideal_on=until("ideal_days"), touch_max_on=until("max_days"))


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0008_contact_year_balance"),
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="touch_ideal_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="contact",
            name="touch_max_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(touch, migrations.RunPython.noop),
    ]
