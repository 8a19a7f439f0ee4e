"""« Mes inscriptions »: the member's list is kept rendered per process under what it shows, so
that every change (registration, cancellation, promotion from the waiting list, attendance,
the event's title, date, publication or access, the calendar address) shows on the next
request, each member sees their own list only, each session its own CSRF token, and the
queries do not grow with the number of registrations."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from elearning.events import calendars
from elearning.events import services as event_services
from portal.access import AccessLevel, Role
from portal.page_cache import CSRF_PLACEHOLDER
from tests.elearning.event_factories import event, event_index
from tests.portal.factories import client_for

pytestmark = pytest.mark.django_db

REGISTERED, WAITING = "Inscrit·e", "En liste d’attente"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def url() -> str:
    index = event_index()
    return index.url + index.reverse_subpage("my_events")


def mine(client) -> str:
    """The page as served from the page cache, the member's list kept in the process."""
    client.get(url())
    response = client.get(url())
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit"
    html = response.content.decode()
    assert CSRF_PLACEHOLDER not in html
    return html


def row(html: str, title: str) -> str:
    """The table row of the event titled ``title`` ("" when it is not listed)."""
    found = re.search(rf"<tr><td><a [^>]*>{re.escape(title)}</a>.*?</tr>", html)
    return found[0] if found else ""


def registered(member_of, title):
    """A member registered for a new event titled ``title``: (member, event, registration,
    their client)."""
    member = member_of(Role.CAREGIVER)
    page = event(title)
    registration = event_services.register(member, page)
    return member, page, registration, client_for(member)


def test_registering_and_cancelling_show_on_the_next_request(member_of):
    member = member_of(Role.CAREGIVER)
    client, webinar = client_for(member), event("Webinaire MFA")
    assert "Webinaire MFA" not in mine(client)

    event_services.register(member, webinar)
    assert REGISTERED in row(mine(client), "Webinaire MFA")

    event_services.cancel(member, webinar)
    assert "Webinaire MFA" not in mine(client)


def test_a_promotion_from_the_waiting_list_shows_on_the_next_request(member_of):
    first, second = member_of(Role.CAREGIVER), member_of(Role.CAREGIVER)
    full = event("Journée régionale", capacity=1)
    event_services.register(first, full)
    event_services.register(second, full)
    client = client_for(second)
    assert WAITING in row(mine(client), "Journée régionale")

    event_services.cancel(first, full)  # the place goes to the waiting list's first
    listed = row(mine(client), "Journée régionale")
    assert REGISTERED in listed and WAITING not in listed


def test_attendance_marked_by_a_bulk_update_shows_on_the_next_request(member_of):
    _member, webinar, registration, client = registered(member_of, "Webinaire EDR")
    assert "présent" not in row(mine(client), "Webinaire EDR")

    event_services.mark_attendance(webinar, [registration.pk])  # an update: no signal sent
    assert "présent" in row(mine(client), "Webinaire EDR")


def test_the_events_title_and_date_changes_show_on_the_next_request(member_of):
    _member, webinar, _registration, client = registered(member_of, "Webinaire PCA")
    assert row(mine(client), "Webinaire PCA")

    moved = timezone.now().replace(microsecond=0) + datetime.timedelta(days=40, hours=3)
    webinar.title, webinar.starts_at = "Webinaire PRA", moved
    webinar.ends_at = moved + datetime.timedelta(hours=1)
    webinar.save_revision().publish()
    html = mine(client)
    with translation.override("fr"):
        shown = date_format(timezone.localtime(moved), "j F Y, H:i")
    assert "Webinaire PCA" not in html and shown in row(html, "Webinaire PRA")


def test_an_unpublished_or_deleted_event_leaves_the_list(member_of):
    member = member_of(Role.CAREGIVER)
    withdrawn, deleted = event("Atelier retiré"), event("Atelier supprimé")
    for page in (withdrawn, deleted):
        event_services.register(member, page)
    client = client_for(member)
    html = mine(client)
    assert row(html, "Atelier retiré") and row(html, "Atelier supprimé")

    withdrawn.unpublish()
    assert "Atelier retiré" not in mine(client)
    deleted.delete()
    assert "Atelier supprimé" not in mine(client)


def test_an_event_closed_to_the_members_role_leaves_the_list(member_of):
    _member, webinar, _registration, client = registered(member_of, "Atelier gestion de crise")
    assert row(mine(client), "Atelier gestion de crise")

    webinar.access_level, webinar.allowed_roles = AccessLevel.ROLES, {Role.RSSI}
    webinar.save_revision().publish()
    assert "Atelier gestion de crise" not in mine(client)  # no title of what they cannot view


def test_the_calendar_address_shows_and_goes_on_the_next_request(member_of):
    member = member_of(Role.CAREGIVER)
    client = client_for(member)
    assert "feed-url" not in mine(client)
    feed = calendars.create_feed(member)
    assert feed.token in mine(client)
    calendars.revoke_feed(member)
    html = mine(client)
    assert feed.token not in html and "feed-url" not in html


def test_each_member_sees_their_own_list_only(member_of):
    one, two = member_of(Role.CAREGIVER), member_of(Role.CAREGIVER)
    event_services.register(one, event("Webinaire de Une"))
    event_services.register(two, event("Webinaire de Deux"))
    feed = calendars.create_feed(one)
    first, second = mine(client_for(one)), mine(client_for(two))  # one audience, one copy
    assert "Webinaire de Une" in first and "Webinaire de Deux" not in first
    assert "Webinaire de Deux" in second and "Webinaire de Une" not in second
    assert feed.token in first and feed.token not in second


def test_the_csrf_token_is_each_sessions(member_of):
    member = member_of(Role.CAREGIVER)
    sessions = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for client in sessions:
        client.force_login(member)
        found = set(TOKEN.findall(mine(client)))
        assert len(found) == 1  # the feed form and the account links share the request's
        tokens.append(found.pop())
    create = {"action": "create", "csrfmiddlewaretoken": tokens[1]}
    assert sessions[0].post(url(), create).status_code == 403  # another session's token
    assert sessions[1].post(url(), create).status_code == 302


def queries_of(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url()).status_code == 200
    return len(queries)


def test_the_queries_do_not_grow_with_the_registrations_kept_or_not(member_of):
    member = member_of(Role.CAREGIVER)
    client = client_for(member)
    webinars = [event(f"Webinaire {number}") for number in range(7)]  # published: no copy yet
    event_services.register(member, webinars[0])
    mine(client)
    one = queries_of(client)
    for webinar in webinars[1:]:
        event_services.register(member, webinar)
        assert queries_of(client) == one  # the list rendered afresh (a new key)
        assert queries_of(client) == one  # kept
    assert "Webinaire 6" in mine(client) and one <= 6
