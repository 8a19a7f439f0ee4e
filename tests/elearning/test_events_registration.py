"""Registration, the waiting list and cancellation (the capacity rule, concurrency included)."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from elearning.events import services
from elearning.events.models import Registration, RegistrationStatus
from elearning.events.services import RegistrationError
from portal.access import AccessLevel, Role
from portal.notifications.models import Notification
from tests.elearning.event_factories import event
from tests.portal.factories import client_for

pytestmark = pytest.mark.django_db


def test_capacity_then_waiting_list_in_order(member_of):
    webinar = event(capacity=2)
    first, second, third, fourth = (member_of(Role.CAREGIVER) for _ in range(4))
    assert services.register(first, webinar).status == RegistrationStatus.REGISTERED
    assert services.register(second, webinar).status == RegistrationStatus.REGISTERED
    waiting_3 = services.register(third, webinar)
    waiting_4 = services.register(fourth, webinar)
    assert waiting_3.status == waiting_4.status == RegistrationStatus.WAITING
    assert services.waiting_position(waiting_3) == 1
    assert services.waiting_position(waiting_4) == 2
    assert services.seats_taken(webinar) == 2


def test_a_freed_place_goes_to_the_first_on_the_list_who_is_notified(
    member_of, django_capture_on_commit_callbacks
):
    webinar = event(capacity=1)
    holder, first, second = (member_of(Role.CAREGIVER) for _ in range(3))
    services.register(holder, webinar)
    services.register(first, webinar)
    services.register(second, webinar)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel(holder, webinar)
    assert promoted.user == first
    statuses = dict(Registration.objects.values_list("user_id", "status"))
    assert statuses[holder.pk] == RegistrationStatus.CANCELLED
    assert statuses[first.pk] == RegistrationStatus.REGISTERED
    assert statuses[second.pk] == RegistrationStatus.WAITING
    notified = Notification.objects.filter(kind="elearning.event_registration")
    assert list(notified.values_list("user_id", flat=True)) == [first.pk]
    assert "place" in notified.get().title


def test_leaving_the_waiting_list_promotes_nobody(member_of):
    webinar = event(capacity=1)
    holder, waiting, other = (member_of(Role.CAREGIVER) for _ in range(3))
    services.register(holder, webinar)
    services.register(waiting, webinar)
    services.register(other, webinar)
    assert services.cancel(waiting, webinar) is None
    assert services.waiting_position(Registration.objects.get(user=other)) == 1


def test_refusals_have_a_clear_french_message(member_of):
    translation.activate("fr")
    member = member_of(Role.CAREGIVER)
    webinar = event()
    services.register(member, webinar)
    with pytest.raises(RegistrationError, match="déjà inscrit"):
        services.register(member, webinar)
    closed = event("Fermé", registration_closed=True)
    with pytest.raises(RegistrationError, match="clos"):
        services.register(member, closed)
    for_rssi = event("Pour les RSSI", audience={Role.RSSI})
    with pytest.raises(RegistrationError, match="autres rôles"):
        services.register(member, for_rssi)
    started = event("Commencé", starts_in=-datetime.timedelta(minutes=10))
    with pytest.raises(RegistrationError, match="commencé"):
        services.register(member, started)
    assert Registration.objects.filter(user=member).count() == 1


def test_register_and_cancel_through_the_page(member_of):
    member = member_of(Role.CAREGIVER)
    webinar = event(capacity=1)
    client = client_for(member)
    register_url = webinar.url + webinar.reverse_subpage("register")
    response = client.post(register_url, follow=True)
    assert "Vous êtes inscrit" in response.content.decode()
    again = client.post(register_url, follow=True)
    assert "déjà inscrit" in again.content.decode()
    assert Registration.objects.filter(user=member, status="registered").count() == 1
    cancelled = client.post(webinar.url + webinar.reverse_subpage("cancel"), follow=True)
    assert "annulée" in cancelled.content.decode()
    assert not Registration.objects.filter(user=member, status="registered").exists()


def test_the_online_link_is_shown_to_registered_participants_only(member_of, establishment):
    """The canary: a members-only event's online link appears nowhere but in the page, the
    .ics and the feed of a registered participant."""
    canary = "https://visio.example/canari-3f9e1c"
    webinar = event("Webinaire membres", access_level=AccessLevel.MEMBERS, online_link=canary)
    registered, other = member_of(Role.CAREGIVER), member_of(Role.CAREGIVER)
    services.register(registered, webinar)
    ics_url = webinar.url + webinar.reverse_subpage("ics")
    for user in (None, other):
        client = client_for(user)
        for url in (webinar.url, ics_url, webinar.get_parent().url):
            assert canary not in client.get(url).content.decode()
        results = client.get(reverse("search:results"), {"q": "webinaire canari"})
        assert canary not in results.content.decode()
    assert client_for(None).get(webinar.url).status_code == 404
    page = client_for(registered).get(webinar.url).content.decode()
    assert canary in page
    assert canary in client_for(registered).get(ics_url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_members_racing_for_the_last_place(member_of):
    """On PostgreSQL, two threads (two connections) register at the same moment for the last
    place: the event's row lock makes one wait; one gets the place, one the waiting list."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, there is no race to lose")
    webinar = event(capacity=1)
    first, second = member_of(Role.CAREGIVER), member_of(Role.CAREGIVER)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def go(user):
        from django.db import connections

        try:
            barrier.wait()
            results.append(services.register(user, webinar).status)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(results) == [RegistrationStatus.REGISTERED, RegistrationStatus.WAITING]
    assert services.seats_taken(webinar) == 1


def test_organisers_close_registration_and_message_the_participants_through_the_page(
    member_of, django_capture_on_commit_callbacks
):
    """On the participants' page: closing refuses new registrations (French message, nothing
    recorded), reopening lets them in; the message reaches the registered participants only;
    an empty message and a member's attempt change nothing."""
    webinar = event(capacity=1)
    organiser = member_of(Role.EDITOR)
    holder, waiting, late = (member_of(Role.CAREGIVER) for _ in range(3))
    services.register(holder, webinar)
    services.register(waiting, webinar)
    url = webinar.url + webinar.reverse_subpage("participants")
    register_url = webinar.url + webinar.reverse_subpage("register")
    staff = client_for(organiser)
    assert client_for(holder).post(url, {"action": "close"}).status_code == 404
    webinar.refresh_from_db()
    assert not webinar.registration_closed
    closed = staff.post(url, {"action": "close"}, follow=True)
    assert "Les inscriptions sont closes." in closed.content.decode()
    refused = client_for(late).post(register_url, follow=True).content.decode()
    assert "Les inscriptions à cet événement sont closes." in refused
    assert not Registration.objects.filter(user=late).exists()
    staff.post(url, {"action": "open"})
    client_for(late).post(register_url)
    assert Registration.objects.get(user=late).status == RegistrationStatus.WAITING

    empty = staff.post(url, {"action": "message", "subject": "", "body": ""})
    form_html = empty.content.decode().split('id="message-heading"', 1)[1]
    assert empty.status_code == 400 and form_html.count("Champ requis.") == 2
    assert not Notification.objects.exists()
    assert (
        client_for(holder).post(url, {"action": "message", "subject": "x", "body": "y"}).status_code
        == 404
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = staff.post(
            url,
            {"action": "message", "subject": "Lien modifié", "body": "Nouveau lien demain."},
            follow=True,
        )
    assert "Message envoyé à 1 participant·e·s." in sent.content.decode()
    (notice,) = Notification.objects.all()
    assert notice.user == holder and notice.title == "Lien modifié"
