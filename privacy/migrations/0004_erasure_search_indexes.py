"""Trigram indexes for erasure's search of the whole organisation's free text for
mentions of the person (privacy.scrub), on PostgreSQL only: without them each search
reads every row (an erasure took over a second at agency scale, 20 s with a phone)."""

from django.db import migrations

from netlog.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0003_schedule_retention"),
        ("contacts", "0006_contact_summary"),
        ("reviews", "0003_schedule_reminders"),
        ("consent", "0005_disclosure"),
    ]

    operations = [
        trigram_indexes(
            {
                "contacts_contact": ["notes"],
                "contacts_outcome": ["notes"],
                "reviews_review": ["rationale", "next_actions"],
                "consent_lawfulbasisrecord": ["li_purpose", "li_necessity", "li_balance"],
            }
        )
    ]
