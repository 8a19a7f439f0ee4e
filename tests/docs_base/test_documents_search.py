"""What the document base puts into the unified search, and its navigation and home entries."""

import pytest
from fpdf import FPDF
from wagtail.models import PageViewRestriction

from docs_base.documents import module as documents_module
from docs_base.search_documents import document_page as search_document
from portal import modules as portal_modules
from portal.access import AccessLevel
from search import registry
from search.documents import model_key
from search.services import SearchParams, search
from tests.docs_base.factories import document_page, publish_new_revision, reader, wagtail_document
from tests.portal.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db


def pdf_bytes(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def test_the_source_and_facets_are_registered():
    source = registry.source("documents")
    assert source is not None and str(source.label) == "Documents"
    assert source.index_url_name == "docs_base:catalogue"
    names = {facet.name for facet in registry.facets()}
    assert {"theme", "audience", "establishment_type", "content_type", "source"} <= names
    theme = next(f for f in registry.facets() if f.name == "theme")
    assert "backups" in theme.choices()


def test_the_index_document_carries_text_facets_and_access():
    establishment = EstablishmentFactory()
    attachment = wagtail_document(
        "Fiche", "fiche-restauration.pdf", pdf_bytes("Restauration des sauvegardes hors ligne")
    )
    page = document_page(
        title="Plan de continuité",
        summary="Résumé du plan.",
        body=[("paragraph", "<p>Corps du guide.</p>")],
        attachments=[attachment],
        themes={"backups"},
        audiences={"rssi", "director"},
        establishment_types={"ehpad"},
        document_type="template",
        source="ars",
        access_level=AccessLevel.ESTABLISHMENT,
        establishment=establishment,
    )
    document = search_document(page)
    assert document.key == model_key(page) and document.kind == "documents"
    assert "Résumé du plan." in document.body and "Corps du guide." in document.body
    assert "Restauration des sauvegardes hors ligne" in document.body
    assert document.facets == {
        "theme": ("backups",),
        "audience": ("director", "rssi"),
        "establishment_type": ("ehpad",),
        "content_type": ("template",),
        "source": ("ars",),
    }
    assert document.access_level == AccessLevel.ESTABLISHMENT
    assert document.establishment_id == establishment.pk
    assert document.date == page.last_published_at


def test_drafts_archived_and_privacy_restricted_pages_are_not_searchable():
    assert search_document(document_page(title="Brouillon", publish=False)) is None
    archived = document_page(title="Archivé", archived=True)
    assert search_document(archived) is None
    private = document_page(title="Privé")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert search_document(private) is None


def test_search_within_the_base_respects_access_and_archiving():
    establishment = EstablishmentFactory()
    document_page(title="Rançongiciel : premiers gestes", summary="Isoler le poste.")
    document_page(
        title="Rançongiciel : plan interne",
        summary="Réservé.",
        access_level=AccessLevel.ESTABLISHMENT,
        establishment=establishment,
    )
    page = document_page(title="Rançongiciel : ancienne fiche", summary="Obsolète.")
    publish_new_revision(page, archived=True)
    params = SearchParams(query="rançongiciel", modules=frozenset({"documents"}))
    anonymous = [str(hit.title) for hit in search(None, params, record=False).hits]
    assert len(anonymous) == 1 and "premiers gestes" in anonymous[0]
    member = reader(establishment=establishment)
    assert len(search(member, params, record=False).hits) == 2


def test_navigation_entry_and_home_section():
    entry = next(e for e in portal_modules.navigation() if e.key == "documents")
    assert entry.url_name == "docs_base:catalogue" and entry.latest is documents_module.latest
    document_page(title="Ancien")
    document_page(title="Réservé RSSI", access_level=AccessLevel.ROLES, allowed_roles={"rssi"})
    document_page(title="Archivé", archived=True)
    document_page(title="Nouveau")
    assert [item.title for item in documents_module.latest(None, 4)] == ["Nouveau", "Ancien"]
    rssi = reader(roles={"rssi"})
    assert [item.title for item in documents_module.latest(rssi, 2)] == ["Nouveau", "Réservé RSSI"]
