"""The posts of a topic page, rendered once per post version and reader flags, then cached.

A post's card depends only on what its key holds: the post (id, rendered text, dates, approval,
edits), its visibility for this reader (hidden, reason, text shown), whether the reader wrote
it, its author's displayed name, its attachments, whether it is the solution, and the language.
Readers who see forms on the cards (moderators; the topic's author, who marks the solution)
carry a CSRF token there and are never served from this cache. Access is decided before: only
posts the reader may view are looked up; the cache only spares re-rendering them.
"""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

TEMPLATE = "forum/includes/post.html"
SECONDS = 3600


def cacheable(moderator: bool, may_solve: bool) -> bool:
    return not (moderator or may_solve)


def _key(item, solution_pk) -> str:
    post = item["post"]
    parts = (
        item["pk"], post._content_rendered, item["created_iso"], item["edited"],
        item["approved"], item["hidden"], item["reason"], item["show_text"], item["own"],
        item["author"], [(a.pk, a.filename) for a in item["attachments"]],
        item["pk"] == solution_pk, get_language(),
    )  # fmt: skip
    return "forum:post:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


def add_html(items, solution) -> None:
    """Set ``item["html"]``, the rendered card, from the cache or rendered now and cached."""
    solution_pk = solution.pk if solution is not None else None
    keys = {_key(item, solution_pk): item for item in items}
    found = cache.get_many(list(keys))
    fresh = {}
    for key, item in keys.items():
        html = found.get(key)
        if html is None:
            context = {"item": item, "solution": solution, "moderator": False, "may_solve": False}
            html = fresh[key] = render_to_string(TEMPLATE, context)
        item["html"] = mark_safe(html)  # noqa: S308 (rendered by our template, autoescaped)
    if fresh:
        cache.set_many(fresh, SECONDS)
