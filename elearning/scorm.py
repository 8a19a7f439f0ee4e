"""SCORM 1.2: safe extraction of uploaded packages, sandboxed serving, the runtime API.

Extraction refuses path traversal, links, encrypted members, unexpected file types, and
archives over the size, file-count or compression-ratio limits; the manifest must be a
SCORM 1.2 ``imsmanifest.xml`` whose launch file is in the package.

Content is served from ``/~elearning/scorm/<lesson>/<token>/<file>`` with
``Content-Security-Policy: sandbox allow-scripts ...``: the package runs in an opaque origin,
so its JavaScript can neither read the portal's cookies nor call the portal as the learner.
The token (signed, short-lived) binds the URL to one learner's current enrolment: sandboxed
documents send no cookies, and the token is what lets their scripts and images load.

The package's API calls (``LMSInitialize`` ... ``LMSFinish``) are answered by a small
script injected into its HTML pages, which holds the values and posts them to the lesson page
(``postMessage``); the lesson page's own script sends them to the runtime endpoint, which is
CSRF-protected, bound to the member's enrolment and validates every value.
"""

import json
import mimetypes
import re
import shutil
import stat
import uuid
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from elearning import services
from elearning.models import CoursePage, Enrolment, LessonPage
from elearning.services import learner_name, scorm_state
from portal.access import can_view

API_SCRIPT = "__portal_scorm_api.js"
TOKEN_SALT = "elearning.scorm.content"  # noqa: S105 (a signing namespace)
TOKEN_MAX_AGE = 6 * 3600
ALLOWED_EXTENSIONS = frozenset(
    [
        "html",
        "htm",
        "xhtml",
        "js",
        "css",
        "json",
        "xml",
        "xsd",
        "dtd",
        "txt",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "svg",
        "webp",
        "ico",
        "mp3",
        "mp4",
        "webm",
        "ogg",
        "wav",
        "woff",
        "woff2",
        "ttf",
        "otf",
        "pdf",
        "vtt",
    ]
)
LESSON_STATUSES = frozenset(
    {"passed", "completed", "failed", "incomplete", "browsed", "not attempted"}
)
DONE_STATUSES = frozenset({"passed", "completed"})
SESSION_TIME = re.compile(r"^(\d{2,4}):([0-5]\d):([0-5]\d)(\.\d{1,2})?$")
# In the sandbox the document's origin is opaque, so the portal's own address is named
# beside 'self' for the package's files.
CONTENT_POLICY = (
    "sandbox allow-scripts allow-forms; default-src 'self' {origin}; "
    "script-src 'self' {origin} 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' {origin} 'unsafe-inline'; img-src 'self' {origin} data:; "
    "media-src 'self' {origin}; font-src 'self' {origin} data:; connect-src 'none'; "
    "form-action 'none'; base-uri 'self'; object-src 'none'; frame-ancestors 'self'"
)


def limits() -> dict:
    return {
        "bytes": settings.ELEARNING_SCORM_MAX_BYTES,
        "files": settings.ELEARNING_SCORM_MAX_FILES,
        "ratio": settings.ELEARNING_SCORM_MAX_RATIO,
    }


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / "scorm" / "packages"


# --- Extraction -------------------------------------------------------------------------------


def _safe_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if "\\" in name or "\x00" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise ValidationError(
            _("The package contains a file with a forbidden path: %(name)s") % {"name": name[:100]}
        )
    parts = PurePosixPath(name).parts
    if any(part in ("..", ".") for part in parts) or not parts:
        raise ValidationError(
            _("The package contains a file with a forbidden path: %(name)s") % {"name": name[:100]}
        )
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        raise ValidationError(
            _("The package contains a link or a special file: %(name)s") % {"name": name[:100]}
        )
    if info.flag_bits & 0x1:
        raise ValidationError(_("The package contains an encrypted file."))
    return "/".join(parts)


def check_archive(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The package's files by safe name, or ValidationError saying what is wrong."""
    cap = limits()
    infos = archive.infolist()
    files = {}
    total = 0
    for info in infos:
        name = _safe_name(info)
        if info.is_dir():
            continue
        if len(files) >= cap["files"]:
            raise ValidationError(
                _("The package has more than %(count)s files.") % {"count": cap["files"]}
            )
        extension = PurePosixPath(name).suffix.lower().lstrip(".")
        if extension not in ALLOWED_EXTENSIONS:
            raise ValidationError(
                _("File type not accepted in a package: %(name)s") % {"name": name[:100]}
            )
        if (
            info.file_size > cap["ratio"] * max(info.compress_size, 1)
            and info.file_size > 1024 * 64
        ):
            raise ValidationError(_("The package is compressed suspiciously well (zip bomb?)."))
        total += info.file_size
        if total > cap["bytes"]:
            raise ValidationError(
                _("The package is larger than %(size)s MB once extracted.")
                % {"size": cap["bytes"] // (1024 * 1024)}
            )
        if name.lower() in {n.lower() for n in files}:
            raise ValidationError(
                _("The package contains the same file twice: %(name)s") % {"name": name[:100]}
            )
        files[name] = info
    compressed = sum(info.compress_size for info in files.values())
    if total > 1024 * 1024 and total > cap["ratio"] * max(compressed, 1):
        raise ValidationError(_("The package is compressed suspiciously well (zip bomb?)."))
    if "imsmanifest.xml" not in files:
        raise ValidationError(_("The package has no imsmanifest.xml at its root."))
    return files


def parse_manifest(data: bytes, names) -> tuple[str, str]:
    """(identifier, launch file) of a SCORM 1.2 manifest, or ValidationError."""
    try:
        manifest = ElementTree.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ElementTree.ParseError, ValueError):
        raise ValidationError(_("The manifest (imsmanifest.xml) is not valid XML.")) from None

    def local(tag):
        return tag.rsplit("}", 1)[-1]

    if local(manifest.tag) != "manifest":
        raise ValidationError(_("The manifest has no <manifest> element."))
    versions = [
        e.text.strip() for e in manifest.iter() if local(e.tag) == "schemaversion" and e.text
    ]
    if not any(v == "1.2" or v.startswith("1.2") for v in versions):
        raise ValidationError(
            _("Only SCORM 1.2 packages are accepted (schemaversion 1.2 in the manifest).")
        )
    resources = {}
    for element in manifest.iter():
        if local(element.tag) == "resource":
            kind = next(
                (v for k, v in element.attrib.items() if local(k).lower() == "scormtype"), ""
            )
            resources[element.get("identifier", "")] = (kind.lower(), element.get("href", ""))
    launch = ""
    for element in manifest.iter():
        if local(element.tag) == "item" and element.get("identifierref") in resources:
            kind, href = resources[element.get("identifierref")]
            if kind == "sco" and href:
                launch = href
                break
    if not launch:
        launch = next((href for kind, href in resources.values() if kind == "sco" and href), "")
    if not launch:
        raise ValidationError(_("The manifest names no SCO to launch."))
    launch_path = launch.split("?", 1)[0].split("#", 1)[0]
    if launch_path not in names:
        raise ValidationError(
            _("The launch file named in the manifest is missing: %(name)s")
            % {"name": launch_path[:100]}
        )
    return manifest.get("identifier", "")[:200], launch


def extract(uploaded_file) -> dict:
    """Check and extract a package; returns the ``ScormPackage`` fields it fills."""
    try:
        archive = zipfile.ZipFile(uploaded_file)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(_("The file is not a valid zip archive.")) from None
    with archive:
        files = check_archive(archive)
        identifier, launch = parse_manifest(archive.read(files["imsmanifest.xml"]), files)
        folder = uuid.uuid4().hex
        target = root() / folder
        target.mkdir(parents=True)
        cap = limits()["bytes"]
        written = 0
        try:
            for name, info in files.items():
                destination = (target / name).resolve()
                if not destination.is_relative_to(target.resolve()):
                    raise ValidationError(
                        _("The package contains a file with a forbidden path: %(name)s")
                        % {"name": name[:100]}
                    )
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source, destination.open("wb") as out:
                    # The sizes in the zip headers are not trusted: count what is written.
                    while chunk := source.read(64 * 1024):
                        written += len(chunk)
                        if written > cap:
                            raise ValidationError(
                                _("The package is compressed suspiciously well (zip bomb?).")
                            )
                        out.write(chunk)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
    return {
        "folder": folder,
        "launch": launch,
        "identifier": identifier,
        "file_count": len(files),
        "total_bytes": written,
    }


def remove_files(package) -> None:
    if package.folder:
        shutil.rmtree(root() / package.folder, ignore_errors=True)


# --- Serving --------------------------------------------------------------------------------


def content_token(enrolment, lesson) -> str:
    return signing.dumps(
        {"e": enrolment.pk, "l": lesson.pk, "u": enrolment.user_id}, salt=TOKEN_SALT, compress=True
    )


def content_url(enrolment, lesson, name: str) -> str:
    return reverse(
        "elearning:scorm_content",
        kwargs={"lesson_id": lesson.pk, "name": f"{content_token(enrolment, lesson)}/{name}"},
    )


def _enrolment_for(request, lesson_id: int, token: str):
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    if data.get("l") != lesson_id:
        raise Http404
    if request.user.is_authenticated and request.user.pk != data.get("u"):
        raise Http404
    enrolment = (
        Enrolment.objects.filter(pk=data.get("e"), current=True, user__is_active=True)
        .select_related("user", "course")
        .first()
    )
    lesson = LessonPage.objects.live().filter(pk=lesson_id).select_related("scorm_package").first()
    if enrolment is None or lesson is None or lesson.scorm_package is None:
        raise Http404
    if lesson.get_parent().pk != enrolment.course_id or not can_view(
        enrolment.user, enrolment.course
    ):
        raise Http404
    return enrolment, lesson


def _inject_api(html: bytes, script_url: str) -> bytes:
    tag = f'<script src="{script_url}"></script>'.encode()
    match = re.search(rb"<head[^>]*>", html, re.IGNORECASE)
    if match:
        return html[: match.end()] + tag + html[match.end() :]
    return tag + html


def _sandboxed(request, response):
    """No Cross-Origin-Resource-Policy here: the sandboxed document's opaque origin must be
    able to load the package's own files (which the token protects)."""
    origin = f"{request.scheme}://{request.get_host()}"
    response["Content-Security-Policy"] = CONTENT_POLICY.format(origin=origin)
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def content(request, lesson_id: int, name: str):
    token, _sep, relative = name.partition("/")
    if not relative:
        raise Http404
    _enrolment, lesson = _enrolment_for(request, lesson_id, token)
    base = f"{request.path[: -len(relative)]}"
    if relative == API_SCRIPT:
        path = finders.find("elearning/scorm-api.js")
        if not path:
            raise Http404
        return _sandboxed(request, FileResponse(open(path, "rb"), content_type="text/javascript"))
    folder = (root() / lesson.scorm_package.folder).resolve()
    target = (folder / relative).resolve()
    if not target.is_relative_to(folder) or not target.is_file() or target.is_symlink():
        raise Http404
    extension = target.suffix.lower().lstrip(".")
    if extension not in ALLOWED_EXTENSIONS:
        raise Http404
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if extension in ("html", "htm", "xhtml"):
        body = _inject_api(target.read_bytes(), base + API_SCRIPT)
        return _sandboxed(
            request, HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
        )
    return _sandboxed(request, FileResponse(target.open("rb"), content_type=content_type))


# --- Runtime --------------------------------------------------------------------------------


def initial_values(enrolment, state) -> dict:
    user = enrolment.user
    return {
        "cmi.core.student_id": str(user.pk),
        "cmi.core.student_name": learner_name(user),
        "cmi.core.lesson_status": state.lesson_status,
        "cmi.core.lesson_location": state.lesson_location,
        "cmi.core.score.raw": "" if state.score_raw is None else str(state.score_raw.normalize()),
        "cmi.core.total_time": state.total_time,
        "cmi.core.entry": "resume" if state.suspend_data or state.lesson_location else "ab-initio",
        "cmi.core.credit": "credit",
        "cmi.core.lesson_mode": "normal",
        "cmi.suspend_data": state.suspend_data,
        "cmi.launch_data": "",
    }


def player_context(request, enrolment, lesson) -> dict:
    state = scorm_state(enrolment, lesson)
    package = lesson.scorm_package
    values = json.dumps(initial_values(enrolment, state), separators=(",", ":"))

    index = lesson.get_parent().get_parent().specific
    return {
        "src": content_url(enrolment, lesson, package.launch) + "#" + quote(values),
        "runtime_url": index.url + index.reverse_subpage("scorm_runtime", args=(lesson.pk,)),
        "state": state,
    }


def _add_time(total: str, session: str) -> str:
    def seconds(value):
        match = SESSION_TIME.match(value)
        if not match:
            return 0
        return int(match[1]) * 3600 + int(match[2]) * 60 + int(match[3])

    value = seconds(total) + seconds(session)
    return f"{min(value // 3600, 9999):04d}:{value % 3600 // 60:02d}:{value % 60:02d}"


def apply_values(state, values: dict) -> list[str]:
    """Validate and apply the values a package set; returns the errors (nothing is saved
    when there is one)."""
    errors = []
    changes = {}
    if not isinstance(values, dict):
        return [_("The data sent are not valid.")]
    for key, raw in values.items():
        value = "" if raw is None else str(raw)
        if key == "cmi.core.lesson_status":
            if value not in LESSON_STATUSES:
                errors.append(_("Unknown lesson status."))
            else:
                changes["lesson_status"] = value
        elif key == "cmi.core.score.raw":
            if value == "":
                changes["score_raw"] = None
                continue
            try:
                score = Decimal(value)
            except InvalidOperation:
                errors.append(_("The score must be a number from 0 to 100."))
                continue
            if not score.is_finite() or not 0 <= score <= 100:
                errors.append(_("The score must be a number from 0 to 100."))
            else:
                changes["score_raw"] = score.quantize(Decimal("0.01"))
        elif key == "cmi.core.lesson_location":
            if len(value) > 255:
                errors.append(_("The location is too long (255 characters at most)."))
            else:
                changes["lesson_location"] = value
        elif key == "cmi.suspend_data":
            if len(value) > 4096:
                errors.append(_("The suspend data are too long (4,096 characters at most)."))
            else:
                changes["suspend_data"] = value
        elif key == "cmi.core.session_time":
            if value and not SESSION_TIME.match(value):
                errors.append(_("The session time is not valid."))
            else:
                changes["session_time"] = value
        # Read-only and unsupported elements are ignored.
    if errors:
        return errors
    session = changes.pop("session_time", "")
    for name, value in changes.items():
        setattr(state, name, value)
    if session:
        state.total_time = _add_time(state.total_time, session)
    state.save()
    return []


def runtime(request, index, lesson_id: int):
    """The runtime endpoint: POST (CSRF-checked) JSON ``{"action", "values"}`` from the
    lesson page's player, for the member's current enrolment in the lesson's course."""
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    if not services.is_approved(request.user):
        raise Http404
    lesson = LessonPage.objects.live().filter(pk=lesson_id, scorm_package__isnull=False).first()
    if lesson is None:
        raise Http404
    course = CoursePage.objects.filter(pk=lesson.get_parent().pk).first()
    if course is None or not can_view(request.user, course):
        raise Http404
    enrolment = services.current_enrolment(request.user, course)
    if enrolment is None:
        raise Http404
    try:
        payload = json.loads(request.body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return JsonResponse({"errors": [_("The data sent are not valid.")]}, status=400)
    action = payload.get("action") if isinstance(payload, dict) else None
    if action not in ("initialize", "commit", "finish"):
        return JsonResponse({"errors": [_("Unknown action.")]}, status=400)
    state = services.scorm_state(enrolment, lesson)
    errors = apply_values(state, payload.get("values") or {}) if action != "initialize" else []
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    completed = False
    if state.lesson_status in DONE_STATUSES:
        services.complete_lesson(enrolment, lesson)
        completed = True
    return JsonResponse(
        {
            "status": state.lesson_status,
            "lesson_completed": completed,
            "course_completed": bool(
                type(enrolment).objects.filter(pk=enrolment.pk, completed_at__isnull=False).exists()
            ),
        }
    )
