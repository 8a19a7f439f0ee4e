"""A short-lived cache of the search service's answer per (audience, language, query, filters,
page): members of one audience (``portal.access.membership.audience_key``) may view exactly the
same documents, so they get the same answer.

Any index write retires every answer at once: the index generation, bumped by each write
(``index_changed``: live indexing, a rebuild, the Elasticsearch mirror, a synonym edit, a
content weight edit), is read with the answer in one round trip and must match. Degraded
answers (Elasticsearch unreachable) are never stored.

The search page itself is also kept by the page cache (one copy per audience and URL, tagged
``PAGE_TAG``, retired by the same writes). Its ``STATISTICS`` fragment, rendered for every hit,
anonymous ones included, counts the search in the statistics.
"""

import hashlib
from urllib.parse import quote, unquote

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from portal import page_cache
from portal.access.membership import audience_key
from search import query_log, services
from search.models import SearchKindWeight, SynonymGroup

ANSWER_SECONDS = 60  # also bounds how stale a "last 30 days" count may get
GENERATION_KEY = "search:answers:generation"
PAGE_TAG = "search.index"  # the page cache's copies of search pages
STATISTICS = "search.statistics"


def _key(user, params: services.SearchParams) -> str:
    facets = sorted((name, sorted(values)) for name, values in params.facets.items())
    raw = repr(
        (
            audience_key(user),
            translation.get_language(),
            params.query,
            sorted(params.modules),
            facets,
            params.period,
            params.sort,
            params.page,
            params.literal,
            params.shortened,
        )
    )
    return "search:answer:" + hashlib.sha256(raw.encode()).hexdigest()


def search(user, params: services.SearchParams) -> services.Results:
    """``services.search``'s answer, from the cache when the index has not changed since."""
    key = _key(user, params)
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY, 0)
    stored = found.get(key)
    if stored is not None and stored[0] == generation:
        results = stored[1]
    else:
        results = services.search(user, params, record=False)
        if not results.degraded:
            cache.set(key, (generation, results), ANSWER_SECONDS)
    return results


def statistics_argument(results: services.Results | None) -> str:
    """The ``STATISTICS`` fragment's argument: the query (percent-encoded) and its count."""
    if results is None or not services.counts_in_statistics(results):
        return ""
    return f"{quote(results.params.query, safe='').replace('~', '%7E')}:{results.total}"


def _count_search(_request, argument: str) -> str:
    if argument:
        query, total = argument.rsplit(":", 1)
        query_log.record(unquote(query), int(total))
    return ""


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)
    page_cache.invalidate(PAGE_TAG)


def index_changed(**_kwargs) -> None:
    """Retire every cached answer, now and again when the transaction commits (an answer
    computed meanwhile from the uncommitted state must not outlive it)."""
    _bump()
    transaction.on_commit(_bump, robust=True)


def connect_signals() -> None:
    page_cache.register_fragment(STATISTICS, _count_search, visitors=True)
    for signal in (post_save, post_delete):
        signal.connect(index_changed, sender=SynonymGroup, dispatch_uid=f"answers-{signal}")
        # The editors' weights per kind of content change the order of every answer.
        signal.connect(
            index_changed, sender=SearchKindWeight, dispatch_uid=f"answers-weights-{signal}"
        )
