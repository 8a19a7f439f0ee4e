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


def menu_entries(user, home_id: int, pages: Callable) -> list[MenuEntry]:
    """``pages()``: the menu pages under the home page (called only when not cached: building
    the queryset already reads the privacy restrictions)."""
    key = f"menu:{page_cache.current_version()}:{home_id}:{audience_key(user)}"
    entries = cache.get(key)
    if entries is None:
        entries = [
            MenuEntry(page.title, page.get_url(), page.intro) for page in visible_to(user, pages())
        ]
        cache.set(key, entries, MENU_CACHE_SECONDS)
    return entries
