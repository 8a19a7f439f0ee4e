"""The search the header box and the search page use: permission-aware, French-aware.

Backends filter by the access model before ranking and counting; this module parses the query
(synonyms from the admin), asks the primary backend (falling back to the database backend when
Elasticsearch cannot answer), highlights, suggests a spelling and records anonymous statistics.
"""

import math
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from search import backends, highlight, query_log, registry, spelling
from search.analysis import MAX_QUERY_LENGTH, Synonyms, ignored_words, parse
from search.backends.base import PERIODS, SearchRequest, SearchUnavailable
from search.models import SynonymGroup

PAGE_SIZE = 10
MAX_PAGE = 500
MAX_FILTER_VALUES = 20
MAX_FACET_VALUES = 10  # shown per facet, the largest counts first (and every selected one)
SUGGESTIONS = 8
SYNONYMS_CACHE_KEY = "search:synonyms"
PERIOD_LABELS = {
    "month": _("Last 30 days"),
    "year": _("Last 12 months"),
    "older": _("More than a year ago"),
}
SORTS = ("relevance", "date")


def clean_query(text: str) -> str:
    """At most MAX_QUERY_LENGTH characters, no control or format characters, single spaces."""
    text = "".join(c for c in text[: MAX_QUERY_LENGTH * 2] if unicodedata.category(c)[0] != "C")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


@dataclass(frozen=True)
class SearchParams:
    query: str = ""
    modules: frozenset = frozenset()
    facets: dict = field(default_factory=dict)
    period: str = ""
    sort: str = "relevance"
    page: int = 1
    literal: bool = False  # search the words as typed, without correcting them
    shortened: bool = False  # the typed query was longer than MAX_QUERY_LENGTH

    @classmethod
    def from_querydict(cls, data, modules=None) -> "SearchParams":
        """Read GET parameters; unknown names and values are ignored, never an error."""
        kinds = {source.kind for source in registry.sources()}
        chosen = set(data.getlist("module")[:MAX_FILTER_VALUES]) if modules is None else modules
        facets = {}
        for facet in registry.facets():
            values = {v[:100] for v in data.getlist(facet.name)[:MAX_FILTER_VALUES] if v}
            if values:
                facets[facet.name] = frozenset(values)
        try:
            page = min(max(int(data.get("page", 1)), 1), MAX_PAGE)
        except (TypeError, ValueError):
            page = 1
        period = data.get("period", "")
        sort = data.get("sort", "relevance")
        typed = data.get("q", "")
        return cls(
            query=clean_query(typed),
            literal=data.get("literal") == "1",
            shortened=len(" ".join(typed[: MAX_QUERY_LENGTH * 4].split())) > MAX_QUERY_LENGTH,
            modules=frozenset(chosen & kinds),
            facets=facets,
            period=period if period in PERIODS else "",
            sort=sort if sort in SORTS else "relevance",
            page=page,
        )


@dataclass(frozen=True)
class Hit:
    kind: str
    kind_label: str
    title: SafeString
    url: str
    snippet: SafeString
    date: object


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetGroup:
    name: str
    label: str
    values: list


@dataclass
class Results:
    params: SearchParams
    hits: list = field(default_factory=list)
    total: int = 0
    page_count: int = 0
    facets: list = field(default_factory=list)
    suggestion: str = ""
    corrected: str = ""  # the corrected query whose results are shown instead of the typed one
    degraded: bool = False
    any_word: bool = False
    estimated: bool = False  # counts estimated from a sample, rounded: the page says "about"
    unsearchable: bool = False  # no word to search: only stop words or punctuation
    ignored: list = field(default_factory=list)  # words in a script the analysis does not read


def synonyms() -> Synonyms:
    groups = cache.get(SYNONYMS_CACHE_KEY)
    if groups is None:
        groups = [group.term_list() for group in SynonymGroup.objects.all()]
        cache.set(SYNONYMS_CACHE_KEY, groups, 3600)
    return _synonyms(tuple(map(tuple, groups)))


@lru_cache(maxsize=8)
def _synonyms(groups) -> Synonyms:
    """One analysed list per version of the groups (analysing them costs more than a query)."""
    return Synonyms(list(map(list, groups)))


def forget_synonyms(**kwargs) -> None:
    cache.delete(SYNONYMS_CACHE_KEY)


def connect_signals() -> None:
    post_save.connect(forget_synonyms, sender=SynonymGroup, dispatch_uid="search_synonyms_save")
    post_delete.connect(forget_synonyms, sender=SynonymGroup, dispatch_uid="search_synonyms_del")


def _ask(request: SearchRequest):
    """(results, degraded): the primary backend, else the database backend."""
    try:
        return backends.primary().search(request), False
    except SearchUnavailable:
        return backends.get_database().search(request), True


@dataclass
class Answer:
    found: object  # BackendResults
    query: object  # the ParsedQuery answered (the corrected one, when corrected)
    degraded: bool = False
    any_word: bool = False
    corrected: str = ""


def _fills_the_page(request, found) -> bool:
    """Whether the pages matching every word fill the page asked for; by relevance, pages
    matching fewer words come next (``search.ranking`` ranks coverage first)."""
    return (
        len(request.query.clauses) < 2
        or request.sort != "relevance"
        or found.total >= request.offset + request.limit
    )


def find(request: SearchRequest, literal: bool = False) -> Answer:
    """Pages matching every word first, then (by relevance, when they do not fill the page)
    those matching most of them. When nothing matches every word, the words that match nothing
    the user may view are corrected (unless ``literal``) and the corrected query answers if it
    finds something; when still nothing matches, any word."""
    found, degraded = _ask(request)
    if found.total and _fills_the_page(request, found):
        return Answer(found, request.query, degraded)
    if found.total:  # the pages matching most of the words follow those matching all of them
        wider, again_degraded = _ask(replace(request, match_any=True))
        return Answer(wider, request.query, degraded | again_degraded)
    corrected = "" if literal else spelling.correct(request.user, request.query.text, synonyms())
    if corrected:
        request = replace(request, query=parse(corrected, synonyms()))
        found, again_degraded = _ask(request)
        degraded |= again_degraded
        if found.total:
            return Answer(found, request.query, degraded, corrected=corrected)
    if len(request.query.clauses) < 2:
        return Answer(found, request.query, degraded)
    found, again_degraded = _ask(replace(request, match_any=True))
    any_word = found.total > 0
    return Answer(
        found, request.query, degraded | again_degraded, any_word, corrected if any_word else ""
    )


def search(user, params: SearchParams, record: bool = True) -> Results:
    results = Results(params=params)
    query = parse(params.query, synonyms())
    results.ignored = ignored_words(params.query)
    if not query:
        results.unsearchable = bool(params.query)
        return results
    request = SearchRequest(
        query=query,
        user=user,
        modules=params.modules,
        facet_filters=params.facets,
        period=params.period,
        sort=params.sort,
        offset=(params.page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    answer = find(request, literal=params.literal)
    found = answer.found
    results.degraded, results.any_word = answer.degraded, answer.any_word
    results.corrected = answer.corrected
    if found.estimated:
        _round_counts(found)
    results.estimated = found.estimated
    results.total = found.total
    results.page_count = math.ceil(found.total / PAGE_SIZE)
    labels = {source.kind: str(source.label) for source in registry.sources()}
    stems = answer.query.stems
    results.hits = [
        Hit(
            kind=hit.kind,
            kind_label=labels.get(hit.kind, hit.kind),
            title=highlight.title(hit.title, stems),
            url=hit.url,
            snippet=highlight.snippet(hit.body, hit.summary, stems),
            date=hit.date,
        )
        for hit in found.hits
    ]
    results.facets = _facet_groups(params, found, labels)
    if not found.total and params.literal:
        results.suggestion = spelling_suggestion(user, params.query)
    if record:
        record_query(results)
    return results


def counts_in_statistics(results: Results) -> bool:
    """The anonymous statistics count a search's first page, when it had words to search."""
    params = results.params
    first_page = params.page == 1 and not params.shortened
    return bool(params.query) and not results.unsearchable and first_page


def record_query(results: Results) -> None:
    if counts_in_statistics(results):
        query_log.record(results.params.query, results.total)


def _rounded(count: int) -> int:
    """Two significant digits: an estimate should not look more precise than it is."""
    if count < 100:
        return count
    scale = 10 ** (len(str(count)) - 2)
    return round(count / scale) * scale


def _round_counts(found) -> None:
    found.total = _rounded(found.total)
    found.module_counts = {name: _rounded(n) for name, n in found.module_counts.items()}
    found.period_counts = {name: _rounded(n) for name, n in found.period_counts.items()}
    found.facet_counts = {
        name: {value: _rounded(n) for value, n in counts.items()}
        for name, counts in found.facet_counts.items()
    }


def _facet_groups(params, found, module_labels) -> list[FacetGroup]:
    groups = [
        FacetGroup(
            "module",
            str(_("Section")),
            _values(found.module_counts, module_labels, params.modules),
        ),
    ]
    for facet in registry.facets():
        counts = found.facet_counts.get(facet.name, {})
        selected = params.facets.get(facet.name, frozenset())
        if counts or selected:
            groups.append(
                FacetGroup(facet.name, str(facet.label), _values(counts, facet.choices(), selected))
            )
    period_counts = {name: found.period_counts.get(name, 0) for name in PERIODS}
    groups.append(
        FacetGroup(
            "period",
            str(_("Date")),
            _values(period_counts, PERIOD_LABELS, {params.period} - {""}, keep_order=True),
        )
    )
    return [group for group in groups if group.values]


def _values(counts, labels, selected, keep_order=False) -> list[FacetValue]:
    names = list(dict.fromkeys([*counts, *selected]))
    values = [
        FacetValue(name, str(labels.get(name, name)), counts.get(name, 0), name in selected)
        for name in names
        if counts.get(name, 0) or name in selected
    ]
    if keep_order:
        return values
    values.sort(key=lambda value: (-value.count, value.label))
    shown = values[:MAX_FACET_VALUES]
    return shown + [value for value in values[MAX_FACET_VALUES:] if value.selected]


def spelling_suggestion(user, text: str) -> str:
    """The query corrected from the vocabulary of what ``user`` may view, if it finds some of
    it; else ""."""
    candidate = spelling.correct(user, text, synonyms())
    if not candidate:
        return ""
    request = SearchRequest(
        query=parse(candidate, synonyms()), user=user, limit=1, with_facets=False
    )
    found, _degraded = _ask(request)
    return candidate if found.total else ""


def autocomplete(user, text: str) -> list:
    text = clean_query(text)
    if len(text) < 2:
        return []
    try:
        return backends.primary().suggest(user, text, SUGGESTIONS)
    except SearchUnavailable:
        return backends.get_database().suggest(user, text, SUGGESTIONS)
