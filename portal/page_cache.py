"""Whole-page cache: one copy per URL for anonymous visitors, one per audience for members.

Anonymous visitors only ever see public content, so one cached copy per URL serves them all.
Members with the same audience (``access.membership.audience_key``: approval, roles,
establishment) may view exactly the same content, so they share one copy per URL in which only
the personal fragments are rendered afresh for each request: the account links, and what a
module registers (``register_fragment``, e.g. a reader's own vote, favourite and watch state on
a document). A template marks such a part with ``{% personal_fragment "name" arg %}``; a hit
re-renders each marked part for the request, as the miss did, nothing else.

A response is stored only when its view opted in (``mark_cacheable``: the page shows nothing
personal outside its fragments), it answered 200 and it set no cookie. Publishing,
unpublishing, moving or deleting a page bumps a version number that is part of every key, so
the next hit renders afresh. A response may also name tags (``mark_cacheable(response, tags)``,
e.g. ``HOME`` for the home page): it is stored with the version of each tag, and
``invalidate(tag)`` retires only the copies carrying that tag. A module declares which of its
models invalidate which tags (``PortalModule.page_cache_tags``, see ``invalidate_on_change``),
so that a new forum post refreshes the home page's "latest" and the forum's pages, nothing else.
Each process re-reads the shared version at most once per ``VERSION_CHECK_SECONDS`` (the process
that invalidates sees it at once) and keeps its most used copies in memory, so most hits read
nothing from the shared cache.
"""

import hashlib
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.template.context_processors import csrf
from django.template.loader import get_template
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal.access.membership import audience_key
from portal.accounts import user_cache
from portal.notifications.templatetags.notifications import unread_notifications

VERSION_KEY = "pagecache:version"
TAG_VERSION_KEY = "pagecache:tag:{}"
CACHEABLE_ATTR = "cache_for_audience"
TAGS_ATTR = "cache_tags"
HOME = "home"  # the home page (its "latest" sections)
SKIPPED_HEADERS = {"set-cookie", "content-length"}
ACCOUNT_FRAGMENT = "account"  # the account links, in the header of every page
ACCOUNT_TEMPLATE = "layout/account_links.html"
# A personal fragment: its name, its argument (ids and paths, never text) and what was rendered.
FRAGMENT_START = b"<!--portal:fragment"
FRAGMENT = re.compile(
    rb"<!--portal:fragment ([\w.-]+) ([\w:.,/%-]*)-->.*?<!--/portal:fragment-->", re.S
)
ENTRY_FORMAT = "f3"  # in every key: copies stored by an older release are never read
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie storage
VERSION_CHECK_SECONDS = 1.0
_version = {"value": 0, "read_at": float("-inf")}
_tag_versions: dict[str, tuple[int, float]] = {}  # tag -> (version, read at)


def _seed(key: str) -> int:
    """Start a version missing from the shared cache (first use, or the cache was flushed) at
    a number never used before, so that no copy kept in a process's memory under an old
    number is ever taken for current."""
    cache.add(key, time.time_ns() // 1000, None)
    return cache.get(key, 0)


def current_version() -> int:
    now = time.monotonic()
    if now - _version["read_at"] >= VERSION_CHECK_SECONDS:
        version = cache.get(VERSION_KEY)
        _version["value"] = _seed(VERSION_KEY) if version is None else version
        _version["read_at"] = now
    return _version["value"]


def tag_versions(tags) -> dict[str, int]:
    """The current version of each tag (re-read at most once per ``VERSION_CHECK_SECONDS``)."""
    now = time.monotonic()
    stale = [
        t
        for t in tags
        if now - _tag_versions.get(t, (0, float("-inf")))[1] >= VERSION_CHECK_SECONDS
    ]
    if stale:
        found = cache.get_many([TAG_VERSION_KEY.format(tag) for tag in stale])
        for tag in stale:
            key = TAG_VERSION_KEY.format(tag)
            _tag_versions[tag] = (found[key] if key in found else _seed(key), now)
    return {tag: _tag_versions[tag][0] for tag in tags}


# --- Personal fragments ----------------------------------------------------------------------

FragmentRenderer = Callable[[object, str], str]  # (request, argument) -> HTML
_fragments: dict[str, FragmentRenderer] = {}
_for_visitors: set[str] = set()  # fragments re-rendered on anonymous hits too


def register_fragment(name: str, render: FragmentRenderer, visitors: bool = False) -> None:
    """``render(request, argument)`` gives the HTML of the personal part ``name`` for the
    request's user; it must be cheap (a hit renders it), and depend on nothing else than the
    request and the argument. Anonymous copies keep what the first visitor got, unless
    ``visitors`` (the fragment must run for each anonymous hit too, e.g. to count it)."""
    _fragments[name] = render
    if visitors:
        _for_visitors.add(name)


def fragment(request, name: str, argument: str = "") -> SafeString:
    """The fragment rendered for this request, between the markers a cache hit refills."""
    html = _fragments[name](request, argument)
    return mark_safe(  # noqa: S308 (the renderer's output is escaped by its template)
        f"<!--portal:fragment {name} {argument}-->{html}<!--/portal:fragment-->"
    )


_CSRF_ATTR = "_page_cache_csrf_token"


def csrf_context(request) -> dict:
    """``csrf_token`` for a fragment's template: lazy (a visitor's fragment sets no CSRF
    cookie), and masked once per request however many fragments show a form."""

    def token():
        if (value := request.__dict__.get(_CSRF_ATTR)) is None:
            value = request.__dict__[_CSRF_ATTR] = str(csrf(request)["csrf_token"])
        return value

    return {"csrf_token": SimpleLazyObject(token)}


def with_csrf(request, html: str) -> str:
    """A fragment kept rendered with ``CSRF_PLACEHOLDER``, the request's CSRF token written in."""
    if CSRF_PLACEHOLDER not in html:
        return html
    return html.replace(CSRF_PLACEHOLDER, str(csrf_context(request)["csrf_token"]))


def _account_links(request, _argument: str) -> str:
    """A member's links are kept rendered in this process per user version (``user_cache``:
    any change to the user, their profile or establishment retires it), language and unread
    count; only the CSRF token is written in per request."""
    user = request.user
    token = user_cache.token_of(user) if user.is_authenticated else None
    key = None if token is None else (user.pk, token, get_language(), unread_notifications(user))
    return kept(request, _account_links_rendered, key, lambda: _render_account_links(request))


def _render_account_links(request) -> str:
    # What the template reads, without running every context processor.
    context = {"request": request, "user": request.user, "csrf_token": CSRF_PLACEHOLDER}
    return get_template(ACCOUNT_TEMPLATE).render(context)


register_fragment(ACCOUNT_FRAGMENT, _account_links)


def _split(content: bytes) -> list | None:
    """The content as literal parts and (name, argument) fragments; None without the account
    links (not a full page), with a fragment nobody renders or one that cannot be read."""
    parts, position, names = [], 0, set()
    for match in FRAGMENT.finditer(content):
        name, argument = match[1].decode(), match[2].decode()
        parts += [content[position : match.start()], (name, argument)]
        names.add(name)
        position = match.end()
    parts.append(content[position:])
    if (
        ACCOUNT_FRAGMENT not in names
        or not names <= _fragments.keys()
        # A marker the pattern did not read would leave a reader's part in the shared copy.
        or content.count(FRAGMENT_START) != len(parts) // 2
    ):
        return None
    return parts


def _visitor_parts(content: bytes) -> list:
    """An anonymous copy: as the first visitor got it, but for the fragments registered for
    visitors, which each hit renders."""
    parts, position = [b""], 0
    for match in FRAGMENT.finditer(content):
        name = match[1].decode()
        if name in _for_visitors:
            parts += [content[position : match.start()], (name, match[2].decode()), b""]
            position = match.end()
    parts[-1] += content[position:]
    return parts


def _join(request, parts) -> bytes:
    return b"".join(
        part if isinstance(part, bytes) else fragment(request, *part).encode() for part in parts
    )


def _fresh(versions: dict[str, int]) -> bool:
    return not versions or tag_versions(versions) == versions


class LocalLRU:
    """A small per-process LRU whose entries live ``PAGE_CACHE_SECONDS`` at most (here: in front
    of the shared cache, with keys carrying the version)."""

    def __init__(self, size: int):
        self._size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._data.get(key)
            if entry is None or entry[0] < time.monotonic():
                self._data.pop(key, None)
                return None
            self._data.move_to_end(key)
            return entry[1]

    def set(self, key, value) -> None:
        with self._lock:
            self._data[key] = (time.monotonic() + settings.PAGE_CACHE_SECONDS, value)
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def set_and_return(self, key, value):
        self.set(key, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


_local = LocalLRU(size=256)
_account_links_rendered = LocalLRU(size=1024)
layout_parts = LocalLRU(size=1024)  # ``{% kept %}`` parts of the layout
CSRF_PLACEHOLDER = "portal-csrf-token-placeholder"


def kept(request, store: LocalLRU, key, render: Callable[[], str]) -> str:
    """A personal fragment rendered once per process for each ``key`` and kept in ``store``
    (``key`` None: rendered afresh, e.g. a user not loaded under a version): ``render()`` gives
    its HTML with ``CSRF_PLACEHOLDER`` as token, the request's token is written in. The key
    must carry everything the HTML shows."""
    if key is None:
        html = render()
    elif (html := store.get(key)) is None:
        html = store.set_and_return(key, render())
    return with_csrf(request, html)


def _get(key):
    value = _local.get(key)
    if value is None and (value := cache.get(key)) is not None:
        _local.set(key, value)
    return value


def _set(key, value) -> None:
    cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    _local.set(key, value)


def reset() -> None:
    """Forget everything this process holds (after the shared cache was cleared)."""
    _local.clear()
    _account_links_rendered.clear()
    layout_parts.clear()
    _version["read_at"] = float("-inf")
    _tag_versions.clear()


def mark_cacheable(response, tags=()):
    """Let the page cache store ``response``; ``tags``: what else may retire it early."""
    setattr(response, CACHEABLE_ATTR, True)
    setattr(response, TAGS_ATTR, tuple(tags))
    return response


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        _seed(key)
        cache.incr(key)


def invalidate(*tags, **_kwargs) -> None:
    """Retire the copies carrying one of ``tags``; with no tag, every copy (a signal receiver)."""
    if not tags:
        _bump(VERSION_KEY)
        _version["read_at"] = float("-inf")
    for tag in tags:
        _bump(TAG_VERSION_KEY.format(tag))
        _tag_versions.pop(tag, None)


def invalidate_on_change(model, tags) -> Callable[[], None]:
    """Saving or deleting an object of ``model`` retires the copies carrying one of ``tags``.

    Returns what undoes it (tests)."""
    tags = tuple(tags)

    def receiver(**_kwargs):
        invalidate(*tags)
        # Again once committed: a page read between the change and its commit is retired too.
        transaction.on_commit(lambda: invalidate(*tags))

    uid = f"pagecache-{model._meta.label_lower}-{','.join(tags)}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid)

    def disconnect() -> None:
        post_save.disconnect(sender=model, dispatch_uid=uid)
        post_delete.disconnect(sender=model, dispatch_uid=uid)

    return disconnect


def _key(request, audience: str) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}|{audience}".encode()
    return f"pagecache:{ENTRY_FORMAT}:{current_version()}:{hashlib.sha256(raw).hexdigest()}"


def _has_messages(request) -> bool:
    """Pending flash messages are personal: such a request neither reads nor fills the cache."""
    storage = getattr(request, "_messages", None)
    return storage is not None and (storage.used or len(storage) > 0)


def _storable(request, response) -> bool:
    return (
        request.method == "GET"
        and not _has_messages(request)
        and getattr(response, CACHEABLE_ATTR, False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
    )


def _entry(response, *content) -> tuple:
    """What is stored: the versions of the response's tags, its status, headers and content."""
    versions = tag_versions(getattr(response, TAGS_ATTR, ()))
    return (versions, response.status_code, _headers(response), *content)


def _headers(response) -> list:
    return [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]


def _build(status, headers, content) -> HttpResponse:
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


class AnonymousPageCacheMiddleware:
    """First in the chain: answers anonymous hits before any other work."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or MESSAGES_COOKIE in request.COOKIES
        ):
            return self.get_response(request)
        key = _key(request, "anonymous")
        if (hit := _get(key)) is not None and _fresh(hit[0]):
            _versions, status, headers, parts = hit
            content = parts[0] if len(parts) == 1 else _join(request, parts)
            return _build(status, headers, content)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if _storable(request, response) and (user is None or not user.is_authenticated):
            _set(key, _entry(response, _visitor_parts(response.content)))
        return response


class AudiencePageCacheMiddleware:
    """After authentication: members share one copy per audience; account links stay theirs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or not request.user.is_authenticated
            or _has_messages(request)
        ):
            return self.get_response(request)
        key = _key(request, audience_key(request.user))
        if (hit := _get(key)) is not None and _fresh(hit[0]):
            _versions, status, headers, parts = hit
            response = _build(status, headers, _join(request, parts))
        else:
            response = self.get_response(request)
            if _storable(request, response):
                self._store(key, response)
        patch_cache_control(response, private=True)
        return response

    @staticmethod
    def _store(key, response) -> None:
        if (parts := _split(response.content)) is not None:
            _set(key, _entry(response, parts))


def _page_deleted(sender, **_kwargs):
    if issubclass(sender, Page):
        invalidate()


def connect_signals() -> None:
    page_published.connect(invalidate, dispatch_uid="pagecache-published")
    page_unpublished.connect(invalidate, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(invalidate, dispatch_uid="pagecache-moved")
    post_delete.connect(_page_deleted, dispatch_uid="pagecache-deleted")
    # Wagtail privacy settings take effect without a publication; a site's host or root page
    # changes what every URL shows (and the menus kept per host).
    for signal in (post_save, post_delete):
        signal.connect(invalidate, sender=PageViewRestriction, dispatch_uid=f"pagecache-{signal}")
        signal.connect(invalidate, sender=Site, dispatch_uid=f"pagecache-site-{signal}")
