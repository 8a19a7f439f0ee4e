"""Restricted documents, their attachments' text and restricted REX never leak, in any channel:
pages, the catalogue and its facet counts, related lists, the home page, search (results,
counts, facets, suggestions), the REX list and statistics, and e-mails. (The portal has no
feed nor sitemap.) The RSSI, who may view them, is the control: the same checks see them."""

import pytest
from django.core import mail
from fpdf import FPDF

from docs_base.models import DocumentWatch
from docs_base.routes import rex_url
from portal.access import AccessLevel, Role
from portal.accounts.models import MemberStatus
from tests.docs_base.factories import (
    document_index,
    document_page,
    publish_new_revision,
    rex_index,
    rex_page,
    wagtail_document,
)
from tests.portal.factories import EstablishmentFactory, MemberFactory, client_for, home_page

pytestmark = pytest.mark.django_db

DOC_CANARY = "zorglubdoc"
FILE_CANARY = "zorglubfichier"
REX_CANARY = "zorglubrex"
CANARIES = (DOC_CANARY, FILE_CANARY, REX_CANARY)


def pdf_with(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


@pytest.fixture
def content():
    home_page()
    document_index()
    rex_index()
    public = document_page(
        title="Sauvegardes hors ligne", themes={"backups"}, summary="La règle 3-2-1."
    )
    secret = document_page(
        title=f"Procédure interne {DOC_CANARY}",
        summary=f"Sauvegardes des serveurs {DOC_CANARY}.",
        themes={"backups", "medical_devices"},
        access_level=AccessLevel.ROLES,
        allowed_roles={Role.RSSI},
        attachments=[
            wagtail_document("Annexe", "annexe.pdf", pdf_with(f"Annexe sauvegardes {FILE_CANARY}"))
        ],
    )
    rex = rex_page(
        title=f"Compromission {REX_CANARY}",
        summary=f"Sauvegardes chiffrées {REX_CANARY}.",
        incident_type="supplier",
        tlp="amber",
    )
    return {"public": public, "secret": secret, "rex": rex}


def everything_seen(client, content) -> str:
    """Every channel's answer, concatenated (statuses of the restricted pages included)."""
    seen = []
    for url in ("/", content["public"].url, "/base-documentaire/", "/retours-experience/"):
        seen.append(client.get(url).content.decode())
    # Words of the restricted items other than the canaries (a search page shows its query).
    for word in ("procédure interne", "annexe", "compromission", "chiffrées", "sauvegardes"):
        seen.append(client.get("/recherche/", {"q": word}).content.decode())
        seen.append(client.get("/recherche/suggestions/", {"q": word[:7]}).content.decode())
    seen.append(client.get("/recherche/", {"q": "procedur intern"}).content.decode())  # typos
    statistics = client.get(rex_url("statistics"))
    seen.append(statistics.content.decode())
    for page in (content["secret"], content["rex"]):
        seen.append(f"status:{client.get(page.url).status_code}")
    return "\n".join(seen)


@pytest.mark.parametrize("who", ["anonymous", "pending", "caregiver", "dpo"])
def test_restricted_content_leaks_nowhere(content, who):
    users = {
        "anonymous": None,
        "pending": MemberFactory(profile__status=MemberStatus.PENDING),
        "caregiver": MemberFactory(profile__roles={Role.CAREGIVER}),
        "dpo": MemberFactory(
            profile__roles={Role.DPO}, profile__establishment=EstablishmentFactory()
        ),
    }
    seen = everything_seen(client_for(users[who]), content)
    assert not [canary for canary in CANARIES if canary in seen]
    assert "status:200" not in seen
    client = client_for(users[who])
    filtered = client.get("/base-documentaire/", {"theme": "medical_devices"}).content.decode()
    assert DOC_CANARY not in filtered and "(0 document)" in filtered
    for canary in CANARIES:  # searching the secret word itself finds nothing
        assert "0 résultat" in client.get("/recherche/", {"q": canary}).content.decode()
    assert "Dispositifs médicaux" not in seen  # the restricted document's only own theme


@pytest.mark.parametrize("who", ["anonymous", "pending", "caregiver", "dpo"])
def test_copies_cached_for_the_rssi_reach_no_other_audience(content, who):
    """The RSSI fills the page cache and the search answer cache first, through every
    channel; then another audience's visit of the same URLs gets none of it."""
    rssi = MemberFactory(profile__roles={Role.RSSI}, profile__establishment=EstablishmentFactory())
    rssi_client = client_for(rssi)
    everything_seen(rssi_client, content)  # fills the caches (flash messages aside)
    assert all(canary in everything_seen(rssi_client, content) for canary in CANARIES)
    assert rssi_client.get(content["secret"].url)["X-Page-Cache"] == "hit"
    users = {
        "anonymous": None,
        "pending": MemberFactory(profile__status=MemberStatus.PENDING),
        "caregiver": MemberFactory(profile__roles={Role.CAREGIVER}),
        "dpo": MemberFactory(
            profile__roles={Role.DPO}, profile__establishment=EstablishmentFactory()
        ),
    }
    seen = everything_seen(client_for(users[who]), content)
    assert not [canary for canary in CANARIES if canary in seen]
    assert "status:200" not in seen


def test_the_rssi_sees_them_through_the_same_channels(content):
    rssi = MemberFactory(profile__roles={Role.RSSI}, profile__establishment=EstablishmentFactory())
    seen = everything_seen(client_for(rssi), content)
    assert all(canary in seen for canary in CANARIES)
    assert seen.count("status:200") == 2
    for canary in CANARIES:
        assert "1 résultat" in client_for(rssi).get("/recherche/", {"q": canary}).content.decode()


def test_watch_emails_go_only_to_those_who_may_view(content, django_capture_on_commit_callbacks):
    caregiver = MemberFactory(profile__roles={Role.CAREGIVER}, email="soin@example.org")
    rssi = MemberFactory(profile__roles={Role.RSSI}, email="rssi@example.org")
    for user in (caregiver, rssi):
        DocumentWatch.objects.create(user=user, page=content["secret"])
    with django_capture_on_commit_callbacks(execute=True):
        publish_new_revision(content["secret"], summary=f"Mise à jour {DOC_CANARY}")
    assert [message.to for message in mail.outbox] == [["rssi@example.org"]]


def test_anonymous_rex_context_never_identifies_its_establishment(settings):
    """With the demo's establishments (every (type, department) pair of a CHU is unique), an
    anonymous CHU's "CHU · 5 000 professionnels ou plus · 69 Rhône" is shown nowhere: not on
    its page, in the list, in search or in the statistics; the same REX named with consent is."""
    from types import SimpleNamespace

    from portal.demo import accounts as demo_accounts

    settings.REX_ANONYMITY_K = 5
    home_page()
    rex_index()
    demo_accounts.build_establishments(SimpleNamespace(write=lambda *args: None))
    rex = rex_page(
        title=f"Rançongiciel {REX_CANARY}",
        establishment_type="chu",
        size_band="5000_plus",
        department="69",
        tlp="clear",
    )
    identifying = ("Centre hospitalier universitaire", "CHU)", "5 000 professionnels", "69 Rhône")
    member = MemberFactory(profile__roles={Role.CAREGIVER})
    for client in (client_for(None), client_for(member)):
        seen = [
            client.get(rex.url).content.decode(),
            client.get("/retours-experience/").content.decode(),
            client.get("/recherche/", {"q": "CHU"}).content.decode(),
            client.get("/recherche/", {"q": REX_CANARY}).content.decode(),
            client.get("/base-documentaire/retours-experience/statistiques/").content.decode(),
        ]
        assert REX_CANARY in seen[0] and REX_CANARY in seen[3]  # the REX itself is public
        assert not [word for text in seen for word in identifying if word in text]
    rex.show_establishment_name = True
    rex.save_revision().publish()
    assert "69 Rhône" in client_for(None).get(rex.url).content.decode()
