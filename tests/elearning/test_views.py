"""The learner's pages over HTTP: catalogue, course, lesson, quiz, my courses, certificates."""

import base64
import io
import re

import pytest
from django.test import Client
from pypdf import PdfReader
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from elearning import services
from elearning.models import Certificate, Enrolment, QuizAttempt
from portal.access import AccessLevel
from tests.docs_base.factories import wagtail_document
from tests.elearning import factories
from tests.elearning.factories import complete_course, course, course_index, member

pytestmark = pytest.mark.django_db


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def route(name, *args):
    index = course_index()
    return index.url + index.reverse_subpage(name, args=args)


def test_catalogue_is_public_and_lists_visible_courses(django_assert_max_num_queries):
    course("Hameçonnage")
    course("Réservé", access_level=AccessLevel.MEMBERS)
    anonymous = Client()
    with django_assert_max_num_queries(20):
        response = anonymous.get(course_index().url)
    assert response.status_code == 200
    assert "Hameçonnage" in response.text and "Réservé" not in response.text
    response = client_for(member()).get(course_index().url)
    assert "Réservé" in response.text


def test_catalogue_queries_do_not_grow_with_courses(django_assert_max_num_queries):
    for number in range(30):
        course(f"Cours {number}", lessons=0, quiz=False)
    user = member()
    client = client_for(user)
    with django_assert_max_num_queries(25):
        response = client.get(course_index().url)
    assert response.text.count("fr-card__title") == 30


def test_catalogue_filters_by_audience_and_level():
    course("Pour soignants", audience={"caregiver"}, level="beginner")
    course("Pour RSSI", audience={"rssi"}, level="advanced")
    response = Client().get(course_index().url, {"public": "rssi"})
    assert "Pour RSSI" in response.text and "Pour soignants" not in response.text
    response = Client().get(course_index().url, {"niveau": "beginner", "public": "nope"})
    assert "Pour soignants" in response.text and "Pour RSSI" not in response.text


def test_anonymous_sees_course_but_must_sign_in_to_enrol():
    page = course()
    response = Client().get(page.url)
    assert response.status_code == 200
    response = Client().post(route_enrol(page))
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Enrolment.objects.exists()


def route_enrol(page):
    return page.url + page.reverse_subpage("enrol")


def test_member_enrols_completes_lessons_and_passes_the_quiz_over_http():
    page = course(lessons=2, questions=4)
    user = member()
    client = client_for(user)
    response = client.post(route_enrol(page))
    first = page.lessons().first()
    assert response.status_code == 302 and response["Location"] == first.url
    for lesson in page.lessons():
        response = client.get(lesson.url)
        assert (
            response.status_code == 200
            and "I have finished" in response.text
            or "terminé" in response.text
        )
        assert client.post(lesson.url).status_code == 302
    quiz = page.quiz()
    response = client.get(quiz.url)
    assert response.status_code == 200
    assert client.post(quiz.url, {"action": "start"}).status_code == 302
    response = client.get(quiz.url)
    attempt = QuizAttempt.objects.get()
    # the correct answers are never in the page before submission
    from elearning.models import Answer

    drawn = Answer.objects.filter(question_id__in=[i["question"] for i in attempt.layout])
    for answer in drawn:
        assert answer.text in response.text
    # neither the feedback ("Exact" on right answers) nor any "correct" marker before submission
    assert "Exact" not in response.text
    assert "correct" not in response.text.lower().replace("incorrect", "")
    data = {"action": "submit", "attempt": attempt.pk}
    for item in attempt.layout:
        data[f"q{item['question']}"] = list(
            Answer.objects.filter(question_id=item["question"], correct=True).values_list(
                "pk", flat=True
            )
        )
    response = client.post(quiz.url, data)
    assert response.status_code == 302 and "tentative=1" in response["Location"]
    response = client.get(response["Location"])
    assert "100" in response.text and "Exact" in response.text
    enrolment = Enrolment.objects.get()
    assert enrolment.completed_at is not None
    certificate = Certificate.objects.get()
    response = client.get(route("mine"))
    assert response.status_code == 200 and certificate.course_title in response.text


def test_quiz_form_never_marks_the_correct_answers():
    page = course(lessons=0, questions=3)
    user = member()
    enrolment = services.enrol(user, page)
    services.start_attempt(enrolment, page.quiz(), seed=5)
    client = client_for(user)
    html = client.get(page.quiz().url).text
    assert "Exact" not in html and "Non" not in re.sub(r"<[^>]+>", " ", html).split()
    assert "correct" not in html.lower().replace("incorrect", "")
    # The page does not depend on which answers are right: flip them, the page is the same.
    from elearning.models import Answer

    for answer in Answer.objects.all():
        Answer.objects.filter(pk=answer.pk).update(correct=not answer.correct)
    flipped = client.get(page.quiz().url).text

    def without_tokens(text):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)

    assert without_tokens(flipped) == without_tokens(html)


def test_bad_quiz_input_is_refused_with_a_message_and_no_500():
    page = course(lessons=0, questions=2)
    user = member()
    services.enrol(user, page)
    client = client_for(user)
    client.post(page.quiz().url, {"action": "start"})
    attempt = QuizAttempt.objects.get()
    item = attempt.layout[0]
    response = client.post(
        page.quiz().url,
        {"action": "submit", "attempt": attempt.pk, f"q{item['question']}": "abc"},
        follow=True,
    )
    assert response.status_code == 200
    assert "not valid" in response.text or "valides" in response.text
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert client.post(page.quiz().url, {"action": "submit", "attempt": "x"}).status_code == 404
    assert client.post(page.quiz().url, {"action": "nope"}).status_code == 302


def test_certificate_pdf_and_public_verification():
    page = course("Mots de passe et MFA", lessons=1)
    user = member(first_name="Camille", last_name="Durand")
    enrolment = complete_course(user, page)
    certificate = enrolment.certificate
    client = client_for(user)
    response = client.get(route("certificate_pdf", certificate.code))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    from portal import region

    current = region.current()
    for expected in (
        "Camille Durand",
        "Mots de passe et MFA",
        certificate.code,
        current.ars_name,
        current.gcs_name,
    ):
        assert expected in text, expected
    assert certificate.expires_on.strftime("%Y") in text
    # anyone may verify, and only sees validity and the name
    response = Client().get(route("verify", certificate.code))
    assert response.status_code == 200
    assert "Camille Durand" in response.text and "Mots de passe et MFA" not in response.text
    assert Client().get(route("verify", "NOPE")).status_code == 404
    # nobody else downloads the PDF
    assert client_for(member()).get(route("certificate_pdf", certificate.code)).status_code == 404
    assert Client().get(route("certificate_pdf", certificate.code)).status_code == 302


def test_verification_shows_expired():
    import datetime

    page = course(lessons=1)
    enrolment = complete_course(member(), page)
    Certificate.objects.filter(pk=enrolment.certificate.pk).update(
        expires_on=datetime.date.today() - datetime.timedelta(days=1)
    )
    response = Client().get(route("verify", enrolment.certificate.code))
    assert "Expired" in response.text or "expiré" in response.text


def test_my_courses_is_for_approved_members():
    from portal.accounts.models import MemberStatus
    from tests.portal.factories import MemberFactory

    course_index()
    assert Client().get(route("mine")).status_code == 302
    pending = MemberFactory(profile__status=MemberStatus.PENDING)
    assert client_for(pending).get(route("mine")).status_code == 404
    assert client_for(member()).get(route("mine")).status_code == 200


def test_lesson_page_query_count_is_bounded(django_assert_max_num_queries):
    page = course(lessons=8)
    user = member()
    enrolment = services.enrol(user, page)
    for lesson in list(page.lessons())[:4]:
        services.complete_lesson(enrolment, lesson)
    client = client_for(user)
    lesson = list(page.lessons())[5]
    client.get(lesson.url)
    with django_assert_max_num_queries(30):
        assert client.get(lesson.url).status_code == 200


def test_home_page_shows_new_courses_and_continue_your_course():
    from tests.portal.factories import home_page

    page = course("Parcours RSSI", lessons=2)
    user = member()
    enrolment = services.enrol(user, page)
    services.complete_lesson(enrolment, page.lessons().first())
    response = client_for(user).get(home_page().url)
    assert "Parcours RSSI" in response.text
    assert "Continue your course" in response.text or "Reprendre" in response.text
    response = Client().get(home_page().url)
    assert "Parcours RSSI" in response.text


def test_catalogue_links_managers_to_their_reports():
    from portal.access import Role

    course()
    director = member(roles=(Role.DIRECTOR,))
    html = client_for(director).get(course_index().url).text
    assert route("report") in html and route("regional") not in html
    referent = member(roles=(Role.ARS_REFERENT,))
    html = client_for(referent).get(course_index().url).text
    assert f'href="{route("regional")}"' in html and f'href="{route("report")}"' not in html
    html = client_for(member()).get(course_index().url).text
    assert route("report") not in html


def test_admin_refuses_a_single_choice_question_with_two_correct_answers(admin_user):
    from elearning.models import Question, QuestionBank
    from tests.portal.factories import with_mfa

    bank = QuestionBank.objects.create(name="Banque")
    client = client_for(with_mfa(admin_user))
    data = {
        "bank": bank.pk,
        "text": "Question ?",
        "kind": "single",
        "category": "bases",
        "difficulty": "easy",
        "explanation": "",
        "answers-TOTAL_FORMS": "2",
        "answers-INITIAL_FORMS": "0",
        "answers-MIN_NUM_FORMS": "0",
        "answers-MAX_NUM_FORMS": "1000",
    }
    for n in range(2):
        data |= {
            f"answers-{n}-text": f"R{n}",
            f"answers-{n}-correct": "on",
            f"answers-{n}-feedback": "",
            f"answers-{n}-ORDER": str(n + 1),
            f"answers-{n}-id": "",
        }
    url = "/admin/snippets/elearning/question/add/"
    response = client.post(url, data)
    assert response.status_code == 200 and not Question.objects.exists()
    del data["answers-1-correct"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Question.objects.get().answers.filter(correct=True).count() == 1


def test_a_lesson_renders_every_kind_of_block():
    """Text, video with transcript, image with its text alternative, download, callout and
    self-check (the answer behind a disclosure, not graded)."""
    page = course("Tous les blocs", lessons=0, quiz=False)
    image = get_image_model().objects.create(title="Capture", file=get_test_image_file())
    file = wagtail_document("Fiche mémo", "fiche-memo.pdf", b"%PDF-1.4 memo")
    item = factories.lesson(page, "Leçon complète")
    item.body = [
        ("paragraph", "<p>Paragraphe du cours</p>"),
        (
            "video",
            {
                "title": "Le courriel piégé",
                "url": "https://video.example/piege",
                "duration": "2 min",
                "transcript": "<p>Transcription intégrale</p>",
            },
        ),
        ("image", {"image": image, "alternative": "Un courriel suspect", "caption": "Exemple"}),
        ("download", {"document": file, "label": "La fiche mémo"}),
        ("callout", {"title": "À retenir", "text": "<p>Ne cliquez pas</p>"}),
        ("self_check", {"question": "Faut-il cliquer ?", "answer": "<p>Non, jamais</p>"}),
    ]
    item.save_revision().publish()
    html = client_for(member()).get(item.url).text
    for expected in (
        "Paragraphe du cours",
        'href="https://video.example/piege"',
        "Transcription intégrale",
        'alt="Un courriel suspect"',
        "Exemple",
        f'href="{file.url}"',
        "La fiche mémo",
        "À retenir",
        "Ne cliquez pas",
        "Faut-il cliquer ?",
    ):
        assert expected in html, expected
    check = html.split("Faut-il cliquer ?", 1)[1]
    assert check.index("<details") < check.index("Non, jamais")


def test_the_certificate_renderer_fetches_data_uris_only(monkeypatch, tmp_path):
    """WeasyPrint draws an image given as a data: URI, and fetches no file:// or http://
    resource, even if a template asked for one."""
    png = get_test_image_file(size=(4, 4)).file.getvalue()
    local = tmp_path / "local.png"
    local.write_bytes(png)
    inline = "data:image/png;base64," + base64.b64encode(png).decode()
    html = (
        f'<p>Attestation</p><img src="{inline}"><img src="file://{local}">'
        '<img src="http://127.0.0.1:9/distant.png">'
    )
    monkeypatch.setattr(services, "render_to_string", lambda template, context: html)
    pdf = PdfReader(io.BytesIO(services.render_certificate_pdf("unused.html", {})))
    assert "Attestation" in pdf.pages[0].extract_text()
    assert len(pdf.pages[0].images) == 1


def test_learners_are_told_who_sees_their_progress():
    page = course(lessons=1)
    user = member()
    client = client_for(user)
    note = "Qui voit votre progression : le directeur et le responsable de la sécurité"
    assert note in client.get(page.url).text  # before enrolling
    services.enrol(user, page)
    assert note in client.get(page.url).text
    assert note in client.get(route("mine")).text
