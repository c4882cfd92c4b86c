"""Whether each activity is private (personal / social contacts and no professional
one), stored (kept by reviews.summary), filled in here from the links."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef


def classify(apps, schema_editor):
    # reviews.summary.activities_classify (Activity.private_rule), on the historical models.
    Activity = apps.get_model("contacts", "Activity")
    links = Activity.contacts.through.objects.filter(activity=OuterRef("pk"))
    personal = links.filter(contact__kind="personal")
    private = Exists(personal) & ~Exists(links.exclude(contact__kind="personal"))
    Activity.objects.filter(private).update(private=True)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0006_contact_summary"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="private",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(classify, migrations.RunPython.noop),
    ]
