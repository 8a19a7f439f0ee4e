"""PostgreSQL: a small title-and-tags vector (GIN-indexed), a sample bucket in every search
vector (see search.backends.fulltext), lz4 compression for the long columns where the server
has it. Entries already indexed are completed in place."""

import zlib

import django.contrib.postgres.search
from django.db import DatabaseError, migrations, transaction

BUCKETS = 64  # search.backends.fulltext.SAMPLE_RATE when this migration was written


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    SearchEntry = apps.get_model("portal_search", "SearchEntry")
    rows = [
        (f"#b{zlib.crc32(key.encode()) % BUCKETS}", pk)
        for pk, key in SearchEntry.objects.filter(search_vector__isnull=False).values_list(
            "pk", "key"
        )
    ]
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE portal_search_searchentry SET "
            "search_vector = search_vector || array_to_tsvector(ARRAY[%s]), "
            "title_vector = ts_filter(search_vector, '{a,b}') WHERE id = %s",
            rows,
        )
        cursor.execute(
            "CREATE INDEX portal_search_title_vector_gin ON portal_search_searchentry "
            "USING gin (title_vector)"
        )
        try:  # lz4 (PostgreSQL 14+, when built with it) writes and reads faster than pglz
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute(
                    "ALTER TABLE portal_search_searchentry "
                    "ALTER COLUMN body SET COMPRESSION lz4, "
                    "ALTER COLUMN search_vector SET COMPRESSION lz4"
                )
        except DatabaseError:
            pass


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS portal_search_title_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0003_editor_permissions")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="title_vector",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.RunPython(forward, backward),
    ]
