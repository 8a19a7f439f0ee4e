"""Impact levels changed (``search.ranking``: finer levels where pages crowd, three-digit
tokens, short fields counting a word once): entries already indexed are indexed again from
themselves, so broad queries find their candidates right after an upgrade, with no manual
rebuild. Going back needs ``search_index rebuild`` with the older code.
"""

from django.db import migrations


def reindex(apps, schema_editor):
    # Here, not at the top: the backend works on the current models, as after migrating.
    from search.rebuild import reindex_entries

    reindex_entries()


class Migration(migrations.Migration):
    dependencies = [
        ("portal_search", "0008_establishment_families"),
    ]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
