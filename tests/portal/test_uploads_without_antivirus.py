"""Uploads when no antivirus is configured (outside security review, issue 10 item 6).

Refused when DEBUG is off, unless UPLOADS_WITHOUT_ANTIVIRUS allows them explicitly; every
upload form of the admin says that files are not scanned (and, in demo mode, that it is a demo).
"""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

from portal.uploads import validate_upload
from tests.portal import test_uploads
from tests.portal.test_uploads import EICAR, PDF, image_bytes, upload

pytestmark = pytest.mark.django_db

UPLOAD_FORMS = [
    "wagtaildocs:add",
    "wagtaildocs:add_multiple",
    "wagtaildocs_chooser:choose",
    "wagtailimages:add",
    "wagtailimages:add_multiple",
    "wagtailimages_chooser:choose",
]


@pytest.fixture
def editor_client(client):
    """An editor signed in to the admin in English (the same as the upload tests')."""
    return test_uploads.editor_client.__wrapped__(client)


@pytest.fixture
def no_antivirus(settings):
    settings.CLAMD_SOCKET = settings.CLAMD_URL = ""
    settings.DEBUG = False
    settings.DEMO_MODE = False
    settings.UPLOADS_WITHOUT_ANTIVIRUS = False
    return settings


def test_without_antivirus_an_upload_is_refused_in_french_when_debug_is_off(no_antivirus, caplog):
    with (
        translation.override("fr"),
        caplog.at_level(logging.INFO, logger="portal.security"),
        pytest.raises(ValidationError) as caught,
    ):
        validate_upload(upload("eicar.txt", EICAR))
    assert "aucun antivirus n’est configuré" in " ".join(caught.value.messages)
    assert "event=upload_refused" in caplog.text and "reason=no_antivirus" in caplog.text


@pytest.mark.parametrize("allowing", ["UPLOADS_WITHOUT_ANTIVIRUS", "DEBUG"])
def test_without_antivirus_an_explicit_setting_or_debug_accepts_unscanned(
    no_antivirus, allowing, caplog
):
    setattr(no_antivirus, allowing, True)
    with caplog.at_level(logging.INFO, logger="portal.security"):
        validate_upload(upload("eicar.txt", EICAR))  # accepted: nothing scans it
    assert "event=upload_unscanned" in caplog.text


def test_admin_document_and_image_uploads_are_refused_without_antivirus(
    editor_client, no_antivirus
):
    root = Collection.get_first_root_node().pk
    response = editor_client.post(
        reverse("wagtaildocs:add"),
        {"title": "Guide", "collection": root, "file": upload("guide.pdf", PDF)},
    )
    assert response.status_code == 200
    assert "no antivirus is configured on this portal" in response.content.decode()
    response = editor_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": upload("affiche.png", image_bytes("PNG"))},
    )
    assert response.json()["success"] is False
    assert "no antivirus is configured" in response.json()["error_message"]
    assert Document.objects.count() == 0 and Image.objects.count() == 0


@pytest.mark.parametrize(
    ("mode", "notice"),
    [
        ("refused", "uploads are refused until an administrator sets CLAMD_SOCKET"),
        ("allowed", "Warning: no antivirus is configured, uploaded files are not scanned."),
        ("demo", "Demo portal: no antivirus is configured, uploaded files are not scanned."),
    ],
)
def test_every_admin_upload_form_warns_when_no_antivirus_is_configured(
    editor_client, no_antivirus, mode, notice
):
    no_antivirus.UPLOADS_WITHOUT_ANTIVIRUS = mode != "refused"
    no_antivirus.DEMO_MODE = mode == "demo"
    for name in UPLOAD_FORMS:
        response = editor_client.get(reverse(name))
        assert response.status_code == 200, name
        body = response.json()["html"] if "chooser" in name else response.content.decode()
        assert notice in body, name


def test_no_warning_when_an_antivirus_is_configured(editor_client, settings):
    settings.CLAMD_SOCKET = "/run/clamav/clamd.ctl"
    for name in UPLOAD_FORMS:
        response = editor_client.get(reverse(name))
        body = response.json()["html"] if "chooser" in name else response.content.decode()
        assert "no antivirus" not in body, name
