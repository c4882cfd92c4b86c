"""Trigram indexes for the free-text searches of the contact and activity lists
(netlog.trigram), on PostgreSQL only."""

from django.db import migrations

from netlog.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    operations = [
        trigram_indexes(
            {
                "contacts_contact": ["first_name", "last_name", "organisation", "email"],
                "contacts_activity": ["summary", "context", "outcome"],
            }
        )
    ]
