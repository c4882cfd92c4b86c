"""Each contact's last activity, last review date and last decision, stored on the
contact (kept by reviews.summary), filled in here from the log and the reviews."""

from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def summarise(apps, schema_editor):
    # reviews.summary.contacts_summarise, on the historical models.
    Contact = apps.get_model("contacts", "Contact")
    Links = apps.get_model("contacts", "Activity").contacts.through
    Review = apps.get_model("reviews", "Review")
    last_activity = (
        Links.objects.filter(contact=OuterRef("pk"))
        .order_by()
        .values("contact")
        .annotate(last=Max("activity__date"))
        .values("last")
    )
    latest = Review.objects.filter(contact=OuterRef("pk")).order_by("-reviewed_on", "-id")
    Contact.objects.update(
        last_activity_on=Subquery(last_activity),
        last_reviewed_on=Subquery(latest.values("reviewed_on")[:1]),
        last_decision=Coalesce(Subquery(latest.values("decision")[:1]), Value("")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0005_activity_erased_people_outcome_erased_people"),
        ("reviews", "0003_schedule_reminders"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="last_activity_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="contact",
            name="last_decision",
            field=models.CharField(blank=True, default="", editable=False, max_length=12),
        ),
        migrations.AddField(
            model_name="contact",
            name="last_reviewed_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(summarise, migrations.RunPython.noop),
    ]
