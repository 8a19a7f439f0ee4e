"""The member's own part of an event page, on copies shared per audience.

An event page is cached per audience (``portal.page_cache``) with the event's facts, programme
and places left (any registration retires the copies: ``services.REGISTRATIONS_TAG``); the
member's registration, waiting-list position, register and cancel forms (CSRF token), online
link, certificate and survey links are this fragment, rendered for each request from the
argument (page id, live revision, closed flag, places left, URL) with two queries (the event's
row and the member's registration).
"""

from dataclasses import dataclass
from urllib.parse import quote, unquote

from django.template.loader import get_template

from elearning.events import calendars, services
from elearning.events.models import EventIndexPage, EventPage
from portal import page_cache

REGISTRATION = "events.registration"
TEMPLATE = "elearning/events/includes_registration.html"
MY_REGISTRATIONS = "events.my-registrations"
MY_REGISTRATIONS_TEMPLATE = "elearning/events/includes_my_registrations.html"
ROUTES = ("register", "cancel", "ics", "certificate", "survey")


@dataclass(frozen=True)
class ShownEvent:
    pk: int
    live_revision_id: int | None
    closed: bool
    places_left: int
    url: str

    @classmethod
    def of(cls, event, places_left: int, request) -> "ShownEvent":
        url = event.get_url(request) or "/"
        return cls(event.pk, event.live_revision_id, event.registration_closed, places_left, url)

    @classmethod
    def parse(cls, argument: str) -> "ShownEvent":
        pk, revision, closed, places, url = argument.split(":", 4)
        return cls(int(pk), int(revision) or None, closed == "1", int(places), unquote(url))

    @property
    def argument(self) -> str:
        url = quote(self.url, safe="/:")
        return f"{self.pk}:{self.live_revision_id or 0}:{int(self.closed)}:{self.places_left}:{url}"


def _registration(request, argument: str) -> str:
    shown = ShownEvent.parse(argument)
    # The event's current row (registration may have closed, the start passed), without its
    # long texts.
    event = EventPage.objects.defer("programme", "speakers", "summary").get(pk=shown.pk)
    context = services.registration_context(request.user, event, shown.places_left)
    base = shown.url.rstrip("/") + "/"
    urls = {name: base + event.reverse_subpage(name) for name in ROUTES}
    context |= {"page": event, "urls": urls, "request": request}
    context |= page_cache.csrf_context(request)
    return get_template(TEMPLATE).render(context)


@dataclass(frozen=True)
class ShownIndex:
    """« Mes inscriptions »: the events index page's id and URL (the feed's route)."""

    pk: int
    url: str

    @classmethod
    def of(cls, index, request) -> "ShownIndex":
        return cls(index.pk, index.get_url(request) or "/")

    @classmethod
    def parse(cls, argument: str) -> "ShownIndex":
        pk, url = argument.split(":", 1)
        return cls(int(pk), unquote(url))

    @property
    def argument(self) -> str:
        return f"{self.pk}:{quote(self.url, safe='/:')}"


def _my_registrations(request, argument: str) -> str:
    """The member's registrations and calendar address: two queries however many."""
    shown = ShownIndex.parse(argument)
    user = request.user
    if not user.is_authenticated:
        return ""
    feed = calendars.feed_of(user)
    feed_url = ""
    if feed is not None:
        route = EventIndexPage.get_resolver().reverse("feed", feed.token)
        feed_url = request.build_absolute_uri(shown.url.rstrip("/") + "/" + route)
    context = {
        # (registration, event URL): the site's root paths read once for the request.
        "registrations": [(r, r.event.get_url(request)) for r in services.my_registrations(user)],
        "feed_url": feed_url,
        "request": request,
        **page_cache.csrf_context(request),
    }
    return get_template(MY_REGISTRATIONS_TEMPLATE).render(context)


def register() -> None:
    page_cache.register_fragment(REGISTRATION, _registration)
    page_cache.register_fragment(MY_REGISTRATIONS, _my_registrations)
