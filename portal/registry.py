"""How feature modules add themselves to the portal: a navigation entry and a home section.

A module calls ``register(ModuleEntry(...))`` from its ``AppConfig.ready``; the header and
the home page read ``modules()``. The portal itself imports no feature module.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomeItem:
    title: str
    url: str
    date: datetime.date | None = None
    summary: str = ""


@dataclass(frozen=True)
class ModuleEntry:
    key: str
    label: str
    url_name: str
    order: int = 100
    # latest(user, limit) -> the newest items this user may view, for the home page.
    latest: Callable[..., list[HomeItem]] | None = None


_modules: dict[str, ModuleEntry] = {}


def register(entry: ModuleEntry) -> None:
    _modules[entry.key] = entry


def unregister(key: str) -> None:
    _modules.pop(key, None)


def modules() -> list[ModuleEntry]:
    return sorted(_modules.values(), key=lambda entry: (entry.order, entry.key))
