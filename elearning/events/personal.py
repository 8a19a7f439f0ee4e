"""The member's own part of an event page, on copies shared per audience.

An event page is cached per audience (``portal.page_cache``) with the event's facts, programme
and places left (any registration retires the copies: ``services.REGISTRATIONS_TAG``); the
member's registration, waiting-list position, register and cancel forms (CSRF token), online
link, certificate and survey links are this fragment, rendered for each request from the
argument (page id, live revision, closed flag, places left, URL) with two queries (the event's
row and the member's registration).
"""

import datetime
import functools
from dataclasses import dataclass
from urllib.parse import quote, unquote

from django.template.loader import get_template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from wagtail.models import Page

from elearning.events import calendars, services
from elearning.events.models import EventIndexPage, EventPage, RegistrationStatus
from portal import page_cache

REGISTRATION = "events.registration"
TEMPLATE = "elearning/events/includes_registration.html"
MY_REGISTRATIONS = "events.my-registrations"
MY_REGISTRATIONS_TEMPLATE = "elearning/events/includes_my_registrations.html"
ROUTES = ("register", "cancel", "ics", "certificate", "survey")
# « Mes inscriptions », rendered once per process for each key (``_my_registrations``).
_my_registrations_rendered = page_cache.LocalLRU(size=2048)


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
    # The event's current row (registration may have closed, the start passed): the fields
    # the fragment reads, no page instantiated.
    event = EventRow(pk=shown.pk, **EventPage.objects.values(*EventRow.FIELDS).get(pk=shown.pk))
    context = services.registration_context(request.user, event, shown.places_left)
    base = shown.url.rstrip("/") + "/"
    urls = {name: base + _routes()[name] for name in ROUTES}
    context |= {"page": event, "urls": urls, "request": request}
    context |= page_cache.csrf_context(request)
    return get_template(TEMPLATE).render(context)


@dataclass(frozen=True)
class EventRow:
    """What the fragment (and ``services.refusal``) read of an event."""

    FIELDS = ("registration_closed", "starts_at", "ends_at", "online_link", "access_level",
              "allowed_roles", "establishment_id", "audience")  # fmt: skip

    pk: int
    registration_closed: bool
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    online_link: str
    access_level: str
    allowed_roles: object
    establishment_id: int | None
    audience: object

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()


@functools.cache
def _routes() -> dict[str, str]:
    resolver = EventPage.get_resolver()
    return {name: resolver.reverse(name) for name in ROUTES}


@dataclass(frozen=True)
class ShownIndex:
    """« Mes inscriptions »: the events index page's id, URL (the feed's route) and tree path
    (its events' URLs are its own plus their slug)."""

    pk: int
    url: str
    url_path: str

    @classmethod
    def of(cls, index, request) -> "ShownIndex":
        return cls(index.pk, index.get_url(request) or "/", index.url_path)

    @classmethod
    def parse(cls, argument: str) -> "ShownIndex":
        pk, url, *url_path = argument.split(":", 2)  # no tree path on an older release's copy
        return cls(int(pk), unquote(url), unquote(url_path[0]) if url_path else "")

    @property
    def argument(self) -> str:
        return f"{self.pk}:{quote(self.url, safe='/')}:{quote(self.url_path, safe='/')}"


def _my_registrations(request, argument: str) -> str:
    """The member's registrations and calendar address: two plain queries however many (a third
    for events under another index, if any). The list is kept rendered in this process under
    what it shows (the rows themselves, the feed token, the URLs, the language), so any change
    to a registration or to one of its events (title, date, place in the tree), whatever made
    it, gives another key: nothing to invalidate, never stale; only the CSRF token is written in
    per request."""
    user = request.user
    if not user.is_authenticated:
        return ""
    shown = ShownIndex.parse(argument)
    rows = services.my_registration_rows(user)
    token = calendars.feed_token_of(user)
    others = _other_urls(request, shown, rows)
    key = (user.pk, rows, token, others, argument, request.scheme, request.get_host(),
           request.path, get_language())  # fmt: skip
    return page_cache.kept(
        request, _my_registrations_rendered, key,
        lambda: _render_my_registrations(request, shown, rows, token, others),
    )  # fmt: skip


def _under(shown: ShownIndex, url_path: str) -> bool:
    return bool(shown.url_path) and url_path.startswith(shown.url_path)


def _other_urls(request, shown: ShownIndex, rows) -> tuple:
    """The URLs of the events not under this index (rare: a query only then), by id."""
    others = {pk for pk, *_, path in rows if not _under(shown, path)}
    if not others:
        return ()
    pages = Page.objects.filter(pk__in=others)
    return tuple(sorted((page.pk, page.get_url(request)) for page in pages))


def _render_my_registrations(request, shown: ShownIndex, rows, token, others) -> str:
    feed_url = ""
    if token is not None:
        route = EventIndexPage.get_resolver().reverse("feed", token)
        feed_url = request.build_absolute_uri(shown.url.rstrip("/") + "/" + route)
    base = shown.url.rstrip("/") + "/"
    urls = {pk: base + path[len(shown.url_path) :] for pk, *_, path in rows
            if _under(shown, path)} | dict(others)  # fmt: skip
    statuses = dict(RegistrationStatus.choices)
    registrations = [
        (title, urls[pk], date_format(timezone.localtime(services.aware(starts_at)), "j F Y, H:i"),
         statuses.get(status, status), attended)
        for pk, title, starts_at, status, attended, _path in rows
    ]  # fmt: skip
    context = {
        "registrations": registrations,
        "feed_url": feed_url,
        "request": request,
        "csrf_token": page_cache.CSRF_PLACEHOLDER,
    }
    return get_template(MY_REGISTRATIONS_TEMPLATE).render(context)


def register() -> None:
    page_cache.register_fragment(REGISTRATION, _registration)
    page_cache.register_fragment(MY_REGISTRATIONS, _my_registrations)
