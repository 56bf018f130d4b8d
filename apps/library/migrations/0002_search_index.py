"""Full-text search: PostgreSQL — a generated tsvector with the Russian configuration and a
GIN index; SQLite — an FTS5 table over lemmatised text (kept in step by apps.library.search)."""

from django.db import migrations

PG_UP = [
    """ALTER TABLE library_material ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('russian', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('russian', coalesce(annotation, '')), 'B') ||
        to_tsvector('russian', coalesce(body, '') || ' ' || coalesce(results, '') || ' ' ||
                    coalesce(author, '') || ' ' || coalesce(competencies::text, ''))
    ) STORED""",
    "CREATE INDEX library_material_search ON library_material USING gin (search)",
]
PG_DOWN = [
    "DROP INDEX IF EXISTS library_material_search",
    "ALTER TABLE library_material DROP COLUMN IF EXISTS search",
]
SQLITE_UP = ["CREATE VIRTUAL TABLE library_material_fts USING fts5(lemmas)"]
SQLITE_DOWN = ["DROP TABLE IF EXISTS library_material_fts"]


def run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"postgresql": PG_UP, "sqlite": SQLITE_UP}),
            run({"postgresql": PG_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]
