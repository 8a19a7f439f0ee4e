"""Document page types: hierarchy, fields and their validation, blocks."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from docs_base.blocks import document_body_blocks
from docs_base.documents.downloads import count_download
from docs_base.models.documents import DocumentIndexPage, DocumentPage, DocumentStats, Theme
from portal.access import AccessLevel
from portal.models import HomePage, StandardPage
from tests.docs_base.factories import (
    document_index,
    document_page,
    documents_editor,
    publish_new_revision,
    wagtail_document,
)
from tests.portal.factories import home_page

pytestmark = pytest.mark.django_db


def test_page_hierarchy():
    home = home_page()
    assert DocumentIndexPage.can_create_at(home)
    index = document_index()
    assert not DocumentIndexPage.can_create_at(home)  # max_count: one catalogue
    assert DocumentIndexPage in HomePage.allowed_subpage_models()
    assert DocumentPage.can_create_at(index)
    assert not DocumentPage.can_create_at(home)
    assert DocumentPage.allowed_subpage_models() == []
    assert DocumentIndexPage.allowed_subpage_models() == [DocumentPage]
    assert StandardPage not in DocumentIndexPage.allowed_subpage_models()


def test_search_fields_are_declared():
    names = {field.field_name for field in DocumentPage.search_fields}
    assert {"title", "summary", "body", "access_level", "archived"} <= names


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"themes": {"backups", "astrology"}}, "themes"),
        ({"audiences": {"rssi", "pirate"}}, "audiences"),
        ({"establishment_types": {"ehpad", "castle"}}, "establishment_types"),
        ({"document_type": "novel"}, "document_type"),
        ({"source": "rumour"}, "source"),
        ({"access_level": AccessLevel.ROLES, "allowed_roles": set()}, "allowed_roles"),
        ({"access_level": AccessLevel.ESTABLISHMENT}, "establishment"),
    ],
)
def test_invalid_values_are_refused(changes, field):
    page = document_page(title="Valide", themes={"backups"})
    page.full_clean()
    for name, value in changes.items():
        setattr(page, name, value)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert field in error.value.message_dict


def test_code_sets_round_trip():
    page = document_page(title="Codes", themes={"email", "backups"}, audiences={"dpo"})
    stored = DocumentPage.objects.get(pk=page.pk)
    assert stored.themes == frozenset({"email", "backups"})
    assert DocumentPage.objects.filter(themes__contains=",email,").get() == stored
    assert stored.theme_items == [("backups", Theme.BACKUPS.label), ("email", Theme.EMAIL.label)]


def test_body_document_ids_follow_the_published_downloads_blocks():
    first = wagtail_document("Premier", "premier.pdf")
    second = wagtail_document("Second", "second.pdf")
    page = document_page(
        title="Avec blocs",
        body=[("downloads", {"title": "", "documents": [first, second]})],
    )
    assert page.body_document_ids == f",{first.pk},{second.pk},"
    page = publish_new_revision(page, body=[("paragraph", "<p>Plus de fichier.</p>")])
    assert page.body_document_ids == ""


def test_blocks_declare_template_icon_and_label():
    for name, block in document_body_blocks():
        assert block.meta.template, name
        assert block.meta.icon, name
        assert block.meta.label, name
    assert {"checklist", "steps", "downloads", "video"} <= dict(document_body_blocks()).keys()


def test_every_block_renders_on_the_page():
    file = wagtail_document("Modèle de charte", "charte.odt", b"PK\x03\x04 odt")
    page = document_page(
        title="Tous les blocs",
        body=[
            ("heading", "Avant de commencer"),
            ("checklist", {"title": "À vérifier", "items": ["Sauvegarde hors ligne", "MFA"]}),
            (
                "steps",
                {"title": "Étapes", "steps": [{"title": "Isoler", "text": "<p>Débrancher.</p>"}]},
            ),
            ("downloads", {"title": "Modèles", "documents": [file]}),
            (
                "video",
                {
                    "title": "Le phishing en 3 minutes",
                    "url": "https://video.example.org/phishing",
                    "duration": "3 min",
                    "transcript": "Un courriel arrive…",
                },
            ),
        ],
    )
    html = Client().get(page.url).content.decode()
    for text in ("Sauvegarde hors ligne", "Isoler", "Débrancher.", "Modèle de charte"):
        assert text in html
    assert 'href="https://video.example.org/phishing"' in html
    assert "Un courriel arrive…" in html
    assert "<iframe" not in html  # the CSP forbids third-party frames


def test_counters_survive_a_new_publication():
    page = document_page(title="Compté")
    count_download(page)
    publish_new_revision(page, summary="Nouvelle version")
    assert DocumentStats.objects.get(page=page).downloads == 1


def test_editors_create_and_publish_a_document_in_the_admin():
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    index = document_index()
    attachment = wagtail_document("Annexe", "annexe.pdf")
    editor = documents_editor()
    # Publishing needs the Moderators' rights; Editors submit for moderation.
    editor.groups.add(Group.objects.get(name="Moderators"))
    client = Client()
    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=["docs_base", "documentpage", index.pk])
    assert client.get(add_url).status_code == 200
    data = nested_form_data(
        {
            "title": "Charte informatique",
            "slug": "charte-informatique",
            "summary": "Un modèle de charte.",
            "body": streamfield([("heading", "Objet de la charte")]),
            "attachments": inline_formset([{"document": attachment.pk, "label": ""}]),
            "document_type": "template",
            "source": "gcs",
            "language": "fr",
            "owner": editor.pk,
            "last_reviewed_at": "",
            "review_due": "",
            "change_note": "Première version.",
            "access_level": "members",
            "action-publish": "publish",
        }
    )
    # Multiple values (nested_form_data would index lists).
    data.update(themes=["governance", "regulation"], audiences=["director"])
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["form"].errors
    page = DocumentPage.objects.get(slug="charte-informatique")
    assert page.live and page.themes == frozenset({"governance", "regulation"})
    assert page.audiences == frozenset({"director"})
    assert page.owner == editor and page.access_level == "members"
    assert [a.document for a in page.attachments.all()] == [attachment]
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
