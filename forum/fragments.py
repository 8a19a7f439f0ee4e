"""The posts of a topic page, rendered once per post version and reader flags, then cached.

A post's card depends only on what its key holds: the post (id, rendered text, dates, approval,
edits), its visibility for this reader (hidden, reason, text shown), whether the reader wrote
it, moderates, may mark the solution, its author's displayed name, its attachments, whether it
is the solution or the question, and the language. Access is decided before: only posts the
reader may view are looked up; the cache only spares re-rendering them.

Cards with forms are cached with a placeholder where the CSRF token goes, replaced by the
reader's token on the way out. The placeholder is derived from ``SECRET_KEY`` (the same in
every process, unknown to members): a post cannot spell it to make a card reveal a token.
"""

import hashlib

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

TEMPLATE = "forum/includes/post.html"
SECONDS = 3600


def _placeholder() -> str:
    return salted_hmac("forum.fragments", "csrf-token-placeholder").hexdigest()


PLACEHOLDER = lazy(_placeholder, str)()  # the settings are read at first use


def _key(item, flags) -> str:
    post = item["post"]
    parts = (
        item["pk"], post._content_rendered, item["created_iso"], item["edited"],
        item["approved"], item["hidden"], item["reason"], item["show_text"], item["own"],
        item["question"], item["author"], [(a.pk, a.filename) for a in item["attachments"]],
        flags, get_language(),
    )  # fmt: skip
    return "forum:post:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


def add_html(request, items, solution, moderator: bool, may_solve: bool) -> None:
    """Set ``item["html"]``, the rendered card, from the cache or rendered now and cached."""
    solution_pk = solution.pk if solution is not None else None
    keys = {_key(item, (moderator, may_solve, item["pk"] == solution_pk)): item for item in items}
    found = cache.get_many(list(keys))
    fresh = {}
    token = get_token(request)
    for key, item in keys.items():
        html = found.get(key)
        if html is None:
            context = {
                "item": item,
                "solution": solution,
                "moderator": moderator,
                "may_solve": may_solve,
                "csrf_token": str(PLACEHOLDER),
            }
            html = fresh[key] = render_to_string(TEMPLATE, context)
        # Rendered by our template (autoescaped); the token is ours.
        item["html"] = mark_safe(html.replace(str(PLACEHOLDER), token))  # noqa: S308
    if fresh:
        cache.set_many(fresh, SECONDS)
