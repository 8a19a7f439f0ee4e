"""What each module puts into the search index.

A module registers a ``Source`` from its ``AppConfig.ready`` (defined in its own
``search_documents.py``) and the facets its documents carry. The search module imports no
feature model: it only calls the functions a source gives.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portal.access.roles import Role
from search.documents import SearchDocument


@dataclass(frozen=True)
class Source:
    kind: str  # module key shown on results and used by the "module" facet
    label: str
    # Saving or deleting an instance of these models re-indexes it (pages: also publishing,
    # unpublishing, moving, privacy changes).
    models: tuple[type, ...]
    # The object's index document, or None when it must not be searchable (draft, archived...).
    # Its key must be ``search.documents.model_key(obj)``.
    document: Callable[[object], SearchDocument | None]
    # Every object that may be searchable, for a rebuild.
    candidates: Callable[[], Iterable]
    order: int = 100
    # URL name of the module's own index page, where "search within this module" lives.
    index_url_name: str = ""


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    # value code -> label, called at display time (labels are translated).
    choices: Callable[[], dict[str, str]]
    order: int = 100


# What any module's documents may carry as "audience": the portal's roles, declared here once
# (a module using it, such as the document base or e-learning, needs no other module).
AUDIENCE = Facet(
    name="audience",
    label=_("Audience"),
    choices=lambda: {code: str(label) for code, label in Role.choices},
    order=12,
)

_sources: dict[str, Source] = {}
_facets: dict[str, Facet] = {AUDIENCE.name: AUDIENCE}


def register(source: Source) -> None:
    _sources[source.kind] = source


def register_facet(facet: Facet) -> None:
    _facets[facet.name] = facet


def sources() -> list[Source]:
    return sorted(_sources.values(), key=lambda source: (source.order, source.kind))


def source(kind: str) -> Source | None:
    return _sources.get(kind)


def source_for_model(model) -> Source | None:
    for candidate in _sources.values():
        if issubclass(model, candidate.models):
            return candidate
    return None


def facets() -> list[Facet]:
    return sorted(_facets.values(), key=lambda facet: (facet.order, facet.name))
