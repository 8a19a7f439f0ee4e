from django.core.paginator import Paginator
from django.shortcuts import render

from search.services import MAX_QUERY_LENGTH, search

PAGE_SIZE = 20


def results(request):
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    hits = search(request.user, query)
    page = Paginator(hits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "search/results.html",
        {"search_query": query, "page_obj": page, "total": len(hits)},
    )
