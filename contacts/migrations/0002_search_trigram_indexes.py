"""Trigram indexes for the free-text searches, on PostgreSQL only.

Django's icontains becomes UPPER(col::text) LIKE UPPER('%term%'), which no B-tree and
no trigram index on the plain column can serve (PERFORMANCE.md); a GIN trigram index
on upper(col::text) can. SQLite, the embedded demo database, has no pg_trgm and gets
nothing: its tables are small.
"""

from django.db import migrations

SEARCHED = {
    "contacts_contact": ["first_name", "last_name", "organisation", "email"],
    "contacts_activity": ["summary", "context", "outcome"],
}


def _index(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, columns in SEARCHED.items():
        for column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{_index(table, column)}" ON "{table}" '
                f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in SEARCHED.items():
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{_index(table, column)}"')


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
