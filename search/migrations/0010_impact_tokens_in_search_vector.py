"""PostgreSQL: the impact tokens move into the search vector (``search.backends.
postgres_fts``), so that one GIN scan finds the pages holding a token that match the query;
their own vector and its index go. Entries already indexed are indexed again from themselves
(on PostgreSQL: SQLite's index is unchanged). Going back needs ``search_index rebuild`` with
the older code.
"""

from django.db import migrations


def reindex(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Here, not at the top: the backend works on the current models, as after migrating.
    from search.rebuild import reindex_entries

    reindex_entries()


class Migration(migrations.Migration):
    dependencies = [
        ("portal_search", "0009_impact_levels_reindex"),
    ]

    operations = [
        migrations.RemoveField(model_name="searchentry", name="impact_vector"),
        migrations.RunPython(reindex, migrations.RunPython.noop),
    ]
