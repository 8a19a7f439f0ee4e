"""SCORM 1.2: safe extraction (zip slip, zip bomb, links, manifest), sandboxed serving bound
to the enrolment, and the runtime API round trip (CSRF-protected, validated)."""

import io
import json
import re
import stat
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client

from elearning import scorm, scorm_sample, services
from elearning.models import Enrolment, LessonCompletion, ScormState
from tests.elearning.factories import course, course_index, lesson, member, scorm_package

pytestmark = pytest.mark.django_db


def zip_with(entries, base=True):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if base:
            source = zipfile.ZipFile(io.BytesIO(scorm_sample.build()))
            for info in source.infolist():
                archive.writestr(info, source.read(info))
        for entry in entries:
            if isinstance(entry, tuple):
                archive.writestr(*entry)
            else:
                archive.writestr(entry[0], entry[1])
    return buffer.getvalue()


def extract(data):
    return scorm.extract(ContentFile(data, name="p.zip"))


def test_the_project_package_extracts():
    fields = extract(scorm_sample.build())
    assert fields["launch"] == "index.html" and fields["file_count"] == 4
    assert (scorm.root() / fields["folder"] / "index.html").is_file()


@pytest.mark.parametrize(
    "name",
    ["../evil.html", "a/../../evil.html", "/etc/evil.html", "C:/evil.html", "a\\..\\evil.html"],
)
def test_zip_slip_is_refused(name):
    with pytest.raises(ValidationError, match="forbidden path|interdit"):
        extract(zip_with([(name, "x")]))
    assert not list(scorm.root().glob("*/evil.html")) if scorm.root().exists() else True


def test_a_link_in_the_zip_is_refused():
    info = zipfile.ZipInfo("link.html")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with pytest.raises(ValidationError, match="link|lien"):
        extract(zip_with([(info, "/etc/passwd")]))


def test_a_zip_bomb_is_refused():
    with pytest.raises(ValidationError, match="bomb"):
        extract(zip_with([("big.txt", "0" * (20 * 1024 * 1024))]))


def test_limits_on_size_and_count(settings):
    settings.ELEARNING_SCORM_MAX_FILES = 5
    with pytest.raises(ValidationError, match="more than 5 files|plus de 5"):
        extract(zip_with([(f"f{n}.txt", "x") for n in range(5)]))
    settings.ELEARNING_SCORM_MAX_FILES = 3000
    settings.ELEARNING_SCORM_MAX_BYTES = 1000
    with pytest.raises(ValidationError):
        extract(zip_with([("a.txt", "ab" * 1000)]))


def test_bad_manifest_and_types_are_refused():
    with pytest.raises(ValidationError, match="imsmanifest"):
        extract(zip_with([("index.html", "x")], base=False))
    with pytest.raises(ValidationError, match="1.2"):
        extract(
            zip_with(
                [
                    (
                        "imsmanifest.xml",
                        scorm_sample.MANIFEST.format(title="t", identifier="i").replace(
                            "1.2", "2004 4th Edition"
                        ),
                    ),
                    ("index.html", "x"),
                ],
                base=False,
            )
        )
    with pytest.raises(ValidationError, match="not valid XML|XML"):
        extract(
            zip_with([("imsmanifest.xml", '<!DOCTYPE x [<!ENTITY a "b">]><manifest/>')], base=False)
        )
    with pytest.raises(ValidationError, match="(?i)type"):
        extract(zip_with([("tool.exe", "MZ")]))
    with pytest.raises(ValidationError, match="zip"):
        extract(b"not a zip")
    assert not any(scorm.root().iterdir()) if scorm.root().exists() else True


@pytest.fixture
def scorm_course():
    package = scorm_package()
    page = course("Module SCORM", lessons=0, quiz=False)
    scorm_lesson = lesson(page, "Leçon SCORM", scorm_package=package)
    return page, scorm_lesson


def runtime_url(scorm_lesson):
    index = course_index()
    return index.url + index.reverse_subpage("scorm_runtime", args=(scorm_lesson.pk,))


def test_runtime_round_trip_completes_the_lesson_and_the_course(scorm_course):
    page, scorm_lesson = scorm_course
    user = member()
    services.enrol(user, page)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    html = client.get(scorm_lesson.url).text
    assert 'sandbox="allow-scripts allow-forms"' in html
    token = re.search(r'data-csrf="([^"]+)"', html)[1]
    post = lambda payload: client.post(  # noqa: E731
        runtime_url(scorm_lesson),
        json.dumps(payload),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert post({"action": "initialize"}).status_code == 200
    response = post(
        {
            "action": "commit",
            "values": {
                "cmi.core.lesson_status": "incomplete",
                "cmi.core.lesson_location": "p2",
                "cmi.suspend_data": "abc",
                "cmi.core.session_time": "0000:01:30",
            },
        }
    )
    assert response.status_code == 200 and response.json()["lesson_completed"] is False
    state = ScormState.objects.get()
    assert (state.lesson_status, state.lesson_location, state.suspend_data, state.total_time) == (
        "incomplete",
        "p2",
        "abc",
        "0000:01:30",
    )
    # the values come back to the package at the next launch (in the frame's fragment)
    assert "abc" in client.get(scorm_lesson.url).text
    response = post(
        {
            "action": "finish",
            "values": {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "90"},
        }
    )
    assert response.json() == {
        "status": "passed",
        "lesson_completed": True,
        "course_completed": True,
    }
    assert LessonCompletion.objects.filter(lesson=scorm_lesson).exists()
    assert Enrolment.objects.get().completed_at is not None


def test_runtime_refuses_bad_values_and_changes_nothing(scorm_course):
    page, scorm_lesson = scorm_course
    user = member()
    services.enrol(user, page)
    client = Client()
    client.force_login(user)
    for values in (
        {"cmi.core.lesson_status": "winner"},
        {"cmi.core.score.raw": "150"},
        {"cmi.core.score.raw": "NaN"},
        {"cmi.suspend_data": "x" * 5000},
        {"cmi.core.session_time": "yesterday"},
    ):
        response = client.post(
            runtime_url(scorm_lesson),
            json.dumps({"action": "commit", "values": values}),
            content_type="application/json",
        )
        assert response.status_code == 400 and response.json()["errors"]
    assert (
        client.post(runtime_url(scorm_lesson), "{nope", content_type="application/json").status_code
        == 400
    )
    assert not ScormState.objects.exclude(lesson_status="not attempted").exists()


def test_runtime_needs_csrf_and_an_enrolment(scorm_course):
    page, scorm_lesson = scorm_course
    user = member()
    services.enrol(user, page)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    body = json.dumps({"action": "commit", "values": {"cmi.core.lesson_status": "passed"}})
    assert (
        client.post(runtime_url(scorm_lesson), body, content_type="application/json").status_code
        == 403
    )
    outsider = Client()
    outsider.force_login(member())
    assert (
        outsider.post(runtime_url(scorm_lesson), body, content_type="application/json").status_code
        == 404
    )
    assert Client().post(
        runtime_url(scorm_lesson), body, content_type="application/json"
    ).status_code in (302, 404)
    assert not LessonCompletion.objects.exists()


def test_content_is_sandboxed_and_bound_to_the_enrolment(scorm_course):
    page, scorm_lesson = scorm_course
    user = member()
    enrolment = services.enrol(user, page)
    url = scorm.content_url(enrolment, scorm_lesson, "index.html")
    response = Client().get(url)  # a sandboxed frame sends no cookie: the token suffices
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox allow-scripts") and "allow-same-origin" not in policy
    assert "connect-src 'none'" in policy
    assert scorm.API_SCRIPT.encode() in response.content
    assert Client().get(url.replace("index.html", scorm.API_SCRIPT)).status_code == 200
    assert (
        Client()
        .get(url.replace("index.html", "sco.js"))["Content-Type"]
        .startswith("text/javascript")
    )
    # a non-enrolled member, with or without the learner's URL, gets 404
    outsider = Client()
    outsider.force_login(member())
    assert outsider.get(url).status_code == 404
    forged = url.replace(url.split("/")[-2], "forged-token")
    assert Client().get(forged).status_code == 404
    assert Client().get(url.replace("index.html", "../../../settings.py")).status_code == 404
    # the lesson page gives no player to a member who is not enrolled
    html = outsider.get(scorm_lesson.url).text
    assert "<iframe" not in html
    # once the enrolment is no longer current, the URL stops working
    Enrolment.objects.filter(pk=enrolment.pk).update(current=False)
    assert Client().get(url).status_code == 404


def test_admin_upload_extracts_or_refuses(admin_user):
    from elearning.models import ScormPackage
    from tests.portal.factories import with_mfa

    admin_client = Client()
    admin_client.force_login(with_mfa(admin_user))

    url = "/admin/snippets/elearning/scormpackage/add/"
    response = admin_client.post(
        url,
        {"title": "Bombe", "archive": ContentFile(zip_with([("../x.html", "x")]), name="b.zip")},
    )
    assert response.status_code == 200 and not ScormPackage.objects.exists()
    response = admin_client.post(
        url, {"title": "Bon", "archive": ContentFile(scorm_sample.build(), name="ok.zip")}
    )
    assert response.status_code == 302
    package = ScormPackage.objects.get()
    assert package.launch == "index.html" and (scorm.root() / package.folder / "sco.js").is_file()


def test_deleting_a_package_removes_its_files():
    package = scorm_package()
    folder = scorm.root() / package.folder
    assert folder.is_dir()
    package.delete()
    assert not folder.exists()
