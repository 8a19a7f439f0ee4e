"""The demo content (``manage.py load_demo``): establishments, accounts, pages, the document base
and the REX. The demo is loaded once, in demo mode, for every test here that only reads it."""

import datetime
import io
import json
import re

import docx
import openpyxl
import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import LocalePrefixPattern, URLResolver, get_resolver
from django.utils import timezone
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, PageLogEntry, Revision

from docs_base.demo import content, loader
from docs_base.documents.lifecycle import published_changes
from docs_base.models import (
    DocumentAttachment,
    DocumentPage,
    DocumentSource,
    DocumentStats,
    DocumentType,
    RexPage,
    Theme,
)
from portal import demo as demo_registry
from portal import region
from portal.access import AccessLevel, Role, Tlp, visible_to
from portal.accounts.models import Establishment, EstablishmentType, MemberProfile, MemberStatus
from portal.models import HomePage, StandardPage
from tests.portal.factories import with_mfa

# The incident types the demo REX must cover (those seen in the regions' own write-ups).
REQUIRED_INCIDENTS = {
    "ransomware",
    "account_takeover",
    "remote_access",
    "ceo_fraud",
    "phishing",
    "data_leak",
    "medical_device",
    "supplier",
}


def _load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """The demo, loaded once (in demo mode) for the module and rolled back after it."""
    with django_db_blocker.unblock(), override_settings(DEMO_MODE=True), transaction.atomic():
        yield _load()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo_output, db):
    return demo_output


def test_demo_builds_a_realistic_region(loaded):
    establishments = Establishment.objects.all()
    assert establishments.count() >= 15
    assert len({e.department for e in establishments}) >= 10
    kinds = set(establishments.values_list("kind", flat=True))
    assert kinds == set(EstablishmentType.values)
    profile_roles = set()
    for profile in MemberProfile.objects.all():
        profile_roles |= profile.roles
    assert profile_roles == set(Role.values)
    assert HomePage.objects.live().count() == 1
    assert StandardPage.objects.live().count() >= 3


def test_demo_prints_one_login_per_role_in_demo_mode(loaded):
    for role in Role:
        assert str(role.label) in loaded
    assert "Mot de passe commun" in loaded
    user = get_user_model().objects.get(member_profile__roles__contains=",rssi,")
    assert user.has_usable_password()


def _words(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(data: bytes) -> str:
    return _words(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages))


def _file_bytes(document) -> bytes:
    with document.open_file() as fh:
        return fh.read()


def _attachments(extension: str):
    return [
        a
        for a in DocumentAttachment.objects.select_related(
            "page", "document", "document__collection"
        )
        if a.document.file.name.endswith(f".{extension}")
    ]


def test_documents_cover_every_theme_type_source_and_access_level(loaded):
    documents = list(DocumentPage.objects.live())
    assert len(documents) >= 30
    assert set().union(*(d.themes for d in documents)) == set(Theme.values)
    assert {d.document_type for d in documents} == set(DocumentType.values)
    assert {d.source for d in documents} == set(DocumentSource.values)
    assert {d.access_level for d in documents} == set(AccessLevel.values)
    assert all(d.audiences and d.summary and d.owner_id for d in documents)
    assert any(d.establishment_types for d in documents)
    restricted_to_one = [d for d in documents if d.access_level == AccessLevel.ESTABLISHMENT]
    assert all(d.establishment_id for d in restricted_to_one)
    searched_words = " ".join(f"{d.title} {d.summary}" for d in documents).lower()
    for word in ("rançongiciel", "hameçonnage", "sauvegarde", "pca", "mfa", "fovi"):
        assert word in searched_words


def _published_notes(page) -> list[str]:
    """The change notes of the page's published revisions, oldest first."""
    entries = PageLogEntry.objects.filter(
        page=page, action="wagtail.publish", revision__isnull=False
    ).order_by("timestamp", "pk")
    notes = [entry.revision.content.get("change_note", "") for entry in entries]
    return [note for note in notes if note]


def test_documents_have_a_life_cycle(loaded):
    today = timezone.localdate()
    documents = DocumentPage.objects.live()
    assert documents.filter(review_due__lt=today, archived=False).count() >= 3
    assert documents.filter(last_reviewed_at__isnull=True).exists()
    assert documents.filter(archived=True).count() >= 2
    assert documents.filter(featured=True).count() >= 3
    assert not documents.filter(featured=True, archived=True).exists()
    revised = [d for d in documents if _published_notes(d)]
    assert len(revised) >= 5
    ransomware = documents.get(slug="fiche-reflexe-rancongiciel")
    assert _published_notes(ransomware) == [
        "Ajout de l'appui de la cellule ACSS et du dépôt de plainte auprès du parquet.",
        "Précision : ne pas éteindre les postes, les débrancher du réseau.",
    ]
    assert ransomware.change_note == _published_notes(ransomware)[-1]
    shown = [change.note for change in published_changes(ransomware)]
    assert shown == list(reversed(_published_notes(ransomware)))
    # Backdated: published long before it was last reviewed, revised in between.
    assert ransomware.first_published_at.date() < ransomware.last_published_at.date() <= today
    assert ransomware.live_revision.created_at == ransomware.last_published_at
    assert DocumentStats.objects.filter(downloads__gt=0).count() == documents.count()


def test_attachments_are_pdfs_with_the_documents_french_text(loaded):
    pdfs = _attachments("pdf")
    assert len(pdfs) >= 20
    for attachment in pdfs:
        data = _file_bytes(attachment.document)
        assert data.startswith(b"%PDF-")
        assert attachment.document.collection.name == "Base documentaire"
        assert attachment.document.file_size == len(data)
        text = _pdf_text(data)
        assert _words(attachment.page.title) in text, attachment.page.slug
        assert _words(attachment.page.summary)[:80] in text, attachment.page.slug
    ransomware = next(a for a in pdfs if a.page.slug == "fiche-reflexe-rancongiciel")
    text = _pdf_text(_file_bytes(ransomware.document))
    for phrase in (
        "Fiche réflexe : attaque par rançongiciel",
        "Débrancher le câble réseau et couper le Wi-Fi du poste ; ne pas l'éteindre",
        "Ne pas payer la rançon",
        "CERT Santé",
        "procureur de la République",
    ):
        assert phrase in text
    # Windows-1252 characters beyond Latin-1 (€, œ, « ») come out as written.
    for slug, phrase in (
        ("gouvernance-securite-si-direction", "peut atteindre 700 k€."),
        ("obligations-reglementaires-cybersecurite", "mettre en œuvre des mesures"),
        ("affiche-hameconnage-un-doute", "« Un doute ? Ne cliquez pas ! »"),
    ):
        attachment = next(a for a in pdfs if a.page.slug == slug)
        assert phrase in _pdf_text(_file_bytes(attachment.document))


def test_templates_come_as_editable_word_and_excel_files(loaded):
    words = _attachments("docx")
    sheets = _attachments("xlsx")
    assert words and sheets
    for attachment in words:
        document = docx.Document(io.BytesIO(_file_bytes(attachment.document)))
        text = "\n".join(p.text for p in document.paragraphs)
        assert attachment.page.title in text
        assert "[Nom de l'établissement" in document.tables[0].cell(0, 1).text
    for attachment in sheets:
        book = openpyxl.load_workbook(io.BytesIO(_file_bytes(attachment.document)))
        sheet = book.worksheets[0]
        assert sheet["A1"].value == attachment.page.title
        assert sheet["A4"].value  # the first column heading
        assert "Mode d'emploi" in book.sheetnames


def test_restricted_documents_are_not_visible_to_anonymous_visitors(loaded):
    visible = visible_to(AnonymousUser(), DocumentPage.objects.live())
    assert set(visible.values_list("access_level", flat=True)) == {AccessLevel.PUBLIC}
    assert DocumentPage.objects.live().exclude(access_level=AccessLevel.PUBLIC).count() >= 8


def _visible_slugs(role: str) -> set[str]:
    profile = MemberProfile.objects.get(roles__contains=f",{role},", status=MemberStatus.APPROVED)
    return set(visible_to(profile.user, DocumentPage.objects.live()).values_list("slug", flat=True))


def test_demo_accounts_see_the_documents_meant_for_them(loaded):
    internal = "procedure-comptes-arrivees-departs-chu"  # the demo DSI's own CHU only
    for_security_staff = "revue-comptes-privileges-active-directory"  # RSSI and DSI
    for_members = "modele-pca-pra-cyber"
    dsi = _visible_slugs("dsi")
    assert {internal, for_security_staff, for_members} <= dsi
    director = _visible_slugs("director")
    assert for_members in director
    assert internal not in director and for_security_staff not in director


def test_rex_cover_the_incident_types_as_rssis_write_them(loaded):
    rex = list(RexPage.objects.live())
    assert len(rex) >= 8
    assert {r.incident_type for r in rex} >= REQUIRED_INCIDENTS
    covid = [r for r in rex if "crise sanitaire" in f"{r.title} {r.summary}"]
    assert covid, "a COVID-themed scam"
    departments = set(region.current().departments)
    document_ids = set(DocumentPage.objects.live().values_list("pk", flat=True))
    for page in rex:
        steps = [block.value for block in page.timeline]
        assert len(steps) >= 2, page.slug
        assert all(isinstance(step["date"], datetime.date) for step in steps)
        assert page.occurred_on == min(step["date"] for step in steps)
        assert page.department in departments
        assert page.detection and page.what_worked and page.what_did_not_work
        assert page.lessons_learnt and page.recommendations and page.duration_days
        assert {block.value.pk for block in page.cited_pages} <= document_ids
        assert page.cited_pages, page.slug
    ransomware = next(r for r in rex if r.incident_type == "ransomware")
    assert ransomware.impact_patient_care and ransomware.impact_pay and ransomware.impact_billing
    assert "700 k€" in ransomware.impact_description
    assert ransomware.cost_range == "500k_1m"


def test_rex_markings_are_varied_and_drive_access(loaded):
    rex = RexPage.objects.live()
    markings = [r.tlp for r in rex]
    assert markings.count(Tlp.AMBER) == 1
    assert markings.count(Tlp.GREEN) + markings.count(Tlp.CLEAR) == len(markings) - 1
    assert markings.count(Tlp.CLEAR) >= 3 and markings.count(Tlp.GREEN) >= 3
    amber = rex.get(tlp=Tlp.AMBER)
    assert amber.access_level == AccessLevel.ROLES and amber.allowed_roles
    anonymous = visible_to(AnonymousUser(), rex)
    assert set(anonymous.values_list("tlp", flat=True)) == {Tlp.CLEAR}


def test_demo_pages_render_for_anonymous_visitors(loaded, client):
    document = DocumentPage.objects.get(slug="fiche-reflexe-rancongiciel")
    response = client.get(document.url)
    assert response.status_code == 200
    assert "Débrancher le câble réseau" in response.content.decode()
    restricted = DocumentPage.objects.get(slug="procedure-comptes-arrivees-departs-chu")
    assert client.get(restricted.url).status_code == 404
    fraud = RexPage.objects.get(slug="tentative-fraude-president-esms")
    response = client.get(fraud.url)
    assert response.status_code == 200
    assert "rappel au numéro connu" in response.content.decode()
    amber = RexPage.objects.get(tlp=Tlp.AMBER)
    assert client.get(amber.url).status_code == 404
    catalogue = Page.objects.get(slug="base-documentaire")
    assert client.get(catalogue.url).status_code == 200


def _snapshot():
    return (
        Establishment.objects.count(),
        get_user_model().objects.count(),
        MemberProfile.objects.count(),
        Page.objects.count(),
        Revision.objects.count(),
        PageLogEntry.objects.count(),
        get_document_model().objects.count(),
        DocumentAttachment.objects.count(),
        DocumentStats.objects.count(),
        Collection.objects.count(),
        list(
            Page.objects.order_by("path").values_list(
                "path", "slug", "live_revision_id", "last_published_at"
            )
        ),
    )


def test_rerunning_the_demo_changes_nothing(loaded):
    before = _snapshot()
    with override_settings(DEMO_MODE=True):
        output = _load()
    assert _snapshot() == before
    count = len(demo_registry.steps())
    assert f"[{count}/{count}] Retours d'expérience" in output
    assert "(0 créés, 0 fichiers joints générés)" in output


@pytest.mark.parametrize("code", ["ARA", "PDL"])
def test_the_content_speaks_of_the_configured_region(code):
    preset = region.Region(**region.build(code, {}))
    today = datetime.date(2026, 1, 15)
    documents = content.load_documents(today, preset)
    rex = content.load_rex(today, preset)
    text = json.dumps([repr(spec) for spec in documents + rex], ensure_ascii=False)
    for placeholder in ("{gcs}", "{ars}", "{region}"):
        assert placeholder not in text
    assert preset.gcs_name in text and preset.ars_name in text
    for position, spec in enumerate(rex):
        assert loader._department(spec, position, preset) in preset.departments


def test_the_demo_is_fully_indexed_with_no_drift(loaded):
    from search import rebuild
    from search.models import SearchEntry

    assert not rebuild.check()["database"]
    assert SearchEntry.objects.filter(kind="documents").count() >= 30
    assert SearchEntry.objects.filter(kind="rex").count() >= 8


HUGE_ID = str(10**20)  # beyond any database integer
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _example_path(route: str) -> str:
    """A route's pattern with every id as ``HUGE_ID`` and any other parameter as text."""
    return CONVERTER.sub(lambda m: HUGE_ID if m[1] in ("id", "int") else "x", route)


def _int_routes(patterns, prefix: str = ""):
    """Every Django route taking an id, as a path with an out-of-range id."""
    for entry in patterns:
        pattern = entry.pattern
        part = pattern.language_prefix if isinstance(pattern, LocalePrefixPattern) else str(pattern)
        if isinstance(entry, URLResolver):
            yield from _int_routes(entry.url_patterns, prefix + part)
        elif "<id:" in part or "<int:" in part:
            yield "/" + _example_path(prefix + part).lstrip("^").rstrip("$")


def _page_int_routes():
    """Every route of a routable page of the demo taking an id."""
    for page in Page.objects.live().specific():
        if isinstance(page, RoutablePageMixin) and page.url:
            for entry in page.get_subpage_urls():
                if re.search(r"<(id|int):", str(entry.pattern)):
                    yield page.url + _example_path(str(entry.pattern))


def test_no_route_fails_on_an_out_of_range_id(loaded):
    """An id too large for the database answers like a missing object (404 or a redirect to
    sign in), never 500, for visitors and for a superuser who may view everything."""
    paths = sorted(set(_int_routes(get_resolver().url_patterns)) | set(_page_int_routes()))
    assert len(paths) > 30
    admin = get_user_model().objects.create_superuser("sweep", "sweep@example.org", "x" * 16)
    with_mfa(admin)
    failures = []
    for who in ("visitor", "superuser"):
        client = Client(raise_request_exception=False)
        if who == "superuser":
            client.force_login(admin)
        for path in paths:
            for method in (client.get, client.post):
                status = method(path).status_code
                if status >= 500:
                    failures.append(f"{who} {method.__name__.upper()} {path}: {status}")
    assert not failures, "\n".join(failures)
