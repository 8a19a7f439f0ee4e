"""The e-learning module's declaration in the module kit (see ``portal.modules``); its
notification kinds and reminder job are in ``elearning/notifications.py``."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elearning import notifications, personal_data, search_documents, services
from elearning.events import notifications as event_notifications
from elearning.events import personal_data as event_personal_data
from elearning.events import search_documents as event_search_documents
from elearning.events import services as event_services
from elearning.events.models import Registration
from portal.accounts.personal_data import Section
from portal.demo import DemoStep
from portal.modules import HomeItem, PortalModule
from portal.notifications.jobs import TICK, Job
from portal.uploads import scan


def scan_upload(uploaded_file, user=None) -> None:
    """The portal's antivirus check on an uploaded package (``portal.uploads``)."""
    scan(uploaded_file, user)


def home_latest(user, limit):
    return services.latest(user, limit)


class ElearningModule(PortalModule):
    key = "elearning"
    label = _("Training")
    url_name = "elearning:catalogue"
    # The navigation's entry (a redirect to the catalogue page, whose routes serve everything
    # else) and the sandboxed SCORM content, under "~elearning/", which no page slug can take.
    urls = "elearning.urls"
    order = 40
    latest = staticmethod(home_latest)
    search_sources = (search_documents.source(),)
    search_facets = tuple(search_documents.facets())
    personal_data = Section("courses", personal_data.export, personal_data.erase)
    notification_kinds = notifications.KINDS
    periodic_jobs = (notifications.REMINDERS_JOB,)
    # After the home page (30), before the document base and REX steps (40, 45).
    demo_steps = (DemoStep(35, "Formations en ligne", "elearning.demo.loader.build"),)


def home_events(user, limit):
    """Upcoming events the user may register for."""
    return [
        HomeItem(
            title=event.title,
            url=event.url or "",
            date=timezone.localtime(event.starts_at).date(),
            summary=event.summary,
        )
        for event in event_services.home_events(user, limit)
    ]


def events_job(now=None):
    """Every tick: the reminders due, and the events that ended re-indexed as past."""
    return event_notifications.send_reminders(now) + event_search_documents.reindex_finished(now)


class EventsModule(PortalModule):
    """Webinars, regional days, training sessions and escape-game kits (``elearning/events/``)."""

    key = "events"
    label = _("Events")
    url_name = "elearning:events"
    order = 42
    latest = staticmethod(home_events)
    search_sources = (event_search_documents.source(),)
    search_facets = tuple(event_search_documents.facets())
    personal_data = Section("events", event_personal_data.export, event_personal_data.erase)
    notification_kinds = event_notifications.KINDS
    periodic_jobs = (Job("elearning.events", _("Event reminders"), events_job, TICK),)
    # Places left on the event pages change with any registration.
    page_cache_tags = {Registration: (event_services.REGISTRATIONS_TAG,)}
    # After the document base (40), whose recordings are the replays; before the REX (45).
    demo_steps = (DemoStep(42, "Événements et kits", "elearning.events.demo.build"),)
