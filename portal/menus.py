"""Menu entries (top-level pages flagged for menus), cached per audience.

Everyone with the same membership (approval, roles, establishment) sees the same menu, so the
menu is computed once per audience and cached until the next publication.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache

from portal import page_cache
from portal.access import visible_to
from portal.access.membership import audience_key

MENU_CACHE_SECONDS = 600


@dataclass(frozen=True)
class MenuEntry:
    title: str
    url: str
    intro: str


def menu_entries(user, place: str | None, pages: Callable) -> list[MenuEntry]:
    """``place``: what finds the home page (its id, or the host and port its site is found
    from; None: not cached); ``pages()``: the menu pages under it (called only when not cached:
    finding the site and building the queryset cost queries). Any page or site change bumps
    the version in the key."""
    key = (
        None
        if place is None
        else f"menu:{page_cache.current_version()}:{place}:{audience_key(user)}"
    )
    entries = None if key is None else cache.get(key)
    if entries is None:
        entries = [
            MenuEntry(page.title, page.get_url(), page.intro) for page in visible_to(user, pages())
        ]
        if key is not None:
            cache.set(key, entries, MENU_CACHE_SECONDS)
    return entries
