"""The events' demo step on the demo's accounts and document base: 6 upcoming and 6 past
events with replays, registrations, a waiting list and attendance; two kits with loans, one
pending, and session reports; the figures computed from them. Idempotent."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from elearning.events import figures
from elearning.events.models import (
    EventPage,
    KitLoan,
    KitPage,
    Registration,
    SessionReport,
)


@pytest.mark.django_db
def test_the_demo_builds_events_and_kits_once():
    with override_settings(DEMO_MODE=True):
        call_command("load_demo", stdout=io.StringIO())
    events = EventPage.objects.live()
    upcoming = [e for e in events if not e.is_past]
    past = [e for e in events if e.is_past]
    assert len(upcoming) >= 6 and len(past) >= 6
    assert sum(1 for e in past if e.replay_id) >= 3
    assert Registration.objects.filter(status="waiting").exists()
    assert Registration.objects.filter(attended=True).exists()
    assert KitPage.objects.live().count() == 2
    assert KitLoan.objects.filter(status="pending").count() == 1
    assert SessionReport.objects.exists()
    numbers = figures.regional()
    webinar_attendance = Registration.objects.filter(
        attended=True, event__kind="webinar", status="registered"
    )
    people = set(webinar_attendance.values_list("user_id", flat=True))
    assert numbers.webinar_attendees == len(people) > 0
    assert (
        numbers.event_attendees
        == Registration.objects.filter(attended=True, status="registered").count()
    )
    assert numbers.players == sum(SessionReport.objects.values_list("players", flat=True))

    def counts():
        return EventPage.objects.count(), Registration.objects.count(), KitLoan.objects.count()

    before = counts()
    with override_settings(DEMO_MODE=True):
        call_command("load_demo", stdout=io.StringIO())
    assert counts() == before
