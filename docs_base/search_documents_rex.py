"""What experience feedback (REX) puts into the unified search index."""

from django.utils.translation import gettext_lazy as _

from docs_base.models.rex import IncidentType, RexPage
from docs_base.rex import anonymity
from search.documents import SearchDocument
from search.pages import page_document
from search.registry import Facet, Source

KIND = "rex"


def rex_document(page) -> SearchDocument | None:
    steps = [block.value.get("description", "") for block in page.timeline]
    # Only the type family, never the type: a search for "CHU" must not pick out the REX of
    # a rare type that its page shows widened (docs_base.rex.anonymity). No type facet either.
    family = anonymity.TypeFamily(anonymity.family_of(page.establishment_type)).label
    extra = [page.get_incident_type_display(), str(family)]
    if page.establishment_name:  # named with consent: nothing to hide
        extra += [page.get_establishment_type_display(), page.establishment_name]
    return page_document(
        page,
        KIND,
        summary=page.summary,
        body=(*page.debrief_text, *steps, *extra),
        facets={"incident_type": (page.incident_type,)},
        date=page.first_published_at,
    )


def incident_type_labels() -> dict[str, str]:
    return {value: str(label) for value, label in IncidentType.choices}


SOURCE = Source(
    kind=KIND,
    label=_("Experience feedback"),
    models=(RexPage,),
    document=rex_document,
    candidates=lambda: RexPage.objects.live().select_related("reporting_establishment"),
    order=200,
    index_url_name="docs_base:rex_home",
)
FACETS = (Facet(name="incident_type", label=_("Incident type"), choices=incident_type_labels),)
