"""The checks every uploaded file goes through, in the admin and on the portal's own forms.

`validate_upload(uploaded_file)` raises a ValidationError with a message for the uploader when:
the extension is not on the allow-list; the content does not match the extension (a renamed
executable, a macro-enabled office file renamed .docx, ...); the file is over UPLOAD_MAX_BYTES;
the antivirus (clamd, when CLAMD_SOCKET or CLAMD_URL is set) finds a threat or cannot be reached.
A form reuses it with `SafeFileField` or `validators=[validate_upload]`.
"""

import codecs
import os
import zipfile
import zlib

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import antivirus
from portal.security_log import log_event

HEAD_BYTES = 64 * 1024
# Members of an office container read to identify it; anything bigger is not a real one.
MAX_MANIFEST_BYTES = 1024 * 1024

PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
ZIP = b"PK\x03\x04"

# Office Open XML: the main part's content type, declared in [Content_Types].xml.
OOXML_MAIN_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
# OpenDocument: the first member, "mimetype", holds the media type.
ODF_MIMETYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
# What the extension promises, as told to the uploader.
TYPE_NAMES = {
    "pdf": "PDF",
    "docx": "Word",
    "xlsx": "Excel",
    "pptx": "PowerPoint",
    "odt": "OpenDocument Text",
    "ods": "OpenDocument Spreadsheet",
    "odp": "OpenDocument Presentation",
    "png": "PNG",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "txt": gettext_lazy("plain text"),
    "csv": "CSV",
}
ALLOWED_EXTENSIONS = tuple(TYPE_NAMES)
ACCEPT_ATTRIBUTE = ",".join(f".{extension}" for extension in ALLOWED_EXTENSIONS)


def _refuse(message, code, uploaded_file, user=None, **fields):
    log_event("upload_refused", None, user, reason=code, name=repr(_name(uploaded_file)), **fields)
    raise ValidationError(message, code=code)


def _name(uploaded_file) -> str:
    return os.path.basename(uploaded_file.name or "")


def _extension(uploaded_file) -> str:
    return os.path.splitext(_name(uploaded_file))[1].lower().lstrip(".")


def _head(uploaded_file) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(HEAD_BYTES)
    uploaded_file.seek(0)
    return head


def _is_text(head: bytes) -> bool:
    """Plain text in UTF-8 (with or without BOM) or Windows-1252: no NUL, no control bytes."""
    if any(byte < 0x20 and byte not in b"\t\n\r\f" for byte in head):
        return False
    try:
        # Incremental: the sample may end in the middle of a multi-byte character.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return True
    except UnicodeDecodeError:
        pass
    try:
        head.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def _zip_member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_MANIFEST_BYTES:
        return None
    return archive.read(info)


def _check_office(uploaded_file, extension: str) -> str | None:
    """'content' when the container is not the promised format, 'macros' when it has macros."""
    try:
        uploaded_file.seek(0)
        with zipfile.ZipFile(uploaded_file) as archive:
            names = archive.namelist()
            if extension in OOXML_MAIN_TYPES:
                types = _zip_member(archive, "[Content_Types].xml")
                if types is None:
                    return "content"
                types = types.decode("utf-8", "replace")
                if "macroEnabled" in types or any(
                    name.lower().endswith("vbaproject.bin") for name in names
                ):
                    return "macros"
                if OOXML_MAIN_TYPES[extension] not in types:
                    return "content"
            else:
                if not names or names[0] != "mimetype":
                    return "content"
                mimetype = _zip_member(archive, "mimetype") or b""
                if mimetype.strip() != ODF_MIMETYPES[extension].encode():
                    return "content"
                if any(name.startswith(("Basic/", "Scripts/")) for name in names):
                    return "macros"
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, RuntimeError, OSError):
        return "content"  # corrupt, truncated, encrypted (RuntimeError) or unsupported
    finally:
        uploaded_file.seek(0)
    return None


def _content_problem(uploaded_file, extension: str) -> str | None:
    head = _head(uploaded_file)
    if extension == "pdf":
        return None if head.startswith(PDF) else "content"
    if extension == "png":
        return None if head.startswith(PNG) else "content"
    if extension in ("jpg", "jpeg"):
        return None if head.startswith(JPEG) else "content"
    if extension in ("txt", "csv"):
        return None if _is_text(head) else "content"
    # Office formats: ZIP containers, starting with a local file header (a ZIP appended to an
    # executable, as in self-extracting archives, does not start with one).
    if not head.startswith(ZIP):
        return "content"
    return _check_office(uploaded_file, extension)


def check_type(uploaded_file, user=None) -> None:
    """Extension on the allow-list, content consistent with it (magic bytes, office manifest)."""
    name, extension = _name(uploaded_file), _extension(uploaded_file)
    if extension not in ALLOWED_EXTENSIONS:
        _refuse(
            _("“%(name)s” is not an accepted type of file. Accepted types: %(types)s.")
            % {"name": name, "types": ", ".join(ALLOWED_EXTENSIONS)},
            "extension",
            uploaded_file,
            user,
        )
    problem = _content_problem(uploaded_file, extension)
    if problem == "macros":
        _refuse(
            _(
                "“%(name)s” contains macros, which are not accepted. Save it again without "
                "macros (as .docx, .xlsx, .pptx or OpenDocument)."
            )
            % {"name": name},
            "macros",
            uploaded_file,
            user,
        )
    if problem:
        _refuse(
            _(
                "The content of “%(name)s” is not a %(type)s file, as its extension says. "
                "Save it again in its real format, or choose another file."
            )
            % {"name": name, "type": TYPE_NAMES[extension]},
            "content",
            uploaded_file,
            user,
        )


def check_size(uploaded_file, user=None) -> None:
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded_file.size > limit:
        _refuse(
            _("“%(name)s” is too large (%(size)s). The maximum is %(limit)s.")
            % {
                "name": _name(uploaded_file),
                "size": filesizeformat(uploaded_file.size),
                "limit": filesizeformat(limit),
            },
            "size",
            uploaded_file,
            user,
        )


def unscanned_uploads_allowed() -> bool:
    """Without an antivirus, files are accepted only when DEBUG is on or when
    UPLOADS_WITHOUT_ANTIVIRUS says so explicitly."""
    return bool(settings.DEBUG or settings.UPLOADS_WITHOUT_ANTIVIRUS)


def _antivirus_notice() -> str:
    """What every upload form tells the uploader when no antivirus is configured."""
    if antivirus.is_configured():
        return ""
    if not unscanned_uploads_allowed():
        return _(
            "No antivirus is configured: uploads are refused until an administrator sets "
            "CLAMD_SOCKET or CLAMD_URL."
        )
    if settings.DEMO_MODE:
        return _("Demo portal: no antivirus is configured, uploaded files are not scanned.")
    return _("Warning: no antivirus is configured, uploaded files are not scanned.")


antivirus_notice = lazy(_antivirus_notice, str)


def scan(uploaded_file, user=None) -> None:
    """The antivirus scan, when clamd is configured; refused when clamd cannot answer, and when
    there is no antivirus unless unscanned uploads are allowed."""
    if not antivirus.is_configured():
        if not unscanned_uploads_allowed():
            _refuse(
                _(
                    "“%(name)s” was refused: no antivirus is configured on this portal, so "
                    "files cannot be checked. Ask the administrator to configure one."
                )
                % {"name": _name(uploaded_file)},
                "no_antivirus",
                uploaded_file,
                user,
            )
        log_event("upload_unscanned", None, user, name=repr(_name(uploaded_file)))
        return
    try:
        threat = antivirus.scan(uploaded_file)
    except antivirus.AntivirusUnavailable as exc:
        _refuse(
            _(
                "The antivirus is unavailable, so the file could not be checked. "
                "Please try again later."
            ),
            "antivirus_unavailable",
            uploaded_file,
            user,
            error=repr(str(exc)),
        )
    if threat:
        _refuse(
            _("“%(name)s” was refused: the antivirus detected “%(threat)s”.")
            % {"name": _name(uploaded_file), "threat": threat},
            "infected",
            uploaded_file,
            user,
            threat=repr(threat),
        )


def validate_upload(uploaded_file, user=None) -> None:
    """Every check: extension and content, size, then the antivirus."""
    check_type(uploaded_file, user)
    check_size(uploaded_file, user)
    scan(uploaded_file, user)


def _upload_help_text() -> str:
    text = _("Accepted types: %(types)s. Maximum size: %(limit)s.") % {
        "types": ", ".join(ALLOWED_EXTENSIONS),
        "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
    }
    return f"{text} {_antivirus_notice()}".strip()


upload_help_text = lazy(_upload_help_text, str)


class SafeFileField(forms.FileField):
    """A file field running validate_upload, for the portal's own forms (REX attachments...)."""

    default_validators = [validate_upload]

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", upload_help_text())  # lazy: the request's language
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ACCEPT_ATTRIBUTE}
