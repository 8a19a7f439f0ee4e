"""Upload checks: type allow-list, magic bytes, size cap, and the antivirus (a real clamd).

The EICAR tests need a clamd whose database detects the EICAR test file: `bash .ci/clamd` starts
one (as `.ci/run` does) and prints the socket path to export as CLAMD_SOCKET. Without
CLAMD_SOCKET/CLAMD_URL they are skipped, saying so. "clamd down" points CLAMD_SOCKET or CLAMD_URL
at an address where nothing listens: real behaviour, no mock.
"""

import io
import socket
import zipfile

import pytest
from django import forms
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection
from wagtail.users.models import UserProfile

from portal import antivirus
from portal.access import Role
from portal.uploads import SafeFileField, validate_upload
from tests.portal.factories import MemberFactory

# The standard 68-byte EICAR test file, assembled here so that no file in the repository is one.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
MZ_HEADER = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
ELF_HEADER = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

OOXML = {
    "docx": ("word/document.xml", "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", "presentationml.presentation.main+xml"),
}
ODF = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}


def zip_bytes(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, (name, data) in enumerate(members):
            # ODF: the first member, "mimetype", is stored uncompressed.
            method = zipfile.ZIP_STORED if index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()


def ooxml(kind: str, content_type: str | None = None, *extra: tuple[str, bytes]) -> bytes:
    part, main = OOXML[kind]
    content_type = content_type or f"application/vnd.openxmlformats-officedocument.{main}"
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
    ).encode()
    return zip_bytes(("[Content_Types].xml", types), (part, b"<document/>"), *extra)


def odf(kind: str, *extra: tuple[str, bytes]) -> bytes:
    return zip_bytes(("mimetype", ODF[kind].encode()), ("content.xml", b"<office/>"), *extra)


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 4), "navy").save(buffer, fmt)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(uploaded) -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_upload(uploaded)
    return caught.value


def free_tcp_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def no_antivirus(settings):
    settings.CLAMD_SOCKET = settings.CLAMD_URL = ""


@pytest.fixture
def clamd_down(settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "nothing-listens-here.sock")
    settings.CLAMD_URL = ""


@pytest.fixture
def real_clamd(settings):
    if not (settings.CLAMD_SOCKET or settings.CLAMD_URL):
        pytest.skip(
            "no clamd configured: start one with `bash .ci/clamd` and export CLAMD_SOCKET "
            "(.ci/run does) to run the antivirus tests"
        )


ACCEPTED = {
    "guide.pdf": PDF,
    "procedure.docx": ooxml("docx"),
    "inventaire.xlsx": ooxml("xlsx"),
    "webinaire.pptx": ooxml("pptx"),
    "charte.odt": odf("odt"),
    "budget.ods": odf("ods"),
    "sensibilisation.odp": odf("odp"),
    "affiche.png": image_bytes("PNG"),
    "affiche.jpg": image_bytes("JPEG"),
    "photo.JPEG": image_bytes("JPEG"),
    "lisez-moi.txt": "Procédure de sauvegarde hors ligne : vérifier chaque nuit.\n".encode(),
    "contacts.csv": "nom;rôle\nDupont;RSSI\n".encode("cp1252"),
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_allowed_file_is_accepted(no_antivirus, name):
    uploaded = upload(name, ACCEPTED[name])
    validate_upload(uploaded)
    assert uploaded.tell() == 0  # left ready to be stored


@pytest.mark.parametrize(
    "name", ["setup.exe", "page.html", "logo.svg", "script.js", "macro.docm", "ancien.doc", "zip"]
)
def test_type_not_on_the_allow_list_is_refused(no_antivirus, name):
    error = refusal(upload(name, b"anything"))
    assert error.code == "extension"
    assert f"“{name}” is not an accepted type of file" in error.message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("guide.pdf", MZ_HEADER),
        ("guide.pdf", ELF_HEADER),
        ("procedure.docx", MZ_HEADER),
        ("affiche.png", MZ_HEADER),
        ("affiche.jpg", ELF_HEADER),
        ("lisez-moi.txt", MZ_HEADER),
        ("contacts.csv", ELF_HEADER),
        # A self-extracting archive: an executable with a valid .docx appended.
        ("procedure.docx", MZ_HEADER + ooxml("docx")),
    ],
)
def test_renamed_executable_is_refused(no_antivirus, name, content):
    error = refusal(upload(name, content))
    assert error.code == "content"
    assert f"The content of “{name}” is not" in error.message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("inventaire.docx", ooxml("xlsx")),  # a spreadsheet renamed as a text document
        ("charte.ods", odf("odt")),
        ("archive.docx", zip_bytes(("readme.txt", b"hello"))),  # a plain ZIP
        ("charte.odt", zip_bytes(("content.xml", b"<x/>"), ("mimetype", ODF["odt"].encode()))),
        ("guide.pdf", b"not a PDF"),
        ("affiche.png", image_bytes("JPEG")),
    ],
)
def test_content_inconsistent_with_the_extension_is_refused(no_antivirus, name, content):
    assert refusal(upload(name, content)).code == "content"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "procedure.docx",
            ooxml("docx", "application/vnd.ms-word.document.macroEnabled.main+xml"),
        ),
        ("procedure.docx", ooxml("docx", None, ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0"))),
        ("charte.odt", odf("odt", ("Basic/Standard/Module1.xml", b"<script/>"))),
    ],
)
def test_office_file_with_macros_is_refused(no_antivirus, name, content):
    error = refusal(upload(name, content))
    assert error.code == "macros"
    assert "contains macros" in error.message


def test_oversize_file_is_refused_and_the_limit_accepted(no_antivirus, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    validate_upload(upload("notes.txt", b"a" * 1000))
    error = refusal(upload("notes.txt", b"a" * 1001))
    assert error.code == "size"
    assert (
        error.message == "“notes.txt” is too large (1001\xa0bytes). The maximum is 1000\xa0bytes."
    )


def test_eicar_is_refused_by_the_real_clamd(real_clamd):
    assert len(EICAR) == 68
    assert antivirus.ping()
    error = refusal(upload("eicar.txt", EICAR))
    assert error.code == "infected"
    assert "“eicar.txt” was refused: the antivirus detected “" in error.message
    assert "eicar" in error.message.lower().split("detected", 1)[1]


def test_eicar_inside_an_office_document_is_refused_by_the_real_clamd(real_clamd):
    document = ooxml("docx", None, ("word/media/eicar.com", EICAR))
    assert refusal(upload("procedure.docx", document)).code == "infected"


def test_clean_file_passes_the_real_clamd(real_clamd):
    validate_upload(upload("guide.pdf", PDF))


def test_clamd_configured_but_down_refuses_the_upload(clamd_down):
    error = refusal(upload("guide.pdf", PDF))
    assert error.code == "antivirus_unavailable"
    assert error.message == (
        "The antivirus is unavailable, so the file could not be checked. Please try again later."
    )


def test_clamd_over_tcp_down_refuses_the_upload(settings):
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_URL = f"tcp://127.0.0.1:{free_tcp_port()}"
    assert refusal(upload("guide.pdf", PDF)).code == "antivirus_unavailable"


def test_no_antivirus_configured_means_no_scan(no_antivirus):
    validate_upload(upload("eicar.txt", EICAR))  # embedded default; check --deploy warns


def deploy_check_ids() -> set[str]:
    messages = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    return {message.id for message in messages}


def test_deploy_check_warns_without_antivirus(settings):
    settings.CLAMD_SOCKET = settings.CLAMD_URL = ""
    assert "portal.W001" in deploy_check_ids()
    settings.CLAMD_SOCKET = "/run/clamav/clamd.ctl"
    assert not {"portal.W001", "portal.E004"} & deploy_check_ids()
    settings.CLAMD_SOCKET, settings.CLAMD_URL = "", "http://clamav:3310"
    assert "portal.E004" in deploy_check_ids()


def test_safe_file_field_for_the_portal_forms(no_antivirus):
    class AttachmentForm(forms.Form):
        attachment = SafeFileField()

    with translation.override("en"):
        form = AttachmentForm(files={"attachment": upload("rapport.pdf", MZ_HEADER)})
        assert not form.is_valid()
        assert "The content of “rapport.pdf” is not a PDF file" in form.errors["attachment"][0]
        assert 'accept=".pdf,' in str(form["attachment"])
        assert AttachmentForm(files={"attachment": upload("rapport.pdf", PDF)}).is_valid()


# --- The Wagtail admin -------------------------------------------------------------------------


@pytest.fixture
def editor_client(client):
    from django.contrib.auth.models import Group

    editor = MemberFactory(profile__roles={Role.EDITOR}, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(editor)
    return client


def post_document(client, name: str, content: bytes):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Pièce jointe",
            "collection": Collection.get_first_root_node().pk,
            "file": upload(name, content),
        },
    )


@pytest.mark.django_db
def test_admin_document_upload_accepts_a_valid_file(editor_client):
    response = post_document(editor_client, "guide.pdf", PDF)
    assert response.status_code == 302
    assert Document.objects.get().file.read() == PDF


@pytest.mark.django_db
def test_admin_document_upload_refuses_a_renamed_executable(editor_client, no_antivirus):
    response = post_document(editor_client, "guide.pdf", MZ_HEADER)
    assert response.status_code == 200
    assert "The content of “guide.pdf” is not a PDF file" in response.content.decode()
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_admin_document_upload_refuses_eicar(editor_client, real_clamd):
    response = post_document(editor_client, "eicar.txt", EICAR)
    assert response.status_code == 200
    assert "“eicar.txt” was refused: the antivirus detected" in response.content.decode()
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_admin_multiple_upload_refuses_a_renamed_executable(editor_client, no_antivirus):
    response = editor_client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": upload("procedure.docx", ELF_HEADER)},
    )
    assert response.json()["success"] is False
    assert "The content of “procedure.docx” is not a Word file" in response.json()["error_message"]
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_admin_multiple_upload_refuses_when_clamd_is_down(editor_client, clamd_down):
    response = editor_client.post(
        reverse("wagtaildocs:add_multiple"), {"files[]": upload("guide.pdf", PDF)}
    )
    assert response.json()["success"] is False
    assert "The antivirus is unavailable" in response.json()["error_message"]
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_admin_edit_without_a_new_file_does_not_rescan(editor_client, clamd_down):
    document = Document(title="Guide", file=ContentFile(PDF, name="guide.pdf"))
    document.save()
    response = editor_client.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {"title": "Guide révisé", "collection": document.collection_id},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Guide révisé"


@pytest.mark.django_db
def test_admin_image_upload_is_scanned(editor_client, clamd_down):
    response = editor_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Affiche",
            "collection": Collection.get_first_root_node().pk,
            "file": upload("affiche.png", image_bytes("PNG")),
        },
    )
    assert response.status_code == 200
    assert "The antivirus is unavailable" in response.content.decode()
    assert Image.objects.count() == 0
