from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from portal import modules as portal_modules
from portal import page_cache
from search import answer_cache, registry, services
from search.services import SearchParams


def _query_string(params: dict[str, list]) -> str:
    return "?" + urlencode([(name, value) for name, values in params.items() for value in values])


def _toggle_url(params: dict[str, list], name, value) -> str:
    """The current query string (``params``: its values per name) with ``name=value`` switched
    on or off (back to page 1)."""
    values = params.get(name, [])
    if name == "period":
        values = [] if value in values else [value]
    elif value in values:
        values = [v for v in values if v != value]
    else:
        values = [*values, value]
    changed = {**params, name: values}
    changed.pop("page", None)
    return _query_string(changed)


def _with(params: dict[str, list], **changes) -> str:
    return _query_string({**params, **{name: [str(v)] for name, v in changes.items()}})


def _community_url(query: str = "") -> str:
    """Where to ask the community (the module declaring ``community_url_name``), else the
    contact page. The query goes along as ``?ask=``: the module may open a question with it."""
    name = portal_modules.community_url_name()
    try:
        if name and query:
            return reverse(name) + "?" + urlencode({"ask": query})
        return reverse(name or "legal:contact")
    except NoReverseMatch:
        return ""


@require_GET
def results(request):
    params = SearchParams.from_querydict(request.GET)
    found = answer_cache.search(request.user, params) if params.query else None
    typed = dict(request.GET.lists())  # one copy for every link of the page
    facets = []
    if found:
        for group in found.facets:
            values = [
                (value, _toggle_url(typed, group.name, value.value)) for value in group.values
            ]
            facets.append((group, values))
    pages = []
    if found and found.page_count > 1:
        first = max(1, min(params.page - 2, found.page_count - 4))
        pages = [
            (number, _with(typed, page=number))
            for number in range(first, min(found.page_count, first + 4) + 1)
        ]
    response = render(
        request,
        "search/results.html",
        {
            "search_query": params.query,
            "params": params,
            "found": found,
            "facets": facets,
            "pages": pages,
            "previous_url": _with(typed, page=params.page - 1) if params.page > 1 else "",
            "next_url": (
                _with(typed, page=params.page + 1)
                if found and params.page < found.page_count
                else ""
            ),
            "sort_urls": {sort: _with(typed, sort=sort) for sort in services.SORTS},
            "suggestion_url": (
                _with(typed, q=found.suggestion, page=1) if found and found.suggestion else ""
            ),
            "literal_url": (
                _with(typed, q=params.query, literal=1, page=1) if found and found.corrected else ""
            ),
            "first_rank": (params.page - 1) * services.PAGE_SIZE + 1,
            # Offered when nothing is found (the page shows it then only).
            "community_url": "" if found and found.hits else _community_url(params.query),
            "statistics_argument": answer_cache.statistics_argument(found),
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    return page_cache.mark_cacheable(response, (answer_cache.PAGE_TAG,))


@require_GET
def suggestions(request):
    items = services.autocomplete(request.user, request.GET.get("q", ""))
    labels = {source.kind: str(source.label) for source in registry.sources()}
    response = JsonResponse(
        {
            "suggestions": [
                {"title": item.title, "url": item.url, "section": labels.get(item.kind, "")}
                for item in items
            ]
        }
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
