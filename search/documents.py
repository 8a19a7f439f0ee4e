"""The shape of what a module puts into the search index.

A module builds ``SearchDocument`` objects in its own ``search_documents.py``; the search
module never imports a feature model. The access fields are those of the access model
(``portal.access``): backends filter on them before ranking, counting and highlighting.
"""

import datetime
from dataclasses import dataclass, field

from portal.access.fields import as_role_set


@dataclass(frozen=True)
class SearchDocument:
    key: str  # unique across the index, e.g. "docs_base.documentpage:42"
    kind: str  # the registered source it comes from, e.g. "documents"
    title: str
    url: str
    body: str = ""  # plain text, attachments' text included
    summary: str = ""  # shown when no passage of the body matches
    tags: tuple[str, ...] = ()
    # facet name -> values (codes); labels come from ``registry.register_facet``.
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    date: datetime.datetime | None = None
    popularity: int = 0
    access_level: str = "public"
    allowed_roles: frozenset = frozenset()
    establishment_id: int | None = None
    establishment_families: frozenset = frozenset()  # ``EstablishmentFamilyAudience``

    def __post_init__(self):
        object.__setattr__(self, "allowed_roles", as_role_set(self.allowed_roles))
        families = as_role_set(self.establishment_families)
        object.__setattr__(self, "establishment_families", families)
        if isinstance(self.date, datetime.date) and not isinstance(self.date, datetime.datetime):
            moment = datetime.datetime.combine(self.date, datetime.time(), datetime.UTC)
            object.__setattr__(self, "date", moment)


def access_fields(obj) -> dict:
    """The access fields of an ``AccessControlled`` object, as ``SearchDocument`` arguments."""
    return {
        "access_level": obj.access_level,
        "allowed_roles": as_role_set(obj.allowed_roles),
        "establishment_id": obj.establishment_id,
        "establishment_families": as_role_set(getattr(obj, "establishment_families", None)),
    }


def model_key(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"
