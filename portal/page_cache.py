"""Whole-response cache for anonymous visitors, invalidated on every publication.

Anonymous visitors only ever see public content, so one cached copy per URL serves them all.
A response is stored only when its view opted in (``mark_cacheable``), it answered 200 and it
sets no cookie. Publishing, unpublishing, moving or deleting a page bumps a version number
that is part of every key, so the next hit renders afresh. Modules whose data shows on pages
call ``invalidate()`` when it changes.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete
from django.http import HttpResponse

VERSION_KEY = "pagecache:version"
CACHEABLE_ATTR = "cache_for_anonymous"
SKIPPED_HEADERS = {"set-cookie", "content-length"}


def mark_cacheable(response):
    setattr(response, CACHEABLE_ATTR, True)
    return response


def invalidate(**_kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def _key(request, version) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}".encode()
    return f"pagecache:{version}:{hashlib.sha256(raw).hexdigest()}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return self.get_response(request)
        key = _key(request, cache.get(VERSION_KEY, 0))
        hit = cache.get(key)
        if hit is not None:
            status, headers, content = hit
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._storable(request, response):
            headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]
            cache.set(
                key,
                (response.status_code, headers, response.content),
                settings.PAGE_CACHE_SECONDS,
            )
        return response

    @staticmethod
    def _storable(request, response) -> bool:
        user = getattr(request, "user", None)
        return (
            request.method == "GET"
            and getattr(response, CACHEABLE_ATTR, False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and (user is None or not user.is_authenticated)
        )


def _page_deleted(sender, **_kwargs):
    from wagtail.models import Page

    if issubclass(sender, Page):
        invalidate()


def connect_signals() -> None:
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(invalidate, dispatch_uid="pagecache-published")
    page_unpublished.connect(invalidate, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(invalidate, dispatch_uid="pagecache-moved")
    post_delete.connect(_page_deleted, dispatch_uid="pagecache-deleted")
