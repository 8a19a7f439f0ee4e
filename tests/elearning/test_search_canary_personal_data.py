"""The canary: a members-only course's lesson text never reaches an anonymous visitor or a
pending member anywhere; search documents, facets; the personal-data export and erasure."""

import json

import pytest
from django.test import Client

from elearning import search_documents, services
from elearning.models import Certificate, Enrolment
from portal.access import AccessLevel, Role
from portal.accounts.models import MemberStatus
from tests.elearning.factories import complete_course, course, course_index, lesson, member
from tests.portal.factories import MemberFactory, home_page

pytestmark = pytest.mark.django_db

CANARY = "zorglubformation"


@pytest.fixture
def content():
    home_page()
    public = course("Hygiène numérique", lessons=1)
    secret = course(
        f"Parcours membres {CANARY}",
        slug="parcours-membres",
        lessons=0,
        access_level=AccessLevel.MEMBERS,
        summary=f"Résumé réservé {CANARY}",
    )
    secret_lesson = lesson(
        secret, "Leçon réservée", text=f"Texte de la leçon {CANARY} confidentiel"
    )
    return {"public": public, "secret": secret, "lesson": secret_lesson, "quiz": secret.quiz()}


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def everything_seen(client, content) -> str:
    index = course_index()
    seen = []
    urls = [
        "/",
        index.url,
        content["public"].url,
        index.url + "?public=caregiver",
        index.url + index.reverse_subpage("mine"),
        index.url + index.reverse_subpage("report"),
        index.url + index.reverse_subpage("regional"),
        "/~elearning/",
    ]
    for url in urls:
        seen.append(client.get(url, follow=True).content.decode())
    for word in ("leçon réservée", "confidentiel", "parcours membres", "texte de la leçon"):
        seen.append(client.get("/recherche/", {"q": word}).content.decode())
        seen.append(client.get("/recherche/suggestions/", {"q": word[:6]}).content.decode())
    for page in (content["secret"], content["lesson"], content["quiz"]):
        response = client.get(page.url)
        seen.append(f"status:{response.status_code}")
        seen.append(response.content.decode())
        seen.append(f"status:{client.post(page.url).status_code}")
    return "\n".join(seen)


@pytest.mark.parametrize("who", ["anonymous", "pending"])
def test_members_only_lesson_text_leaks_nowhere(content, who):
    user = None
    if who == "pending":
        user = MemberFactory(profile__status=MemberStatus.PENDING, profile__roles={Role.CAREGIVER})
    seen = everything_seen(client_for(user), content)
    assert CANARY not in seen
    assert "Leçon réservée" not in seen
    assert "status:200" not in seen  # the course, its lesson and quiz answer 404 (or login)
    assert "Hygiène numérique" in seen  # control: the public course shows


def test_an_approved_member_sees_it_through_the_same_channels(content):
    seen = everything_seen(client_for(member()), content)
    assert CANARY in seen and "Leçon réservée" in seen


def test_search_documents_carry_the_course_access_fields(content):
    course_document = search_documents.document(content["secret"])
    lesson_document = search_documents.document(content["lesson"])
    assert course_document.access_level == lesson_document.access_level == AccessLevel.MEMBERS
    assert CANARY in lesson_document.body
    assert lesson_document.facets == {"audience": ("caregiver",), "duration": ("short",)}
    from elearning.models import LessonPage

    content["secret"].unpublish()
    assert search_documents.document(LessonPage.objects.get(pk=content["lesson"].pk)) is None


def test_duration_and_audience_facets_in_search(content):
    client = client_for(member())
    response = client.get("/recherche/", {"q": "confidentiel", "duration": "short"})
    assert response.status_code == 200
    assert CANARY in response.content.decode()
    response = client.get("/recherche/", {"q": "confidentiel", "duration": "long"})
    assert CANARY not in response.content.decode()
    response = client.get("/recherche/", {"q": "confidentiel", "audience": "rssi"})
    assert CANARY not in response.content.decode()


def test_personal_data_export_and_erasure():
    from portal.accounts.personal_data import delete_account, export

    page = course("Export", lessons=1)
    user = member(first_name="Eve", last_name="Export")
    complete_course(user, page)
    data = export(user)["courses"]
    assert data["enrolments"][0]["course"] == "Export"
    assert data["enrolments"][0]["certificate"]["name"] == "Eve Export"
    assert data["quiz_attempts"][0]["passed"] is True
    json.dumps(data)  # serialisable
    delete_account(user)
    assert Enrolment.objects.filter(user=user).count() == 1  # kept for the counts
    assert Certificate.objects.get().learner_name == ""


def test_module_declarations_are_registered():
    from portal import modules
    from portal.notifications import jobs, kinds
    from search import registry as search_registry

    assert "elearning" in {m.key for m in modules.modules()}
    assert "elearning.reminders" in {job.name for job in jobs.all_jobs()}
    assert search_registry.source("courses") is not None
    assert {"audience", "duration"} <= {f.name for f in search_registry.facets()}
    assert {
        services.KIND_CERTIFICATE_EXPIRY,
        services.KIND_COURSE_REMINDER,
    } <= {k.key for k in kinds.all_kinds()}


def test_rebuild_indexes_courses_and_lessons(content):
    from search.rebuild import all_documents, expected_total

    keys = {document.key for document in all_documents() if document.kind == "courses"}
    assert f"elearning.lessonpage:{content['lesson'].pk}" in keys
    assert f"elearning.coursepage:{content['secret'].pk}" in keys
    assert expected_total() >= 4


@pytest.mark.parametrize("who", ["anonymous", "pending", "member"])
def test_a_members_only_lesson_download_is_the_course_s_to_give(who):
    """A file offered by a download block of a members-only course's lesson is served as the
    course is: 404 for visitors and pending members, the file for approved members."""
    from tests.docs_base.factories import wagtail_document

    home_page()
    secret = course("Parcours membres", lessons=0, access_level=AccessLevel.MEMBERS)
    file = wagtail_document("Support réservé", "support-reserve.pdf", b"%PDF-1.4 reserve")
    page = lesson(secret, "Leçon avec support")
    page.body = [("download", {"document": file, "label": "Le support"})]
    page.save_revision().publish()
    user = {
        "anonymous": None,
        "pending": MemberFactory(profile__status=MemberStatus.PENDING),
        "member": member(),
    }[who]
    response = client_for(user).get(file.url)
    assert response.status_code == (200 if who == "member" else 404)
