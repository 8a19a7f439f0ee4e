"""The .ics files (parsed back with icalendar: Europe/Paris offsets on both sides of the
changes of time) and the personal feed at a secret URL: revocation, bad tokens."""

import datetime
import zoneinfo

import pytest
from icalendar import Calendar

from elearning.events import calendars, services
from portal.access import AccessLevel, Role
from tests.elearning.event_factories import event, event_index
from tests.portal.factories import client_for

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_event_ics_has_paris_offsets_across_the_changes_of_time(member_of):
    winter = event("Hiver", starts_at=datetime.datetime(2037, 3, 28, 10, 0, tzinfo=PARIS))
    summer = event("Été", starts_at=datetime.datetime(2037, 3, 30, 10, 0, tzinfo=PARIS))
    autumn = event("Automne", starts_at=datetime.datetime(2037, 11, 2, 9, 30, tzinfo=PARIS))
    client = client_for(member_of(Role.CAREGIVER))
    offsets = {}
    for page in (winter, summer, autumn):
        calendar = _parse(client.get(page.url + page.reverse_subpage("ics")))
        (vevent,) = calendar.walk("VEVENT")
        start = vevent.decoded("dtstart")
        assert vevent["dtstart"].params["TZID"] == "Europe/Paris"
        assert str(vevent["summary"]) == page.title
        assert start.replace(tzinfo=None) == page.starts_at.astimezone(PARIS).replace(tzinfo=None)
        assert start == page.starts_at
        (timezone,) = calendar.walk("VTIMEZONE")
        assert str(timezone["tzid"]) == "Europe/Paris"
        assert {c.name for c in timezone.subcomponents} >= {"STANDARD", "DAYLIGHT"}
        offsets[page.title] = start.utcoffset()
    assert offsets == {
        "Hiver": datetime.timedelta(hours=1),
        "Été": datetime.timedelta(hours=2),
        "Automne": datetime.timedelta(hours=1),
    }
    # The VTIMEZONE itself says so, for clients that read only it.
    calendar = _parse(client.get(summer.url + summer.reverse_subpage("ics")))
    tz = calendar.walk("VTIMEZONE")[0].to_tz()
    assert tz.utcoffset(datetime.datetime(2037, 3, 30, 10, 0)) == datetime.timedelta(hours=2)
    assert tz.utcoffset(datetime.datetime(2037, 3, 28, 10, 0)) == datetime.timedelta(hours=1)


def test_the_ics_of_a_restricted_event_is_as_restricted_as_the_event(member_of):
    page = event("RSSI", access_level=AccessLevel.ROLES, allowed_roles={Role.RSSI})
    url = page.url + page.reverse_subpage("ics")
    assert client_for(member_of(Role.CAREGIVER)).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404
    assert client_for(member_of(Role.RSSI)).get(url).status_code == 200


def test_the_personal_feed_lists_the_registrations_and_can_be_revoked(member_of):
    member = member_of(Role.CAREGIVER)
    mine = event("Mon webinaire", online_link="https://visio.example/mon-lien")
    event("Pas le mien")
    waiting_for = event("Complet", capacity=1)
    services.register(member, mine)
    services.register(member_of(Role.CAREGIVER), waiting_for)
    services.register(member, waiting_for)  # waiting list: not in the feed
    client = client_for(member)
    index = event_index()
    mine_url = index.url + index.reverse_subpage("my_events")
    client.post(mine_url, {"action": "create"})
    feed = calendars.feed_of(member)
    feed_url = index.url + index.reverse_subpage("feed", args=(feed.token,))
    page = client.get(mine_url).content.decode()
    assert feed_url in page
    anonymous = client_for(None)  # calendar applications fetch it without a session
    calendar = _parse(anonymous.get(feed_url))
    titles = [str(v["summary"]) for v in calendar.walk("VEVENT")]
    assert titles == ["Mon webinaire"]
    assert "https://visio.example/mon-lien" in anonymous.get(feed_url).content.decode()
    client.post(mine_url, {"action": "revoke"})
    assert calendars.feed_of(member) is None
    assert anonymous.get(feed_url).status_code == 404


def test_a_new_address_replaces_the_old_one_and_bad_tokens_get_404(member_of):
    member = member_of(Role.CAREGIVER)
    old = calendars.create_feed(member)
    new = calendars.create_feed(member)
    index = event_index()
    client = client_for(None)
    altered = new.token[:-1] + ("y" if new.token.endswith("x") else "x")
    for token in (old.token, altered, "x" * 64, "inconnu"):
        assert (
            client.get(index.url + index.reverse_subpage("feed", args=(token,))).status_code == 404
        )
    assert (
        client.get(index.url + index.reverse_subpage("feed", args=(new.token,))).status_code == 200
    )


def test_a_suspended_member_feed_stops(member_of):
    member = member_of(Role.CAREGIVER)
    feed = calendars.create_feed(member)
    member.is_active = False
    member.save()
    index = event_index()
    url = index.url + index.reverse_subpage("feed", args=(feed.token,))
    assert client_for(None).get(url).status_code == 404
