"""Trigram indexes for case-insensitive substring searches, on PostgreSQL only.

Django's icontains becomes UPPER(col::text) LIKE UPPER('%term%'), which no B-tree and
no trigram index on the plain column can serve (PERFORMANCE.md); a GIN trigram index
on upper(col::text) can. SQLite, the embedded demo database, has no pg_trgm and gets
nothing: its tables are small. For migrations: `trigram_indexes({table: [columns]})`.
"""

from django.db import migrations


def _name(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"


def trigram_indexes(searched: dict[str, list[str]]) -> migrations.RunPython:
    def create(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, columns in searched.items():
            for column in columns:
                schema_editor.execute(
                    f'CREATE INDEX IF NOT EXISTS "{_name(table, column)}" ON "{table}" '
                    f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
                )

    def drop(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, columns in searched.items():
            for column in columns:
                schema_editor.execute(f'DROP INDEX IF EXISTS "{_name(table, column)}"')

    return migrations.RunPython(create, drop)
