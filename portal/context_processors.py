from functools import lru_cache

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from wagtail.models import Site

from portal import modules, region
from portal.access.membership import audience_key
from portal.menus import menu_entries
from portal.models import StandardPage


def language_links(request):
    """One link per language to the current page in that language."""
    path, mark, query = request.get_full_path().partition("?")
    current = get_language()
    return [
        {
            "code": code,
            "name": name,
            "url": translated_path(path, code) + mark + query,
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


@lru_cache(maxsize=4096)
def translated_path(path: str, code: str) -> str:
    """``translate_url`` of a path: it follows from the URL patterns alone (resolving and
    reversing cost more than the rest of the language links)."""
    return translate_url(path, code)


@receiver(setting_changed, dispatch_uid="translated-path-urls")
def _forget_translated_paths(setting, **_kwargs) -> None:
    if setting in ("ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"):
        translated_path.cache_clear()


def header_menu_pages(request):
    """The menu of the request's site, kept per host and port (those ``ALLOWED_HOSTS`` lets
    through): a kept menu costs no site lookup, a query on every page otherwise."""
    try:
        place = f"host:{request.get_host()}|{request.get_port()}"
    except DisallowedHost:  # an error page for a host not allowed: looked up, not kept
        place = None

    def pages():
        if (site := Site.find_for_request(request)) is None:
            return StandardPage.objects.none()
        return StandardPage.in_menu_of(site.root_page)

    return menu_entries(request.user, place, pages)


def portal(request):
    return {
        "portal_name": settings.PORTAL_NAME,
        "region": region.current(),
        "portal_modules": modules.navigation(),
        "language_links": SimpleLazyObject(lambda: language_links(request)),
        "header_menu_pages": SimpleLazyObject(lambda: header_menu_pages(request)),
        # Who may view what: the kept header navigation is kept per audience.
        "audience": SimpleLazyObject(lambda: audience_key(request.user)),
        "demo_mode": settings.DEMO_MODE,
    }
