"""What the database backend's full-text engines share: SQLite FTS5 (``search.backends.
sqlite_fts``) and PostgreSQL (``search.backends.postgres_fts``). Both index the terms of
``search.analysis`` (folded, stemmed), so French analysis is the same on both.

Each engine prepares and inserts entries (``prepare`` needs no database, so it may run in a
worker thread), deletes index rows, and builds the SQL the backend runs: ``matched`` (visible,
filtered matches with a score, or a sample of them without one), ``newest`` (a page of
matches, newest first, without scoring every match) and ``title_prefix`` (autocomplete).
"""

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection

from search.analysis import STOPWORDS, stem, words
from search.models import SearchEntry, SearchFacetValue

# A sample is one match in SAMPLE_RATE, read through the index: by id on SQLite, by a bucket
# lexeme on PostgreSQL. The rate is fixed, so what a sample shows depends on nothing but the
# matches the user may see (a rate chosen from the number of matches would depend on the
# restricted ones too).
SAMPLE_RATE = 64
ENTRY = SearchEntry._meta.db_table
FACET = SearchFacetValue._meta.db_table


def where_sql(queryset):
    """The WHERE clause the ORM builds for ``queryset`` (None when it can match nothing)."""
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
