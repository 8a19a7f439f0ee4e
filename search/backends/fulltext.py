"""What the database backend's full-text engines share: SQLite FTS5 (``search.backends.
sqlite_fts``) and PostgreSQL (``search.backends.postgres_fts``). Both index the terms of
``search.analysis`` (folded, stemmed), so French analysis is the same on both.

Each engine prepares and inserts entries (``prepare`` needs no database, so it may run in a
worker thread), deletes index rows, and builds the SQL the backend runs: ``matched`` (visible,
filtered matches with a score, or a sample of them without one), ``sample_plan`` (whether to
estimate, and how to sample), ``newest`` (a page of matches, newest first, without scoring
every match) and ``title_prefix`` (autocomplete).
"""

from django.db import connection

from search.models import SearchEntry, SearchFacetValue

ENTRY = SearchEntry._meta.db_table
FACET = SearchFacetValue._meta.db_table


def where_sql(queryset):
    """The WHERE clause the ORM builds for ``queryset`` (None when it can match nothing)."""
    from django.core.exceptions import EmptyResultSet, FullResultSet

    compiler = queryset.query.get_compiler(connection=connection)
    try:
        sql, params = queryset.query.where.as_sql(compiler, connection)
    except EmptyResultSet:
        return None
    except FullResultSet:
        return "1 = 1", []
    return (sql or "1 = 1"), list(params)


def prefix_terms(text):
    """The terms of an autocomplete input, the last one as a prefix: [(term, is_prefix)]."""
    from search.analysis import STOPWORDS, stem, words

    found = words(text)
    if not found:
        return []
    complete = [stem(word) for word in found[:-1] if word not in STOPWORDS]
    last = found[-1]
    return [(term, False) for term in complete] + [(min(stem(last), last, key=len), True)]


def fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
