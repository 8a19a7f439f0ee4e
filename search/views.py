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


def _toggle_url(request, name, value) -> str:
    """The current query string with ``name=value`` switched on or off (back to page 1)."""
    query = request.GET.copy()
    query.pop("page", None)
    values = query.getlist(name)
    if name == "period":
        query.setlist(name, [] if value in values else [value])
    elif value in values:
        query.setlist(name, [v for v in values if v != value])
    else:
        query.setlist(name, [*values, value])
    return "?" + query.urlencode()


def _with(request, **changes) -> str:
    query = request.GET.copy()
    for name, value in changes.items():
        query[name] = value
    return "?" + query.urlencode()


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
    facets = []
    if found:
        for group in found.facets:
            values = [
                (value, _toggle_url(request, group.name, value.value)) for value in group.values
            ]
            facets.append((group, values))
    pages = []
    if found and found.page_count > 1:
        first = max(1, min(params.page - 2, found.page_count - 4))
        pages = [
            (number, _with(request, page=number))
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
            "previous_url": _with(request, page=params.page - 1) if params.page > 1 else "",
            "next_url": (
                _with(request, page=params.page + 1)
                if found and params.page < found.page_count
                else ""
            ),
            "sort_urls": {sort: _with(request, sort=sort) for sort in services.SORTS},
            "suggestion_url": (
                _with(request, q=found.suggestion, page=1) if found and found.suggestion else ""
            ),
            "literal_url": (
                _with(request, q=params.query, literal=1, page=1)
                if found and found.corrected
                else ""
            ),
            "first_rank": (params.page - 1) * services.PAGE_SIZE + 1,
            "community_url": _community_url(params.query),
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
