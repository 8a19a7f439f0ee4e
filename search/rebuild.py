"""Rebuilding the index from every registered source, and finding drift."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from search import answer_cache, backends, registry
from search.documents import SearchDocument
from search.entries import document_from_entry, fingerprint
from search.models import SearchEntry


def _count(candidates) -> int:
    return candidates.count() if hasattr(candidates, "count") else len(candidates)


def expected_total() -> int:
    return sum(_count(source.candidates()) for source in registry.sources())


def reindex_entries() -> None:
    """Index every entry again from what it holds, no source read: after a change of what the
    database index stores (the migrations that change it call this)."""
    if SearchEntry.objects.exists():
        entries = SearchEntry.objects.order_by("id")
        backends.get_database().rebuild([document_from_entry(entry) for entry in entries])
        answer_cache.index_changed()


def all_documents() -> Iterator[SearchDocument]:
    for source in registry.sources():
        candidates = source.candidates()
        iterator = (
            candidates.iterator(chunk_size=500) if hasattr(candidates, "iterator") else candidates
        )
        for obj in iterator:
            document = source.document(obj)
            if document is not None:
                yield document


def rebuild(progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Rebuild the database index, then Elasticsearch from it when configured."""
    counts = {"database": backends.get_database().rebuild(all_documents(), progress)}
    elastic = backends.get_elasticsearch()
    if elastic is not None:
        entries = SearchEntry.objects.order_by("id").iterator(chunk_size=500)
        counts["elasticsearch"] = elastic.rebuild(
            (document_from_entry(entry) for entry in entries), progress
        )
    answer_cache.index_changed()
    return counts


@dataclass
class Drift:
    missing: list[str] = field(default_factory=list)  # should be searchable, is not indexed
    stale: list[str] = field(default_factory=list)  # indexed, should not be
    outdated: list[str] = field(default_factory=list)  # indexed with old content or access

    def __bool__(self):
        return bool(self.missing or self.stale or self.outdated)


def compare(expected: dict[str, str], indexed: dict[str, str]) -> Drift:
    return Drift(
        missing=sorted(expected.keys() - indexed.keys()),
        stale=sorted(indexed.keys() - expected.keys()),
        outdated=sorted(k for k in expected.keys() & indexed.keys() if expected[k] != indexed[k]),
    )


def check() -> dict[str, Drift]:
    """Drift of the database index against the sources, and of Elasticsearch against it."""
    expected = {document.key: fingerprint(document) for document in all_documents()}
    database = backends.get_database().fingerprints()
    drift = {"database": compare(expected, database)}
    elastic = backends.get_elasticsearch()
    if elastic is not None:
        drift["elasticsearch"] = compare(database, elastic.fingerprints())
    return drift
