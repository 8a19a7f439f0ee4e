"""Backends under test: the database backend of the suite's database (SQLite or PostgreSQL)
and, wherever ELASTICSEARCH_URL is set, a real Elasticsearch cluster (never a fake)."""

import os
import uuid

import pytest

from search import backends
from search.backends.base import SearchRequest
from search.services import SearchParams

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")


def _elasticsearch_backend():
    from search.backends.elastic import ElasticsearchBackend

    return ElasticsearchBackend(ELASTICSEARCH_URL, f"test-{uuid.uuid4().hex[:10]}")


@pytest.fixture(params=["database", "elasticsearch"])
def backend(request, monkeypatch, db):
    if request.param == "database":
        yield backends.get_database()
        return
    if not ELASTICSEARCH_URL:
        pytest.skip("ELASTICSEARCH_URL is not set: the Elasticsearch run needs a real cluster")
    elastic = _elasticsearch_backend()
    monkeypatch.setattr(backends, "primary", lambda: elastic)
    yield elastic
    elastic.client.indices.delete(index=elastic.pattern, ignore_unavailable=True)
    elastic.client.indices.delete_index_template(name=elastic.template_name, ignore=[404])


def index_corpus(backend, documents):
    """Rebuild ``backend`` with ``documents``, and the database index too: it is always kept,
    and the spelling vocabulary lives there (``search.spelling``)."""
    database = backends.get_database()
    if backend is not database:
        database.rebuild(documents)
    backend.rebuild(documents)


def ask(backend, user, text, synonyms=None, **options):
    """Run one backend query the way the service parses it."""
    from search.analysis import parse
    from search.services import synonyms as portal_synonyms

    query = parse(text, synonyms or portal_synonyms())
    return backend.search(SearchRequest(query=query, user=user, **options))


def params(text, **options):
    return SearchParams(query=text, **options)
