"""Background work of the search module (run in process in the embedded profile)."""

import logging

from django_tasks import task

from search import answer_cache, backends
from search.backends.base import SearchUnavailable
from search.entries import document_from_entry
from search.models import SearchEntry

logger = logging.getLogger(__name__)


@task()
def mirror_to_elasticsearch(keys: list[str]) -> None:
    """Copy these database index entries to Elasticsearch (deleting those that are gone).

    If Elasticsearch is unreachable the change stays in the database index, which answers
    searches meanwhile; `search_index check` reports the drift and `rebuild` repairs it."""
    elastic = backends.get_elasticsearch()
    if elastic is None:
        return
    documents = [document_from_entry(e) for e in SearchEntry.objects.filter(key__in=keys)]
    present = {document.key for document in documents}
    try:
        elastic.index(documents)
        elastic.delete([key for key in keys if key not in present])
        answer_cache.index_changed()
    except SearchUnavailable as error:
        logger.warning("Elasticsearch not updated for %d entries: %s", len(keys), error)
