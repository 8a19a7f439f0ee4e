"""What the document base puts into the unified search index (the REX part declares its own)."""

import logging

from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model

from docs_base.models.documents import (
    DocumentPage,
    DocumentSource,
    DocumentStats,
    DocumentType,
    Theme,
)
from portal.accounts.models import EstablishmentType
from search.attachments import extract_text
from search.documents import SearchDocument
from search.pages import page_document
from search.registry import Facet, Source

logger = logging.getLogger(__name__)

KIND = "documents"


def _extract(document) -> str:
    try:
        with document.file.open("rb") as handle:
            return extract_text(handle, document.filename) or ""
    except Exception:  # an unreadable file must not stop indexing the page
        logger.warning("could not read the text of document %s", document.pk, exc_info=True)
        return ""


def attachments_text(page) -> str:
    ids = {a.document_id for a in page.attachments.all()}
    ids |= {int(i) for i in page.body_document_ids.split(",") if i}
    documents = get_document_model().objects.filter(pk__in=ids).order_by("pk")
    return "\n".join(filter(None, (_extract(document) for document in documents)))


def document_page(page) -> SearchDocument | None:
    if page.archived:
        return None
    return page_document(
        page,
        KIND,
        summary=page.summary,
        body=(page.summary, page.body, attachments_text(page)),
        facets={
            "theme": tuple(sorted(page.themes)),
            "audience": tuple(sorted(page.audiences)),
            "establishment_type": tuple(sorted(page.establishment_types)),
            "content_type": (page.document_type,) if page.document_type else (),
            "source": (page.source,) if page.source else (),
        },
        date=page.last_published_at,
        popularity=_popularity(page),
    )


def _popularity(page) -> int:
    try:
        return page.stats.downloads
    except DocumentStats.DoesNotExist:
        return 0


def _choices(codes):
    return lambda: {code: str(label) for code, label in codes.choices}


SOURCE = Source(
    kind=KIND,
    label=_("Documents"),
    models=(DocumentPage,),
    document=document_page,
    candidates=lambda: (
        DocumentPage.objects.live().filter(archived=False).select_related("establishment", "stats")
    ),
    order=10,
    index_url_name="docs_base:catalogue",
)
FACETS = tuple(
    Facet(name=name, label=label, choices=_choices(codes), order=10 + order)
    for order, (name, label, codes) in enumerate(
        (
            ("theme", _("Theme"), Theme),
            ("content_type", _("Content type"), DocumentType),
            ("establishment_type", _("Establishment type"), EstablishmentType),
            ("source", _("Source"), DocumentSource),
        )
    )
)
