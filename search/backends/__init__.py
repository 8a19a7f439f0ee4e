"""Which backend answers and which ones receive writes.

The database index is always kept (it is the embedded backend, the fallback when Elasticsearch
is unreachable, and what an Elasticsearch rebuild reads); with ``ELASTICSEARCH_URL`` set,
Elasticsearch answers queries and mirrors the database index.
"""

from functools import cache

from django.conf import settings

from search.backends.base import Backend
from search.backends.database import DatabaseBackend


@cache
def get_database() -> Backend:
    return DatabaseBackend()


@cache
def get_elasticsearch() -> Backend | None:
    if settings.SEARCH_BACKEND != "elasticsearch":
        return None
    # Here, not at the top: Elasticsearch's client loads only when that backend is active.
    from search.backends.elastic import ElasticsearchBackend

    return ElasticsearchBackend(settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_INDEX)


def primary() -> Backend:
    return get_elasticsearch() or get_database()


def reset() -> None:
    """Forget the configured backends (tests switching settings)."""
    get_database.cache_clear()
    get_elasticsearch.cache_clear()
