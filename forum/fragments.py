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

from portal import page_cache

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


def add_html(request, items, solution, moderator: bool, may_solve: bool, shared=None) -> None:
    """Set ``item["html"]``, the rendered card, from the cache or rendered now and cached.

    ``shared``: the topic of a page cached per audience (``forum.personal``): the cards are
    the same for every reader but for the reader's own parts, the post's actions and a hidden
    post's notice, written in as personal fragments."""
    solution_pk = solution.pk if solution is not None else None
    slots = {"actions": _slot("actions"), "hidden": _slot("hidden")} if shared else None

    def flags(item):
        solved = item["pk"] == solution_pk
        return ("shared", solved) if shared else (moderator, may_solve, solved)

    keys = {_key(item, flags(item)): item for item in items}
    found = cache.get_many(list(keys))
    fresh = {}
    token = get_token(request) if not shared else None
    for key, item in keys.items():
        html = found.get(key)
        if html is None:
            context = {
                "item": item,
                "solution": solution,
                "moderator": moderator,
                "may_solve": may_solve,
                "csrf_token": str(PLACEHOLDER),
                "slots": slots,
            }
            html = fresh[key] = render_to_string(TEMPLATE, context)
        if shared:
            item["solution"] = item["pk"] == solution_pk
            html = _fill(request, html, item, shared)
        else:
            html = html.replace(str(PLACEHOLDER), token)
        # Rendered by our template (autoescaped); the token and fragments are ours.
        item["html"] = mark_safe(html)  # noqa: S308
    if fresh:
        cache.set_many(fresh, SECONDS)


def _slot(name: str) -> str:
    return f"{PLACEHOLDER}-{name}"


def _fill(request, html: str, item, topic) -> str:
    from forum import personal  # not at the top: app loading (it imports the models)

    fragment = page_cache.fragment
    actions = fragment(request, personal.POST_ACTIONS, personal.post_argument(item, topic))
    html = html.replace(_slot("actions"), actions)
    if item["hidden"]:
        argument = f"{item['pk']}:{item['post'].poster_id or 0}"
        hidden = fragment(request, personal.HIDDEN, argument)
        html = html.replace(_slot("hidden"), hidden)
    return html
