"""Escape-game kits: overlapping loans refused, staff decisions notified, session reports,
the facilitator's guide restricted, the availability calendar."""

import datetime

import pytest
from django.utils import timezone, translation

from elearning.events import kits
from elearning.events.kits import LoanError
from elearning.events.models import KitLoan, SessionReport
from portal.access import AccessLevel, Role
from portal.notifications.models import Notification
from tests.elearning.event_factories import event_index, kit
from tests.portal.factories import client_for

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_overlapping_loans_are_refused_with_a_clear_message(member_of, other_establishment):
    game = kit()
    director = member_of(Role.DIRECTOR)
    other = member_of(Role.DIRECTOR, establishment=other_establishment)
    kits.request_loan(director, game, days(10), days(14))
    with translation.override("fr"), pytest.raises(LoanError) as refusal:
        kits.request_loan(other, game, days(14), days(16))
    assert "déjà réservé" in str(refusal.value)
    for start, end in ((days(8), days(10)), (days(11), days(12)), (days(5), days(20))):
        with pytest.raises(LoanError):
            kits.request_loan(other, game, start, end)
    kits.request_loan(other, game, days(15), days(17))  # the day after: free
    kits.request_loan(other, kit("Via'Escape"), days(10), days(14))  # another kit
    assert KitLoan.objects.count() == 3


def test_bad_dates_are_refused(member_of):
    game, director = kit(), member_of(Role.DIRECTOR)
    for start, end in ((days(-1), days(2)), (days(5), days(4)), (days(1), days(40))):
        with pytest.raises(LoanError):
            kits.request_loan(director, game, start, end)
    assert not KitLoan.objects.exists()


def test_a_declined_loan_frees_its_dates(member_of):
    game = kit()
    first = kits.request_loan(member_of(Role.DIRECTOR), game, days(3), days(5))
    kits.decide(member_of(Role.REGIONAL_ADMIN), first, approve=False)
    kits.request_loan(member_of(Role.RSSI), game, days(4), days(6))


def test_the_request_page_refuses_an_overlap_and_changes_nothing(member_of):
    game = kit()
    kits.request_loan(member_of(Role.DIRECTOR), game, days(10), days(12))
    client = client_for(member_of(Role.CAREGIVER))
    url = game.url + game.reverse_subpage("loan_request")
    response = client.post(
        url, {"starts_on": days(11).isoformat(), "ends_on": days(13).isoformat()}
    )
    assert response.status_code == 400
    assert "Le kit est déjà réservé du" in response.content.decode()
    assert KitLoan.objects.count() == 1
    garbage = client.post(url, {"starts_on": "demain", "ends_on": ""})
    assert garbage.status_code == 400 and KitLoan.objects.count() == 1


def test_staff_approve_and_the_requester_is_notified(member_of, django_capture_on_commit_callbacks):
    game = kit()
    director = member_of(Role.DIRECTOR)
    staff = member_of(Role.EDITOR)
    with django_capture_on_commit_callbacks(execute=True):
        loan = kits.request_loan(director, game, days(3), days(5))
    assert Notification.objects.filter(kind="elearning.kit_loan_request", user=staff).exists()
    index = event_index()
    decide_url = index.url + index.reverse_subpage("loan_decision", args=(loan.pk,))
    # A member cannot decide; the loan stays pending.
    assert client_for(director).post(decide_url, {"decision": "approve"}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(decide_url, {"decision": "approve", "note": "Bon jeu !"})
    loan.refresh_from_db()
    assert loan.status == "approved" and loan.decided_by == staff
    (notice,) = Notification.objects.filter(kind="elearning.kit_loan")
    assert notice.user == director and "accepté" in notice.title
    # Deciding twice is refused.
    with pytest.raises(LoanError):
        kits.decide(staff, loan, approve=False)


def test_staff_decline_through_the_page_and_the_requester_is_notified(
    member_of, django_capture_on_commit_callbacks
):
    game = kit()
    director = member_of(Role.DIRECTOR)
    staff = member_of(Role.EDITOR)
    loan = kits.request_loan(director, game, days(3), days(5))
    index = event_index()
    decide_url = index.url + index.reverse_subpage("loan_decision", args=(loan.pk,))
    unclear = client_for(staff).post(decide_url, {"decision": "peut-être"}, follow=True)
    assert "Choisissez d" in unclear.content.decode()
    loan.refresh_from_db()
    assert loan.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(decide_url, {"decision": "decline", "note": "Kit en réparation"})
    loan.refresh_from_db()
    assert loan.status == "declined"
    (notice,) = Notification.objects.filter(kind="elearning.kit_loan")
    assert notice.user == director and "refusé" in notice.title
    assert notice.body == "Kit en réparation"
    # the dates are free again
    assert kits.request_loan(member_of(Role.DIRECTOR), game, days(4), days(6)).status == "pending"


def test_session_reports_by_the_establishment_only(member_of, other_establishment):
    game = kit()
    director = member_of(Role.DIRECTOR)
    loan = KitLoan.objects.create(
        kit=game,
        establishment=director.member_profile.establishment,
        requested_by=director,
        starts_on=days(-5),
        ends_on=days(-1),
        status="approved",
    )
    index = event_index()
    url = index.url + index.reverse_subpage("session_report", args=(loan.pk,))
    data = {
        "played_on": days(-3).isoformat(),
        "players": "6",
        "roles": ["caregiver", "admin_agent"],
        "duration_minutes": "50",
        "debrief": "Le mot de passe était sur un post-it.",
    }
    outsider = client_for(member_of(Role.DIRECTOR, establishment=other_establishment))
    assert outsider.post(url, data).status_code == 404
    late = client_for(member_of(Role.CAREGIVER)).post(
        url, data | {"played_on": days(1).isoformat()}
    )
    assert late.status_code == 400
    client_for(member_of(Role.CAREGIVER)).post(url, data)
    report = SessionReport.objects.get()
    assert report.players == 6 and report.roles == {"caregiver", "admin_agent"}


def test_the_facilitator_guide_is_for_facilitators_only(member_of):
    game = kit()
    listed = member_of(Role.CAREGIVER)
    game.facilitators.add(listed)
    game.save_revision().publish()  # the list is the page's, kept by staff in the admin
    poster, guide = game.materials.order_by("sort_order", "pk")
    url = game.url + game.reverse_subpage("material", args=(guide.pk,))
    poster_url = game.url + game.reverse_subpage("material", args=(poster.pk,))
    assert client_for(member_of(Role.CAREGIVER)).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404
    assert client_for(None).get(poster_url).status_code == 404  # members only
    assert client_for(member_of(Role.CAREGIVER)).get(poster_url).status_code == 200
    for user in (listed, member_of(Role.EDITOR)):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"Guide de l'animateur texte"
    page = client_for(member_of(Role.CAREGIVER)).get(game.url).content.decode()
    assert "Guide de l&#x27;animateur" not in page and "Affiches" in page


def test_a_members_only_kit_is_404_for_visitors(member_of):
    game = kit("Réservé", access_level=AccessLevel.MEMBERS)
    assert client_for(None).get(game.url).status_code == 404
    assert client_for(member_of(Role.CAREGIVER)).get(game.url).status_code == 200


def test_the_availability_calendar_marks_booked_days(member_of):
    game = kit()
    today = timezone.localdate()
    start = today.replace(day=1) + datetime.timedelta(days=40)
    kits.request_loan(member_of(Role.DIRECTOR), game, start, start + datetime.timedelta(days=2))
    months = kits.availability(game, today)
    booked = {d.date for m in months for w in m.weeks for d in w if d.booked and d.in_month}
    assert booked == {start + datetime.timedelta(days=n) for n in range(3)}
    html = client_for(None).get(game.url).content.decode()
    assert html.count('class="is-booked"') == 3
