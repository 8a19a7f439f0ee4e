"""What a REX puts into the unified search: debrief text, facets, access fields."""

import pytest
from django.utils import translation
from wagtail.models import PageViewRestriction

from docs_base.search_documents_rex import rex_document
from portal.access import Role, Tlp
from search import registry
from search.documents import model_key
from tests.docs_base.factories import rex_page
from tests.portal.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db


def test_source_and_incident_type_facet_are_registered():
    from docs_base.models import RexPage

    source = registry.source("rex")
    assert source is not None and source.models == (RexPage,)
    facet = {facet.name: facet for facet in registry.facets()}["incident_type"]
    with translation.override("en"):
        assert str(source.label) == "Experience feedback"
        assert facet.choices()["ceo_fraud"] == "CEO fraud (FOVI)"


def test_document_of_a_published_rex():
    establishment = EstablishmentFactory(finess="380000061", name="CH Théta")
    page = rex_page(
        title="Prise de contrôle à distance",
        incident_type="remote_access",
        establishment_type="ehpad",
        detection="Le prestataire a vu des connexions la nuit.",
        what_did_not_work="L'annuaire des astreintes était sur le serveur chiffré.",
        timeline=[
            (
                "step",
                {"date": "2024-03-01", "time": None, "description": "Coupure du VPN prestataire."},
            )
        ],
        tlp=Tlp.RED,
        reporting_establishment=establishment,
    )
    document = rex_document(page)
    assert document.key == model_key(page)
    assert document.kind == "rex"
    assert document.url == page.url
    # No establishment type facet, and only the type's family in the text (a rare type would
    # pick the REX out: docs_base.rex.anonymity).
    assert document.facets == {"incident_type": ("remote_access",)}
    with translation.override("fr"):
        assert "Établissement médico-social" in rex_document(page).body
    assert "EHPAD" not in document.body
    for text in (
        "connexions la nuit",
        "annuaire des astreintes",
        "Coupure du VPN prestataire",
        page.lessons_learnt,
    ):
        assert text in document.body
    assert "CH Théta" not in document.body  # anonymous: the name is not indexed
    assert document.access_level == "establishment"
    assert document.establishment_id == establishment.pk
    assert document.allowed_roles == frozenset({Role.RSSI, Role.DIRECTOR})


def test_named_establishment_is_searchable_only_with_consent():
    establishment = EstablishmentFactory(finess="380000062", name="CH Iota")
    page = rex_page(reporting_establishment=establishment, show_establishment_name=True)
    assert "CH Iota" in rex_document(page).body


def test_drafts_and_privacy_restricted_pages_are_not_indexed():
    assert rex_document(rex_page(title="Brouillon", slug="brouillon", publish=False)) is None
    private = rex_page(title="Privé", slug="prive")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert rex_document(private) is None
