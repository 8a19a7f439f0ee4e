"""The one converter between a ``SearchDocument`` and the database index's entry.

The database backend writes entries with ``entry_from_document``; whatever reads the database
index back (an Elasticsearch rebuild or mirror) uses ``document_from_entry``. ``fingerprint``
is what must match between content and index, on every backend.
"""

import hashlib
import json

from search.documents import SearchDocument
from search.models import SearchEntry


def fingerprint(document) -> str:
    """What must match between content and index (popularity, a ranking hint that changes with
    every download, may lag until the next save or rebuild)."""
    payload = [
        document.kind,
        document.title,
        document.url,
        document.summary,
        document.body,
        list(document.tags),
        {name: list(values) for name, values in sorted(document.facets.items())},
        document.date.isoformat() if document.date else None,
        document.access_level,
        sorted(document.allowed_roles),
        document.establishment_id,
        *([sorted(document.establishment_families)] if document.establishment_families else []),
    ]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def entry_from_document(document) -> SearchEntry:
    return SearchEntry(
        key=document.key,
        kind=document.kind,
        title=document.title[:500],
        url=document.url[:500],
        summary=document.summary,
        body=document.body,
        tags=list(document.tags),
        facets={name: list(values) for name, values in document.facets.items()},
        date=document.date,
        popularity=document.popularity,
        access_level=document.access_level,
        allowed_roles=document.allowed_roles,
        establishment_id=document.establishment_id,
        establishment_families=document.establishment_families,
        fingerprint=fingerprint(document),
    )


def document_from_entry(entry) -> SearchDocument:
    return SearchDocument(
        key=entry.key,
        kind=entry.kind,
        title=entry.title,
        url=entry.url,
        body=entry.body,
        summary=entry.summary,
        tags=tuple(entry.tags),
        facets={name: tuple(values) for name, values in entry.facets.items()},
        date=entry.date,
        popularity=entry.popularity,
        access_level=entry.access_level,
        allowed_roles=entry.allowed_roles,
        establishment_id=entry.establishment_id,
        establishment_families=entry.establishment_families,
    )
