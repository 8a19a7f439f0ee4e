"""Downloads go through the access model: both the portal's URL and Wagtail's document URL."""

import logging

import pytest
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from docs_base.models.documents import DocumentStats
from portal.access import AccessLevel
from portal.accounts.models import MemberStatus
from tests.docs_base.factories import (
    document_page,
    documents_editor,
    publish_new_revision,
    reader,
    wagtail_document,
)
from tests.portal.factories import EstablishmentFactory, client_for

pytestmark = pytest.mark.django_db


def urls_of(document):
    return [
        reverse("docs_base:download", args=[document.pk, document.filename]),
        document.url,  # Wagtail's own name ("wagtaildocs_serve"), used by the admin
    ]


@pytest.fixture
def setting():
    est_a = EstablishmentFactory(name="CH A")
    est_b = EstablishmentFactory(name="CH B")
    public_file = wagtail_document("Affiche", "affiche.pdf", b"%PDF-1.4 affiche")
    restricted_file = wagtail_document("Plan de crise", "plan.pdf", b"%PDF-1.4 plan")
    document_page(title="Affiche", attachments=[public_file])
    document_page(
        title="Plan de crise du CH A",
        attachments=[restricted_file],
        access_level=AccessLevel.ESTABLISHMENT,
        establishment=est_a,
    )
    users = {
        "anonymous": None,
        "pending": reader(establishment=est_a, profile__status=MemberStatus.PENDING),
        "caregiver_a": reader(establishment=est_a),
        "other_establishment": reader(establishment=est_b),
        "editor": documents_editor(establishment=est_b),
    }
    return {"public": public_file, "restricted": restricted_file, "users": users}


MATRIX = {
    # user -> (public file, restricted file)
    "anonymous": (200, 404),
    "pending": (200, 404),
    "caregiver_a": (200, 200),
    "other_establishment": (200, 404),
    # Admin access to documents, but not to a file of another establishment's page
    # (AMBER+STRICT / RED: superusers and REX moderators only, tests/portal/test_staff_tlp.py).
    "editor": (200, 404),
}


def test_download_matrix_by_both_urls(setting):
    failures = []
    for who, (public_status, restricted_status) in MATRIX.items():
        client = client_for(setting["users"][who])
        for document, expected in (
            (setting["public"], public_status),
            (setting["restricted"], restricted_status),
        ):
            for url in urls_of(document):
                status = client.get(url).status_code
                if status != expected:
                    failures.append(f"{who} {url}: {status}, expected {expected}")
    assert not failures, "\n".join(failures)


def test_download_headers(setting):
    response = client_for().get(urls_of(setting["public"])[0])
    document = setting["public"]
    assert response["Content-Disposition"] == f'attachment; filename="{document.filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 affiche"


def test_a_refused_download_is_logged_and_looks_like_a_missing_file(setting, caplog):
    client = client_for(setting["users"]["other_establishment"])
    missing_url = reverse("docs_base:download", args=[99999, "plan.pdf"])
    client.get(missing_url)  # warm the per-user caches (the account links kept rendered)
    with caplog.at_level(logging.INFO, logger="portal.security"):
        refused = client.get(urls_of(setting["restricted"])[1])
    missing = client.get(missing_url)
    assert refused.status_code == missing.status_code == 404
    assert [t.name for t in refused.templates] == [t.name for t in missing.templates]
    assert "restricted_content_denied" in caplog.text
    assert f"wagtaildocs.Document[pk={setting['restricted'].pk}]" in caplog.text


@pytest.mark.parametrize("user", ["anonymous", "pending", "other_establishment"])
def test_a_forbidden_file_and_a_missing_one_take_the_same_path(
    setting, user, django_assert_num_queries
):
    """Visibility is decided in the lookup query: same queries, same answer (no timing tell)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(setting["users"][user])
    restricted = setting["restricted"]
    forbidden = urls_of(restricted)[0]
    missing = reverse("docs_base:download", args=[restricted.pk + 1000, restricted.filename])
    client.get(missing)  # warm the per-process caches (content types, site)
    with CaptureQueriesContext(connection) as missing_queries:
        missing_response = client.get(missing)
    with django_assert_num_queries(len(missing_queries)):
        forbidden_response = client.get(forbidden)
    assert forbidden_response.status_code == missing_response.status_code == 404
    assert _same_body(forbidden_response, restricted.pk) == _same_body(
        missing_response, restricted.pk + 1000
    )


def _same_body(response, asked_id) -> str:
    """The body, without what differs by construction: the id in the page's own URL (language
    links), the masked CSRF token and the CSP nonce."""
    import re

    body = response.content.decode().replace(f"/{asked_id}/", "/ID/")
    return re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', r"\1", body)


def test_raw_media_urls_never_serve_files(setting):
    for document in (setting["public"], setting["restricted"]):
        assert client_for().get("/media/" + document.file.name).status_code == 404
        assert client_for().get(document.file.url).status_code == 404


def test_only_live_non_archived_unrestricted_pages_grant_a_download():
    member = client_for(reader())
    unattached = wagtail_document("Orphelin", "orphelin.pdf")
    draft_file = wagtail_document("Brouillon", "brouillon.pdf")
    document_page(title="Brouillon", attachments=[draft_file], publish=False)
    archived_file = wagtail_document("Archivé", "archive.pdf")
    page = document_page(title="Bientôt archivé", attachments=[archived_file])
    private_file = wagtail_document("Privé", "prive.pdf")
    private_page = document_page(title="Privé", attachments=[private_file])
    PageViewRestriction.objects.create(
        page=private_page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert member.get(urls_of(archived_file)[0]).status_code == 200
    publish_new_revision(page, archived=True)
    for document in (unattached, draft_file, archived_file, private_file):
        for url in urls_of(document):
            assert member.get(url).status_code == 404, (document.title, url)


def test_a_file_offered_by_a_downloads_block_is_served():
    block_file = wagtail_document("Modèle", "modele.docx", b"PK\x03\x04 docx")
    document_page(
        title="Avec bloc",
        body=[("downloads", {"title": "Modèles", "documents": [block_file]})],
    )
    html = client_for().get(reverse("docs_base:catalogue"), follow=True)
    assert html.status_code == 200
    assert client_for().get(urls_of(block_file)[1]).status_code == 200


def test_a_collection_restriction_only_narrows(setting):
    private = Collection.get_first_root_node().add_child(name="Privée")
    document = setting["public"]
    document.collection = private
    document.save()
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    assert client_for().get(urls_of(document)[0]).status_code == 404
    assert client_for(setting["users"]["caregiver_a"]).get(urls_of(document)[0]).status_code == 200


def test_downloads_are_counted_as_popularity(setting):
    client = client_for()
    for _ in range(2):
        b"".join(client.get(urls_of(setting["public"])[0]).streaming_content)
    assert DocumentStats.objects.get(page__title="Affiche").downloads == 2


def test_wagtail_password_form_for_documents_is_not_served():
    response = client_for().post(
        reverse("wagtaildocs_authenticate_with_password", args=[1]), {"password": "x"}
    )
    assert response.status_code in (403, 404)
    assert (
        client_for().get(reverse("wagtaildocs_authenticate_with_password", args=[1])).status_code
        == 404
    )


def test_a_file_linked_from_a_page_s_rich_text_follows_that_page_s_access():
    from portal.models import StandardPage
    from tests.portal.factories import standard_page

    public_file = wagtail_document("Lien public", "lien-public.pdf")
    members_file = wagtail_document("Lien membres", "lien-membres.pdf")
    for title, file, level in (
        ("Page publique", public_file, AccessLevel.PUBLIC),
        ("Page membres", members_file, AccessLevel.MEMBERS),
    ):
        link = f'<p><a linktype="document" id="{file.pk}">{file.title}</a></p>'
        standard_page(title=title, access_level=level, body=[("paragraph", link)])
    assert StandardPage.objects.count() == 2
    assert client_for().get(public_file.url).status_code == 200
    assert client_for().get(members_file.url).status_code == 404
    assert client_for(reader()).get(members_file.url).status_code == 200


def test_an_archived_page_offers_no_link_that_fails():
    """Archived files are no longer offered: the page says so instead of linking a 404."""
    attached = wagtail_document("Ancien plan", "ancien-plan.pdf")
    in_block = wagtail_document("Ancien modèle", "ancien-modele.docx", b"PK\x03\x04 docx")
    page = document_page(
        title="Procédure archivée",
        attachments=[attached],
        body=[("downloads", {"title": "Modèles", "documents": [in_block]})],
        archived=True,
    )
    html = client_for(reader()).get(page.url).content.decode()
    for document in (attached, in_block):
        assert reverse("docs_base:download", args=[document.pk, document.filename]) not in html
        assert client_for(reader()).get(urls_of(document)[0]).status_code == 404
    assert html.count("ne sont plus proposés au téléchargement") == 2


def test_a_superuser_downloads_any_file_even_one_no_page_offers():
    from tests.portal.factories import MemberFactory

    orphan = wagtail_document("Orphelin", "orphelin.pdf")
    admin = MemberFactory(profile__roles={"regional_admin"}, is_staff=True, is_superuser=True)
    assert client_for(admin).get(orphan.url).status_code == 200
    assert client_for(reader()).get(orphan.url).status_code == 404
