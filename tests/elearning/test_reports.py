"""Manager reports: scoping (a director sees only their establishment, whatever the URL),
CSV, regional aggregates (counts only), assignments, reminders, and bounded queries."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from elearning import services
from elearning.models import Assignment, Certificate, Enrolment
from portal.access import Role
from portal.accounts.models import EstablishmentType, MemberProfile, MemberStatus
from tests.elearning.factories import complete_course, course, course_index, member
from tests.portal.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db


def route(name, *args):
    index = course_index()
    return index.url + index.reverse_subpage(name, args=args)


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def two_establishments():
    a = EstablishmentFactory(finess="380000011", name="CH Alpha", kind=EstablishmentType.CH)
    b = EstablishmentFactory(
        finess="690000022", name="EHPAD Beta", kind=EstablishmentType.EHPAD, department="69"
    )
    page = course("Sensibilisation", lessons=1)
    learner_a = member(a, first_name="Alice", last_name="Alpha")
    learner_b = member(b, first_name="Bruno", last_name="Beta")
    complete_course(learner_a, page)
    services.enrol(learner_b, page)
    return a, b, page, learner_a, learner_b


SCOPE_CASES = [
    # who, may read a report, sees Alice (A), sees Bruno (B)
    ("director_a", True, True, False),
    ("rssi_a", True, True, False),
    ("director_b", True, False, True),
    ("caregiver_a", False, False, False),
    ("dsi_a", False, False, False),
    ("ars_referent", False, False, False),
    ("pending_director_a", False, False, False),
    ("anonymous", False, False, False),
]


def build(who, a, b):
    if who == "anonymous":
        return None
    if who == "pending_director_a":
        from tests.portal.factories import MemberFactory

        return MemberFactory(
            profile__establishment=a,
            profile__roles={Role.DIRECTOR},
            profile__status=MemberStatus.PENDING,
        )
    role, _sep, establishment = who.rpartition("_")
    if who == "ars_referent":
        return member(a, roles=(Role.ARS_REFERENT,))
    return member(
        a if establishment == "a" else b, roles=(Role(role.replace("caregiver", "caregiver")),)
    )


@pytest.mark.parametrize("who,may_read,sees_a,sees_b", SCOPE_CASES)
def test_report_scoping_matrix(two_establishments, who, may_read, sees_a, sees_b):
    a, b, page, _learner_a, _learner_b = two_establishments
    user = build(who, a, b)
    client = client_for(user)
    for params in ({}, {"formation": page.pk}, {"formation": page.pk, "etablissement": b.pk}):
        response = client.get(route("report"), params)
        if not may_read:
            assert response.status_code in (302, 404)
            continue
        assert response.status_code == 200
        assert ("Alice Alpha" in response.text) == (sees_a and "formation" in params)
        assert ("Bruno Beta" in response.text) == (sees_b and "formation" in params)
    # One course's CSV, every course's CSV: the same scope whatever the URL says.
    for params in ({"formation": page.pk}, {}, {"etablissement": b.pk}):
        csv_response = client.get(route("report_csv"), params)
        if not may_read:
            assert csv_response.status_code in (302, 404)
            continue
        body = csv_response.content.decode("utf-8-sig")
        assert ("Alice Alpha" in body) == sees_a and ("Bruno Beta" in body) == sees_b


def test_report_counts_statuses_and_csv(two_establishments):
    a, _b, page, learner_a, _learner_b = two_establishments
    director = member(a, roles=(Role.DIRECTOR,))
    other = member(a, first_name="Chloé", last_name="Charlie")
    services.enrol(other, page)
    member(a, first_name="Denis", last_name="Delta")  # never enrolled
    report = services.establishment_report(director, page.pk)
    summary = dict((c.pk, counts) for c, counts in report.summary)[page.pk]
    assert summary == {"enrolled": 1, "in_progress": 0, "completed": 1, "expired": 0}
    statuses = {row.name: row.status for row in report.rows}
    assert statuses["Alice Alpha"] == "completed"
    assert statuses["Chloé Charlie"] == "enrolled"
    assert statuses["Denis Delta"] == "not_enrolled"
    # expiry shows in the report
    Certificate.objects.filter(enrolment__user=learner_a).update(expires_on=datetime.date.today())
    report = services.establishment_report(director, page.pk)
    assert {row.name: row.status for row in report.rows}["Alice Alpha"] == "expired"
    response = client_for(director).get(route("report_csv"), {"formation": page.pk})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] in ("Course", "Formation")
    assert any(row[1] == "Alice Alpha" for row in rows[1:])
    assert response["Content-Disposition"].startswith("attachment")


def test_every_course_in_one_csv_and_a_chart_on_the_report(two_establishments):
    a, _b, page, _learner_a, _learner_b = two_establishments
    other_course = course("Mots de passe", lessons=1)
    director = member(a, roles=(Role.DIRECTOR,), first_name="Diane", last_name="Directrice")
    services.enrol(director, other_course)
    client = client_for(director)
    response = client.get(route("report_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_course = {}
    for row in rows[1:]:
        by_course.setdefault(row[0], {})[row[1]] = row[4]
    # every course, each with every member of the establishment (and only them)
    assert set(by_course) == {"Sensibilisation", "Mots de passe"}
    assert by_course["Sensibilisation"] == {
        "Alice Alpha": "Terminée",
        "Diane Directrice": "Non inscrit",
    }
    assert by_course["Mots de passe"] == {
        "Alice Alpha": "Non inscrit",
        "Diane Directrice": "Inscrit",
    }
    assert client.get(route("report_csv"), {"formation": "999999"}).status_code == 404
    page_html = client.get(route("report")).text
    assert "<svg" in page_html
    assert "Mots de passe: 0; Sensibilisation: 1" in page_html  # the chart's description


def test_csv_neutralises_formulas(two_establishments):
    a, _b, page, _la, _lb = two_establishments
    evil = member(a, first_name="=HYPERLINK(1)", last_name="")
    services.enrol(evil, page)
    director = member(a, roles=(Role.DIRECTOR,))
    body = (
        client_for(director)
        .get(route("report_csv"), {"formation": page.pk})
        .content.decode("utf-8-sig")
    )
    assert ";'=HYPERLINK(1);" in body


def test_deleted_account_is_anonymous_in_the_report(two_establishments):
    from portal.accounts.personal_data import delete_account

    a, _b, page, learner_a, _lb = two_establishments
    director = member(a, roles=(Role.DIRECTOR,))
    delete_account(learner_a)
    report = services.establishment_report(director, page.pk)
    names = [row.name for row in report.rows]
    assert "Alice Alpha" not in names
    assert any(row.status == "completed" and not row.email for row in report.rows)
    code = Certificate.objects.get(enrolment__user=learner_a).code
    response = Client().get(route("verify", code))
    assert "Alice" not in response.text


def test_regional_figures_are_counts_for_regional_roles_only(two_establishments):
    a, _b, _page, _la, _lb = two_establishments
    referent = member(a, roles=(Role.ARS_REFERENT,))
    response = client_for(referent).get(route("regional"))
    assert response.status_code == 200
    assert "Alice" not in response.text and "Bruno" not in response.text
    assert "CH Alpha" not in response.text  # no establishment name, only types
    assert "<svg" in response.text and "<table" in response.text
    figures = services.regional_figures(referent)
    assert figures.total == 2 and figures.completed == 1
    for who in (member(a, roles=(Role.DIRECTOR,)), member(a)):
        assert client_for(who).get(route("regional")).status_code == 404


def test_director_assigns_a_course_to_own_members_only(two_establishments):
    a, b, page, learner_a, learner_b = two_establishments
    director = member(a, roles=(Role.DIRECTOR,))
    client = client_for(director)
    due = (datetime.date.today() + datetime.timedelta(days=20)).isoformat()
    response = client.post(
        route("assign"), {"course": page.pk, "due_on": due, "members": [learner_b.pk]}
    )
    assert response.status_code == 400 and not Assignment.objects.exists()
    response = client.post(
        route("assign"), {"course": page.pk, "due_on": "n'importe", "members": [learner_a.pk]}
    )
    assert response.status_code == 400 and not Assignment.objects.exists()
    response = client.post(
        route("assign"), {"course": page.pk, "due_on": due, "members": [learner_a.pk]}
    )
    assert response.status_code == 302
    assert Assignment.objects.get().user == learner_a
    rssi = member(a, roles=(Role.RSSI,))
    assert client_for(rssi).get(route("assign")).status_code == 404
    assert client_for(member(a)).get(route("assign")).status_code == 404


def test_assignment_returns_notices_and_due_reminders():
    establishment = EstablishmentFactory()
    page = course(lessons=1)
    director = member(establishment, roles=(Role.DIRECTOR,))
    learner = member(establishment)
    today = datetime.date(2026, 3, 1)
    notices = services.assign(
        director, page, [learner.pk], today + datetime.timedelta(days=10), today=today
    )
    assert [(n.kind, n.recipients, n.stage) for n in notices] == [
        (services.KIND_COURSE_REMINDER, (learner,), "assigned")
    ]
    assert services.assignment_reminders(today) == []
    due = services.assignment_reminders(today + datetime.timedelta(days=3))
    assert [(r.kind, r.stage) for r in due] == [(services.KIND_COURSE_REMINDER, "due")]
    services.mark_reminded(due, today + datetime.timedelta(days=3))
    assert services.assignment_reminders(today + datetime.timedelta(days=4)) == []
    overdue = services.assignment_reminders(today + datetime.timedelta(days=10))
    assert [r.stage for r in overdue] == ["overdue"]
    complete_course(learner, page)
    assert services.assignment_reminders(today + datetime.timedelta(days=11)) == []


def test_certificate_reminders_30_days_before_and_at_expiry():
    page = course(lessons=1, certificate_validity_months=12)
    learner = member()
    enrolment = complete_course(learner, page)
    certificate = enrolment.certificate
    expires = certificate.expires_on
    assert services.certificate_reminders(expires - datetime.timedelta(days=31)) == []
    soon = services.certificate_reminders(expires - datetime.timedelta(days=30))
    assert [(r.kind, r.recipients, r.object, r.stage) for r in soon] == [
        (services.KIND_CERTIFICATE_EXPIRY, (learner,), certificate, "soon")
    ]
    services.mark_reminded(soon, expires - datetime.timedelta(days=30))
    assert services.certificate_reminders(expires - datetime.timedelta(days=10)) == []
    expired = services.certificate_reminders(expires)
    assert [r.stage for r in expired] == ["expired"]
    services.mark_reminded(expired, expires)
    assert services.certificate_reminders(expires + datetime.timedelta(days=5)) == []
    # re-training silences the reminders of the old run
    Certificate.objects.filter(pk=certificate.pk).update(reminded_expired_on=None)
    services.enrol(learner, page, today=expires)
    assert services.certificate_reminders(expires + datetime.timedelta(days=1)) == []


def test_validity_follows_the_course_months():
    page = course(lessons=1, certificate_validity_months=24)
    enrolment = complete_course(member(), page)
    certificate = enrolment.certificate
    assert certificate.expires_on == services.add_months(certificate.issued_on, 24)
    assert services.add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)


def test_report_for_2000_members_has_bounded_queries(django_assert_max_num_queries):
    establishment = EstablishmentFactory(finess="380002000", name="CHU 2000")
    page = course("Grand établissement", lessons=1, quiz=False)
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(username=f"m{n}@chu.example", email=f"m{n}@chu.example", first_name=f"P{n}")
            for n in range(2000)
        ]
    )
    MemberProfile.objects.bulk_create(
        [
            MemberProfile(
                user=u,
                establishment=establishment,
                roles={Role.CAREGIVER},
                status=MemberStatus.APPROVED,
            )
            for u in users
        ]
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(user=u, course=page, establishment=establishment, roles={Role.CAREGIVER})
            for u in users[:1200]
        ]
    )
    director = member(establishment, roles=(Role.DIRECTOR,))
    client = client_for(director)
    with django_assert_max_num_queries(25):
        response = client.get(route("report"), {"formation": page.pk})
    assert response.status_code == 200
    assert len(re.findall(r'<th scope="row">P\d+</th>', response.text)) == 2000
    with django_assert_max_num_queries(25):
        assert client.get(route("report_csv"), {"formation": page.pk}).status_code == 200
    course("Deuxième formation", lessons=1, quiz=False)
    with django_assert_max_num_queries(25):
        response = client.get(route("report_csv"))
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").count("\n") == 1 + 2 * 2001


def test_reminders_command_keeps_the_reminders_on_dry_run():
    from io import StringIO

    from django.core.management import call_command

    page = course(lessons=1)
    enrolment = complete_course(member(), page)
    Certificate.objects.filter(pk=enrolment.certificate.pk).update(
        expires_on=datetime.date.today() + datetime.timedelta(days=5)
    )
    out = StringIO()
    call_command("elearning_reminders", "--dry-run", stdout=out)
    assert "elearning.certificate_expiry (soon)" in out.getvalue()
    assert Certificate.objects.get().reminded_soon_on is None


def _expiring_soon(learner):
    enrolment = complete_course(learner, course("Hygiène numérique", lessons=1))
    Certificate.objects.filter(pk=enrolment.certificate.pk).update(
        expires_on=timezone.localdate() + datetime.timedelta(days=5)
    )
    return enrolment.certificate


def test_a_certificate_reminder_reaches_the_learner_once(django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core import mail
    from django.core.management import call_command

    from portal.notifications.models import Notification

    learner = member(email="aurelie@ch.example")
    other = member(email="bruno@ch.example")
    _expiring_soon(learner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("elearning_reminders", stdout=StringIO())
    notification = Notification.objects.get(kind=services.KIND_CERTIFICATE_EXPIRY)
    assert notification.user == learner and "Hygiène numérique" in notification.title
    assert [m.to for m in mail.outbox] == [[learner.email]]
    assert Certificate.objects.get().reminded_soon_on == timezone.localdate()
    # run again (the command, then the daily job, even with the mark lost): nothing new
    Certificate.objects.update(reminded_soon_on=None)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("elearning_reminders", stdout=StringIO())
    from portal.notifications import jobs

    Certificate.objects.update(reminded_soon_on=None)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.get("elearning.reminders").run()
    assert Notification.objects.filter(kind=services.KIND_CERTIFICATE_EXPIRY).count() == 1
    assert len(mail.outbox) == 1
    assert not Notification.objects.filter(user=other).exists()


def test_an_assignment_reminder_reaches_the_learner_once(django_capture_on_commit_callbacks):
    from django.core import mail

    from elearning import notifications
    from portal.notifications.models import Notification

    establishment = EstablishmentFactory()
    page = course("Phishing", lessons=1)
    director = member(establishment, roles=(Role.DIRECTOR,))
    learner = member(establishment, email="celine@ch.example")
    today = timezone.localdate()
    services.assign(director, page, [learner.pk], today + datetime.timedelta(days=3), today=today)
    mail.outbox.clear()
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            sent = notifications.send_reminders(today)
        Assignment.objects.update(reminded_on=None)
    assert [r.stage for r in sent] == ["due"]
    notification = Notification.objects.get(user=learner)
    assert notification.kind == services.KIND_COURSE_REMINDER
    assert "Phishing" in notification.title and notification.url == page.url
    assert [m.to for m in mail.outbox] == [[learner.email]]
