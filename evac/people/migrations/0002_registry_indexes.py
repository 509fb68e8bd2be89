"""Indexes for the citizen registry's sorts, filters, search and duplicate check.

Some indexes are PostgreSQL's own, so they are created only there, by plain SQL that the
migration state doesn't track; SQLite gets the portable ones (and already sorts NULLs
first, so its plain index serves the "last heard from" sort). See
evac.people.selectors.search_citizens and REGISTRY_SORTS for the queries they serve.
"""

import django.db.models.functions.text
from django.db import migrations, models

# UPPER(name) text_pattern_ops serves `UPPER(name) LIKE 'KOV%'` (Django's istartswith) in
# any database collation.
NAME_FIELDS = ("surname", "given_names", "surname_native", "given_names_native")
POSTGRESQL_INDEXES = {
    **{
        f"citizen_{field}_prefix": f"people_citizen (UPPER({field}) text_pattern_ops)"
        for field in NAME_FIELDS
    },
    # "Last heard from" ascending puts people never heard from first; read backwards, the
    # same index serves the descending sort (NULLs last).
    "citizen_op_last_heard_sort": "people_citizen (operation_id, last_contacted_at NULLS FIRST, id)",
}


def create_postgresql_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, target in POSTGRESQL_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop_postgresql_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in POSTGRESQL_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0001_initial"),
        ("people", "0001_initial"),
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="citizen",
            index=models.Index(
                fields=["operation", "last_contacted_at"], name="citizen_op_last_heard"
            ),
        ),
        migrations.AddIndex(
            model_name="citizen",
            index=models.Index(
                django.db.models.functions.text.Upper("document_number"),
                name="citizen_document_upper",
            ),
        ),
        migrations.AddIndex(
            model_name="citizen",
            index=models.Index(fields=["phone"], name="citizen_phone"),
        ),
        migrations.AddIndex(
            model_name="citizen",
            index=models.Index(fields=["operation", "date_of_birth"], name="citizen_op_birth"),
        ),
        migrations.RunPython(create_postgresql_indexes, drop_postgresql_indexes),
    ]
