"""Shared activities per owner, day and direction (kept by reviews.summary), counted
here from the log."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Count


def count(apps, schema_editor):
    # reviews.summary.activity_days_recount, on the historical models, in one pass.
    Activity = apps.get_model("contacts", "Activity")
    ActivityDay = apps.get_model("reviews", "ActivityDay")
    rows = (
        Activity.objects.filter(private=False)
        .values_list("owner_id", "date", "direction")
        .annotate(n=Count("pk"))
        .order_by()
    )
    batch = []
    for owner, day, direction, n in rows.iterator(chunk_size=5000):
        batch.append(ActivityDay(owner_id=owner, date=day, direction=direction, activities=n))
        if len(batch) == 5000:
            ActivityDay.objects.bulk_create(batch)
            batch = []
    ActivityDay.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0005_schedule_year_moved_on"),
        ("contacts", "0008_contact_year_balance"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ActivityDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField()),
                (
                    "direction",
                    models.CharField(
                        choices=[
                            ("given", "Given"),
                            ("received", "Received"),
                            ("mutual", "Mutual"),
                        ],
                        max_length=10,
                    ),
                ),
                ("activities", models.IntegerField()),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("owner", "date", "direction"), name="activity_day_once"
                    )
                ],
            },
        ),
        migrations.RunPython(count, migrations.RunPython.noop),
    ]
