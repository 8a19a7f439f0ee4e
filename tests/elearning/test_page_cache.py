"""Lesson, quiz and event pages come from the per-audience page cache; the learner's and the
participant's own state are personal fragments: never in another member's or audience's copy,
never stale after a change, and a hit costs a bounded number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from elearning import services
from elearning.events import services as event_services
from elearning.events.models import Registration, RegistrationStatus
from elearning.models import Enrolment
from portal.access import AccessLevel, Role
from tests.elearning.event_factories import event, event_index
from tests.elearning.factories import course
from tests.portal.factories import client_for

pytestmark = pytest.mark.django_db

DONE_FORM = "ai terminé cette leçon"  # the "lesson done" button
# The token of the "lesson done" form (the account links' sign-out form has one too).
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)">\s*<button class="fr-btn fr-icon-ch')


def hit(client, url):
    """The second GET of ``url``: from the cache for the client's audience."""
    response = client.get(url)
    assert response.status_code == 200
    return response


def cached(client, url):
    client.get(url)
    response = hit(client, url)
    assert response["X-Page-Cache"] == "hit", url
    return response


# --- Lessons ---------------------------------------------------------------------------------


def test_lesson_copy_is_shared_and_the_progress_is_each_learners(member_of):
    page = course()
    lessons = list(page.lessons())
    enrolled, other = member_of(Role.CAREGIVER), member_of(Role.CAREGIVER)
    enrolment = services.enrol(enrolled, page)
    services.complete_lesson(enrolment, lessons[0])
    url = lessons[1].url

    first = client_for(other).get(url).content.decode()
    assert "Texte de la leçon 2" in first and DONE_FORM not in first
    assert "Progression" not in first

    response = cached(client_for(enrolled), url)
    html = response.content.decode()
    assert "Texte de la leçon 2" in html
    assert "(1 étapes sur 3)" in html  # one lesson done of 2 lessons and the quiz
    assert DONE_FORM in html  # the "lesson done" form, in the fragment
    # The visit moved "resume" to this lesson though the page came from the cache.
    assert Enrolment.objects.get(pk=enrolment.pk).last_lesson_id == lessons[1].pk

    again = hit(client_for(other), url).content.decode()
    assert DONE_FORM not in again
    assert "Progression" not in again


def test_completing_a_lesson_shows_on_the_next_request(member_of):
    page = course()
    lesson = page.lessons().first()
    learner = member_of(Role.CAREGIVER)
    services.enrol(learner, page)
    client = client_for(learner)
    assert "(0 étapes sur 3)" in cached(client, lesson.url).content.decode()
    assert client.post(lesson.url).status_code == 302
    html = hit(client, lesson.url).content.decode()
    assert "(1 étapes sur 3)" in html and "Leçon terminée" in html


def test_a_restricted_course_never_reaches_another_audience(member_of):
    secret = course("Parcours RSSI", access_level=AccessLevel.ROLES, allowed_roles={Role.RSSI})
    lesson, quiz = secret.lessons().first(), secret.quiz()
    rssi = client_for(member_of(Role.RSSI))
    for url in (lesson.url, quiz.url):
        assert "Parcours RSSI" in cached(rssi, url).content.decode()
    for client in (client_for(member_of(Role.CAREGIVER)), client_for()):
        for url in (lesson.url, quiz.url):
            for _ in range(2):
                response = client.get(url)
                assert response.status_code in (302, 404)
                assert b"Parcours RSSI" not in response.content


def test_csrf_token_is_per_session(member_of):
    page = course()
    lesson = page.lessons().first()
    first, second = member_of(Role.CAREGIVER), member_of(Role.CAREGIVER)
    for user in (first, second):
        services.enrol(user, page)
    one, two = client_for(first), client_for(second)
    token_one = CSRF.search(cached(one, lesson.url).content.decode())[1]
    response = hit(two, lesson.url)
    assert response["X-Page-Cache"] == "hit"
    token_two = CSRF.search(response.content.decode())[1]
    assert token_one != token_two
    assert two.post(lesson.url, {"csrfmiddlewaretoken": token_two}).status_code == 302


# --- Quiz ------------------------------------------------------------------------------------


def test_quiz_shows_each_member_their_own_state_and_never_the_answers(member_of):
    page = course(questions=4)
    quiz = page.quiz()
    enrolled, outsider = member_of(Role.CAREGIVER), member_of(Role.CAREGIVER)
    enrolment = services.enrol(enrolled, page)
    for item in page.lessons():
        services.complete_lesson(enrolment, item)
    attempt = services.start_attempt(enrolment, quiz)

    outsider_client = client_for(outsider)
    html = cached(outsider_client, quiz.url).content.decode()
    assert "ouvert aux membres inscrits" in html

    html = hit(client_for(enrolled), quiz.url).content.decode()
    assert f'name="attempt" value="{attempt.pk}"' in html  # their open attempt's form

    html = hit(outsider_client, quiz.url).content.decode()
    assert "attempt" not in html.split('id="main"', 1)[-1] or 'name="attempt"' not in html
    assert "bonne réponse" not in html and "correct answer" not in html


def test_quiz_result_shows_on_the_next_request_and_a_review_is_never_shared(member_of):
    from tests.elearning.factories import FormData, correct_answers

    page = course(questions=4)
    quiz = page.quiz()
    learner, other = member_of(Role.CAREGIVER), member_of(Role.CAREGIVER)
    enrolment = services.enrol(learner, page)
    for item in page.lessons():
        services.complete_lesson(enrolment, item)
    client = client_for(learner)
    assert "Commencer le quiz" in cached(client, quiz.url).content.decode()
    attempt = services.start_attempt(enrolment, quiz)
    services.submit(attempt, FormData(correct_answers(attempt)))
    html = hit(client, quiz.url).content.decode()
    assert "déjà réussi ce quiz" in html  # the result, not the stale "start" form
    review_url = f"{quiz.url}?tentative={attempt.number}"
    for _ in range(2):
        response = client.get(review_url)
        assert response.status_code == 200 and response.get("X-Page-Cache") is None
    services.enrol(other, page)
    assert client_for(other).get(review_url).status_code == 404


# --- Events ----------------------------------------------------------------------------------


def test_event_registration_changes_places_and_status_on_the_next_request(member_of):
    webinar = event(capacity=2)
    first, second = member_of(Role.CAREGIVER), member_of(Role.CAREGIVER)
    one, two = client_for(first), client_for(second)
    html = cached(one, webinar.url).content.decode()
    assert "2 restantes sur 2" in html or "2 left out of 2" in html
    assert "Vous êtes inscrit" not in html

    assert one.post(webinar.url + "inscription/").status_code == 302
    html = hit(one, webinar.url).content.decode()
    assert "1 restante sur 2" in html or "1 left out of 2" in html
    assert "visio.example/rejoindre" in html  # the online link, registered only

    response = cached(two, webinar.url)  # the same audience's copy, refilled for them
    html = response.content.decode()
    assert "1 restante sur 2" in html or "1 left out of 2" in html
    assert "visio.example/rejoindre" not in html and "Annuler mon inscription" not in html

    event_services.cancel(first, webinar)
    html = hit(one, webinar.url).content.decode()
    assert "2 restantes sur 2" in html or "2 left out of 2" in html
    assert "visio.example/rejoindre" not in html


def test_a_restricted_event_never_reaches_another_audience(member_of):
    secret = event("Atelier RSSI", access_level=AccessLevel.ROLES, allowed_roles={Role.RSSI})
    assert "Atelier RSSI" in cached(client_for(member_of(Role.RSSI)), secret.url).content.decode()
    for client in (client_for(member_of(Role.CAREGIVER)), client_for()):
        for _ in range(2):
            response = client.get(secret.url)
            assert response.status_code in (302, 404)
            assert b"Atelier RSSI" not in response.content


def test_visitors_see_no_registration_form(member_of):
    webinar = event()
    client_for(member_of(Role.CAREGIVER)).get(webinar.url)
    html = cached(client_for(), webinar.url).content.decode()
    assert "csrfmiddlewaretoken" not in html and "visio.example" not in html


# --- Query counts ----------------------------------------------------------------------------


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_hits_cost_a_bounded_number_of_queries(member_of):
    page = course()
    lesson = page.lessons().first()
    webinar = event()
    learner = member_of(Role.CAREGIVER)
    services.enrol(learner, page)
    event_services.register(learner, webinar)
    client = client_for(learner)
    quiz_url = page.quiz().url
    for url in (lesson.url, quiz_url, webinar.url):
        client.get(url)
        client.get(url)  # the visit recorded, the process's copies warm
        # Session, user, unread notifications, then the fragments' queries: one on a lesson,
        # two on an event (its row, the registration); the enrolled learner's quiz part reads
        # the quiz, the attempts and the progress (bounded, not per question).
        assert queries_of(client, url) <= (12 if url == quiz_url else 6), url
    outsider = client_for(member_of(Role.CAREGIVER))
    outsider.get(quiz_url)
    assert queries_of(outsider, quiz_url) <= 5  # not enrolled: the enrolment query only


def test_my_registrations_cost_the_same_queries_however_many(member_of):
    index = event_index()
    user = member_of(Role.CAREGIVER)
    client = client_for(user)
    url = index.url + "mes-inscriptions/"
    event_services.register(user, event("Premier"))
    client.get(url)
    one = queries_of(client, url)
    for number in range(5):
        event_services.register(user, event(f"Webinaire {number}"))
    html = client.get(url).content.decode()
    assert "Webinaire 4" in html and "Premier" in html
    assert queries_of(client, url) == one <= 6
    # The page is shared per audience; the rows are each member's own.
    other = client_for(member_of(Role.CAREGIVER))
    response = cached(other, url)
    html = response.content.decode()
    assert "Premier" not in html and "Webinaire 4" not in html
    assert "Premier" in hit(client, url).content.decode()
    assert Registration.objects.filter(user=user, status=RegistrationStatus.REGISTERED).count() == 6
