"""What each module offers to the search page.

A module registers a ``Searchable``: a label and a function giving the live queryset of its
searchable items (Wagtail-indexed). The search module imports no feature model.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Searchable:
    key: str
    label: str
    queryset: Callable


_searchables: dict[str, Searchable] = {}


def register(searchable: Searchable) -> None:
    _searchables[searchable.key] = searchable


def searchables() -> list[Searchable]:
    return list(_searchables.values())
