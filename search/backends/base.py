"""The interface every search backend implements, and the values it exchanges."""

import datetime
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from search.analysis import ParsedQuery
from search.documents import SearchDocument

PERIODS = ("month", "year", "older")


@dataclass(frozen=True)
class SearchRequest:
    query: ParsedQuery
    user: object
    modules: frozenset[str] = frozenset()
    facet_filters: dict[str, frozenset[str]] = field(default_factory=dict)
    period: str = ""
    sort: str = "relevance"  # or "date"
    offset: int = 0
    limit: int = 10
    match_any: bool = False  # any clause instead of every clause
    # Every clause but at most one (the database backend's candidates, ranked by coverage):
    all_but_one: bool = False
    with_facets: bool = True


@dataclass
class RawHit:
    key: str
    kind: str
    title: str
    url: str
    summary: str
    body: str
    date: datetime.datetime | None
    facets: dict
    score: float = 0.0


@dataclass
class BackendResults:
    total: int = 0
    hits: list[RawHit] = field(default_factory=list)
    module_counts: dict[str, int] = field(default_factory=dict)
    facet_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    period_counts: dict[str, int] = field(default_factory=dict)
    estimated: bool = False  # counts from a sample: the page says "about"


@dataclass(frozen=True)
class Suggestion:
    title: str
    url: str
    kind: str


def period_bounds(now: datetime.datetime | None = None) -> dict[str, datetime.datetime]:
    now = now or timezone.now()
    return {"month": now - datetime.timedelta(days=30), "year": now - datetime.timedelta(days=365)}


class Backend(ABC):
    name = ""

    @abstractmethod
    def index(self, documents: list[SearchDocument]) -> None:
        """Add or replace these documents."""

    @abstractmethod
    def delete(self, keys: list[str]) -> None:
        """Remove the documents with these keys (unknown keys are ignored)."""

    @abstractmethod
    def search(self, request: SearchRequest) -> BackendResults:
        """Hits, totals and facet counts of what ``request.user`` may view."""

    @abstractmethod
    def suggest(self, user, text: str, limit: int) -> list[Suggestion]:
        """Titles the user may view that start like ``text``."""

    @abstractmethod
    def rebuild(
        self, documents: Iterable[SearchDocument], progress: Callable[[int], None] | None = None
    ) -> int:
        """Replace the whole index with ``documents``; the number indexed."""

    @abstractmethod
    def fingerprints(self) -> dict[str, str]:
        """key -> fingerprint of everything indexed, to find drift."""


class SearchUnavailable(Exception):
    """The backend cannot answer now (e.g. Elasticsearch unreachable)."""
