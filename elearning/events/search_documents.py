"""What the events put into the unified search: events and kits, with the page's access fields
(a members-only event is searchable by members only; the online link is never indexed), and
facets for the type, the date (upcoming or past) and the audience."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from elearning.events.models import EventKind, EventMilestone, EventPage, KitPage
from search.indexing import reindex
from search.pages import page_document
from search.registry import Facet, Source

KIND = "events"
KIT = "kit"


def event_document(page):
    return page_document(
        page,
        KIND,
        body=(page.summary, page.programme, page.speakers, page.place),
        summary=page.summary,
        facets={
            "event_type": (page.kind,),
            "when": ("past" if page.ends_at <= timezone.now() else "upcoming",),
            "audience": tuple(sorted(page.audience)),
        },
        date=page.starts_at.astimezone(datetime.UTC),  # as read back from the database
    )


def kit_document(page):
    return page_document(
        page,
        KIND,
        body=(page.summary, page.story, page.contents),
        summary=page.summary,
        facets={"event_type": (KIT,)},
        date=page.last_published_at,
    )


def document(page):
    return event_document(page) if isinstance(page, EventPage) else kit_document(page)


def candidates():
    return Page.objects.live().type(EventPage, KitPage).specific().order_by("path")


def type_labels() -> dict[str, str]:
    return {code: str(label) for code, label in EventKind.choices} | {
        KIT: str(_("Escape-game kit"))
    }


def when_labels() -> dict[str, str]:
    return {"upcoming": str(_("Upcoming")), "past": str(_("Past"))}


def source():
    return Source(
        kind=KIND,
        label=_("Events and kits"),
        models=(EventPage, KitPage),
        document=document,
        candidates=candidates,
        order=45,
    )


def facets():
    """Type and date; the audience (roles) uses the portal's one "audience" facet."""
    return [
        Facet(name="event_type", label=_("Event type"), choices=type_labels, order=45),
        Facet(name="when", label=_("Date"), choices=when_labels, order=46),
    ]


def reindex_finished(now=None) -> int:
    """Events that ended move from "upcoming" to "past" in the index: the job (every tick)
    re-indexes each once (``EventMilestone`` "ended")."""
    now = now or timezone.now()
    handled = EventMilestone.objects.filter(stage="ended").values("event_id")
    count = 0
    for event in EventPage.objects.live().filter(ends_at__lte=now).exclude(pk__in=handled):
        try:
            with transaction.atomic():
                EventMilestone.objects.create(event=event, stage="ended", starts_at=event.starts_at)
                reindex([event])
                count += 1
        except IntegrityError:
            continue
    return count
