"""Calendars built with ``icalendar``: one ``.ics`` per event, and each member's personal feed
of their registrations at a secret URL they can revoke. Times are written in Europe/Paris with
its VTIMEZONE (standard and summer time), so calendars show the right hour on both sides of a
change of time."""

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event

from elearning.events.models import CalendarFeed

PRODID = "-//Cyberportail santé//Événements//FR"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _absolute(url: str) -> str:
    return url if url.startswith("http") else settings.SITE_URL.rstrip("/") + url


def event_component(event, include_link: bool) -> Event:
    """One VEVENT; the online link only for a registered participant's calendar."""
    component = Event()
    host = settings.SITE_URL.split("//", 1)[-1].strip("/") or "cyberportail"
    component.add("uid", f"event-{event.pk}@{host}")
    component.add("dtstamp", timezone.now())
    component.add("dtstart", timezone.localtime(event.starts_at))
    component.add("dtend", timezone.localtime(event.ends_at))
    component.add("summary", event.title)
    url = _absolute(event.url or "")
    description = [event.summary, strip_tags(str(event.speakers or "")).strip(), url]
    if include_link and event.online_link:
        description.insert(1, event.online_link)
        component.add("location", event.online_link if event.online else event.place)
    else:
        component.add("location", event.place or "En ligne")
    component.add("description", "\n\n".join(filter(None, description)))
    if url:
        component.add("url", url)
    return component


def event_ics(event, include_link: bool) -> bytes:
    calendar = _calendar(event.title)
    calendar.add_component(event_component(event, include_link))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_ics(user, events) -> bytes:
    """The member's feed: the events they are registered for (their own online links)."""
    calendar = _calendar("Mes événements — Cyberportail santé")
    for event in events:
        calendar.add_component(event_component(event, include_link=True))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_of(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def feed_token_of(user) -> str | None:
    """The member's feed token, asked on every view of « mes inscriptions »: written in SQL,
    since building the same query through the ORM costs several times more than running it."""
    with connection.cursor() as cursor:
        cursor.execute(_FEED_TOKEN_SQL, [user.pk])
        row = cursor.fetchone()
    return row[0] if row else None


_FEED_TOKEN_SQL = f"SELECT token FROM {CalendarFeed._meta.db_table} WHERE user_id = %s"  # noqa: S608 (a constant name)


def create_feed(user) -> CalendarFeed:
    """A new secret URL (replacing any previous one, which stops working)."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user)


def revoke_feed(user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def feed_owner(token: str):
    """The active member owning a feed token, or None."""
    if not token or len(token) > 64:
        return None
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user
