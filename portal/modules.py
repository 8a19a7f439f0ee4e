"""How a module plugs into the portal: one declaration, discovered at start-up.

A module (an installed app) declares itself once, in its ``module.py``, with one
``PortalModule`` subclass per part it offers (README.md, *Adding a module*). When the portal
is ready, ``discover()`` imports every installed app's ``module.py`` and, for each subclass
found there, registers what it declares: its navigation entry and home "latest" section, its
search sources and facets, its personal-data section, its demo steps, its notification kinds and
periodic jobs, and which cached pages a change to which model invalidates. The portal imports
no feature module by name.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from portal import demo, page_cache
from portal.accounts import personal_data as personal_data_sections
from portal.accounts.personal_data import Section
from portal.demo import DemoStep
from portal.notifications import jobs as job_registry
from portal.notifications import kinds as notification_registry
from portal.notifications.jobs import Job
from portal.notifications.kinds import NotificationKind
from search import registry as search_registry
from search.registry import Facet, Source

DECLARATION_MODULE = "module"


@dataclass(frozen=True)
class HomeItem:
    title: str
    url: str
    date: datetime.date | None = None
    summary: str = ""


class PortalModule:
    """Subclass in ``<app>/module.py``; every attribute is optional but ``key`` and ``label``."""

    key: str = ""  # unique across the portal, e.g. "documents"
    label: str = ""  # shown in the header and on the home page
    order: int = 100  # position in the header and on the home page
    # The header's entry: the URL name of the module's index (empty: no entry). The header
    # marks it current on that URL and on a page whose ``module_key`` is this ``key``.
    url_name: str = ""
    # The module's URLconfs, included by ``portal/urls.py``: ``urls`` under the language prefix
    # (its routes start with "~", which no page slug holds), ``root_urls`` outside it. The
    # module's own views hang off its index page instead (``portal.routable``); these hold
    # what is neither a page nor a route (e.g. a header entry's redirect, file downloads).
    urls: str = ""
    root_urls: str = ""
    # An urgent entry ("Vous êtes attaqué ?"): drawn in the header with this DSFR icon and the
    # error colour, so that someone in a crisis finds it at a glance.
    urgent_icon: str = ""
    # Where the search page sends someone who found nothing ("ask the community").
    community_url_name: str = ""
    search_sources: Sequence[Source] = ()
    search_facets: Sequence[Facet] = ()
    # What the module holds about a member, for their export and the erasure of their account.
    personal_data: Section | None = None
    demo_steps: Sequence[DemoStep] = ()
    notification_kinds: Sequence[NotificationKind] = ()
    # Periodic jobs (digests, reminders) run by ``manage.py periodic``.
    periodic_jobs: Sequence[Job] = ()
    # model -> the page-cache tags (``page_cache.mark_cacheable``) that saving or deleting one
    # of its objects invalidates, e.g. {ForumPost: (page_cache.HOME, "forum")}.
    page_cache_tags: Mapping[type, Sequence[str]] = {}

    # latest(user, limit) -> the newest items this user may view, for the home page.
    latest = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key!r}>"


_modules: dict[str, PortalModule] = {}


def register(module: PortalModule) -> None:
    """Register one declaration (``discover`` does it for every installed app)."""
    _modules[module.key] = module
    for source in module.search_sources:
        search_registry.register(source)
    for facet in module.search_facets:
        search_registry.register_facet(facet)
    if module.personal_data is not None:
        personal_data_sections.register(module.personal_data)
    for step in module.demo_steps:
        demo.register_step(step)
    for kind in module.notification_kinds:
        notification_registry.register(kind)
    for job in module.periodic_jobs:
        job_registry.register(job)
    for model, tags in module.page_cache_tags.items():
        page_cache.invalidate_on_change(model, tags)


def unregister(key: str) -> None:
    """Forget a module's navigation entry and home section (tests)."""
    _modules.pop(key, None)


def declarations(app_module) -> list[type[PortalModule]]:
    """The ``PortalModule`` subclasses an app's ``module.py`` names."""
    return [
        value
        for value in vars(app_module).values()
        if isinstance(value, type) and issubclass(value, PortalModule) and value.key
    ]


def discover() -> None:
    for app in apps.get_app_configs():
        if module_has_submodule(app.module, DECLARATION_MODULE):
            app_module = import_module(f"{app.name}.{DECLARATION_MODULE}")
            for declaration in declarations(app_module):
                register(declaration())


def modules() -> list[PortalModule]:
    return sorted(_modules.values(), key=lambda module: (module.order, module.key))


def navigation() -> list[PortalModule]:
    return [module for module in modules() if module.url_name]


def home_sections() -> list[PortalModule]:
    return [module for module in modules() if module.latest is not None]


def urlconfs(attribute: str) -> list[str]:
    """Every module's ``urls`` (or ``root_urls``), once each, in the modules' order."""
    return list(dict.fromkeys(getattr(m, attribute) for m in modules() if getattr(m, attribute)))


def community_url_name() -> str:
    """The first module's "ask the community" URL name (the forum's), else ""."""
    return next((m.community_url_name for m in modules() if m.community_url_name), "")
