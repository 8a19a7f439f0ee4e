"""Attendance (check-in list, CSV import with a report of the lines that did not match), the
attendance certificate's text, the satisfaction survey and its results, the replay notice."""

import datetime
import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from elearning.events import certificates, notifications, services
from elearning.events.models import Registration, SurveyAnswer
from portal.access import AccessLevel, Role
from portal.notifications.models import Notification
from tests.elearning.event_factories import event
from tests.portal.factories import client_for

pytestmark = pytest.mark.django_db
PAST = -datetime.timedelta(days=2)


def _registered(member_of, page, n, **user):
    """``n`` members registered before the event (registration is closed once it started)."""
    members = []
    for number in range(n):
        member = member_of(Role.CAREGIVER, email=f"p{number}@ch-delta.example", **user)
        Registration.objects.create(
            event=page, user=member, status="registered", participant_name=f"Personne {number}"
        )
        members.append(member)
    return members


def test_the_csv_import_marks_the_listed_participants_and_reports_bad_lines(member_of):
    page = event("Passé", starts_in=PAST)
    _registered(member_of, page, 3)
    waiting = member_of(Role.CAREGIVER, email="attente@ch-delta.example")
    Registration.objects.create(event=page, user=waiting, status="waiting")
    csv = (
        b"courriel\n"
        b"P0@ch-delta.example\n"  # case does not matter
        b"\n"
        b"pas-une-adresse\n"
        b"inconnu@ch-delta.example\n"
        b"attente@ch-delta.example\n"
        b"p2@ch-delta.example;en retard\n"
        b"p0@ch-delta.example\n"
    )
    with translation.override("fr"):
        report = services.import_attendance(page, csv)
    assert report.marked == 2
    assert report.problems == [
        (3, "", "ligne vide"),
        (4, "pas-une-adresse", "pas une adresse électronique"),
        (5, "inconnu@ch-delta.example", "aucun inscrit avec cette adresse"),
        (6, "attente@ch-delta.example", "en liste d’attente, pas inscrit·e"),
        (8, "p0@ch-delta.example", "en double"),
    ]
    attended = set(Registration.objects.filter(attended=True).values_list("user__email", flat=True))
    assert attended == {"p0@ch-delta.example", "p2@ch-delta.example"}


def test_the_organiser_imports_through_the_page_and_reads_the_report(member_of):
    page = event("Passé", starts_in=PAST)
    _registered(member_of, page, 2)
    organiser = member_of(Role.EDITOR)
    url = page.url + page.reverse_subpage("attendance_import")
    upload = SimpleUploadedFile("presences.csv", b"p1@ch-delta.example\ninconnu@x.example\n")
    response = client_for(organiser).post(url, {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 participant·e marqué·e présent·e" in html
    assert "inconnu@x.example" in html and "aucun inscrit avec cette adresse" in html
    # Not a CSV: a clear message, nothing changed.
    bad = SimpleUploadedFile("presences.pdf", b"%PDF-1.4 x")
    refused = client_for(organiser).post(url, {"file": bad})
    assert refused.status_code == 400
    assert Registration.objects.filter(attended=True).count() == 1
    # A caregiver may not import.
    other = client_for(member_of(Role.CAREGIVER)).post(url, {"file": upload})
    assert other.status_code == 404


def test_the_check_in_list_marks_exactly_the_ticked_participants(member_of):
    page = event("Passé", starts_in=PAST)
    _registered(member_of, page, 3)
    ids = list(Registration.objects.order_by("pk").values_list("pk", flat=True))
    Registration.objects.filter(pk=ids[2]).update(attended=True)
    client = client_for(member_of(Role.REGIONAL_ADMIN))
    url = page.url + page.reverse_subpage("participants")
    client.post(url, {"action": "attendance", "attended": [ids[0], ids[1], "x"]})
    assert (
        list(Registration.objects.filter(attended=True).order_by("pk").values_list("pk", flat=True))
        == ids[:2]
    )


def test_the_attendance_certificate_text(member_of):
    page = event(
        "Les cybermenaces en santé",
        starts_at=datetime.datetime(2026, 6, 18, 12, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 6, 18, 13, 30, tzinfo=datetime.UTC),
    )
    (member,) = _registered(member_of, page, 1, first_name="Nadia", last_name="Roux")
    registration = Registration.objects.get(user=member)
    registration.attended = True
    registration.participant_name = "Nadia Roux"
    registration.save()
    with translation.override("fr"):
        pdf = certificates.attendance_pdf(registration)
    text = " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Attestation de présence" in text
    assert "Nadia Roux" in text
    assert "Les cybermenaces en santé" in text
    assert "Le 18 juin 2026, de 14:00 à 15:30 (heure de Paris)" in text
    assert registration.certificate_code in text


def test_only_attendees_of_a_past_event_get_a_certificate(member_of):
    page = event("Passé", starts_in=PAST)
    present, absent = _registered(member_of, page, 2)
    Registration.objects.filter(user=present).update(attended=True)
    url = page.url + page.reverse_subpage("certificate")
    response = client_for(present).get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client_for(absent).get(url).status_code == 404
    assert client_for(member_of(Role.CAREGIVER)).get(url).status_code == 404


def test_the_survey_after_the_event_and_its_results(member_of):
    page = event("Passé", starts_in=PAST)
    first, second = _registered(member_of, page, 2)
    url = page.url + page.reverse_subpage("survey")
    bad = client_for(first).post(url, {"rating": "9", "comment": "x"})
    assert bad.status_code == 400 and not SurveyAnswer.objects.exists()
    client_for(first).post(url, {"rating": "5", "comment": "Très utile"})
    client_for(second).post(url, {"rating": "3", "comment": ""})
    client_for(first).post(url, {"rating": "4", "comment": "Très utile, merci"})  # changed
    results = services.survey_results(page)
    assert results.count == 2 and results.average == 3.5
    assert dict(results.distribution) == {5: 0, 4: 1, 3: 1, 2: 0, 1: 0}
    assert results.comments == ["Très utile, merci"]
    organiser = client_for(member_of(Role.EDITOR))
    html = organiser.get(page.url + page.reverse_subpage("participants")).content.decode()
    assert "2 réponses, moyenne 3,5 / 5" in html or "2 réponses, moyenne 3.5 / 5" in html
    # Before the event, or for someone not registered: no survey.
    assert client_for(member_of(Role.CAREGIVER)).get(url).status_code == 404
    upcoming = event("À venir")
    services.register(first, upcoming)
    assert (
        client_for(first).get(upcoming.url + upcoming.reverse_subpage("survey")).status_code == 404
    )


def test_the_replay_notifies_registered_members_who_may_view_it(
    member_of, django_capture_on_commit_callbacks
):
    from tests.docs_base.factories import document_page

    page = event("Passé", starts_in=PAST)
    caregiver, rssi = _registered(member_of, page, 1)[0], member_of(Role.RSSI)
    Registration.objects.create(event=page, user=rssi, status="registered")
    replay = document_page(
        title="Replay réservé RSSI", access_level=AccessLevel.ROLES, allowed_roles={Role.RSSI}
    )
    page.replay = replay
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.replay_published(page)  # a second publication notifies nobody again
    notified = Notification.objects.filter(kind="elearning.event_replay")
    assert list(notified.values_list("user_id", flat=True)) == [rssi.pk]
    assert caregiver.pk not in notified.values_list("user_id", flat=True)
    html = client_for(rssi).get(page.url).content.decode()
    assert "Replay réservé RSSI" in html
    assert "Replay réservé RSSI" not in client_for(caregiver).get(page.url).content.decode()
