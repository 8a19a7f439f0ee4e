"""Search across registered modules, keeping only what the user may view."""

from dataclasses import dataclass

from portal.access import can_view
from search.registry import searchables

MAX_CANDIDATES = 200
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Hit:
    module: str
    title: str
    url: str
    summary: str


def search(user, query: str) -> list[Hit]:
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not query:
        return []
    hits = []
    for searchable in searchables():
        for obj in searchable.queryset().search(query)[:MAX_CANDIDATES]:
            if can_view(user, obj):
                hits.append(
                    Hit(
                        module=searchable.label,
                        title=obj.title,
                        url=obj.url,
                        summary=getattr(obj, "search_summary", ""),
                    )
                )
    return hits
