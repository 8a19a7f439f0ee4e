"""Everything that plugs the e-learning module into the portal, in one place, so that it can
move to the module kit's single declaration (issue 20) as is: navigation and home section,
search source and facets, personal-data section, demo steps, notification kinds, the page
types the home page accepts, and the hand-over of reminders to the notification service."""

import logging

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def notification_kinds():
    from elearning import services
    from portal.notifications.kinds import Channel, NotificationKind

    return [
        NotificationKind(
            key=services.KIND_CERTIFICATE_EXPIRY,
            label=_("My training certificate expires soon or has expired"),
            module="elearning",
            default_channel=Channel.IMMEDIATE,
        ),
        NotificationKind(
            key=services.KIND_COURSE_ASSIGNED,
            label=_("A course was assigned to me"),
            module="elearning",
            default_channel=Channel.IMMEDIATE,
        ),
        NotificationKind(
            key=services.KIND_COURSE_DUE,
            label=_("An assigned course is due soon or overdue"),
            module="elearning",
            default_channel=Channel.IMMEDIATE,
        ),
    ]


def deliver(reminders) -> int:
    """Hand reminders (``services.Reminder``) to the portal's notification service, which
    applies each member's preferences and checks access again. Until that service is
    installed, nothing is sent and nothing is marked as sent."""
    try:
        from portal.notifications import notify
    except ImportError:
        if reminders:
            logger.info("notification service not installed: %s reminder(s) kept", len(reminders))
        return 0
    for reminder in reminders:
        notify(kind=reminder.kind, obj=reminder.object, recipients=list(reminder.recipients))
    return len(reminders)


def scan_upload(uploaded_file, user=None) -> None:
    """The portal's antivirus check on an uploaded package (shared upload infrastructure,
    in docs_base until the module kit moves it to portal/)."""
    from docs_base.uploads import scan

    scan(uploaded_file, user)


def home_latest(user, limit):
    from elearning import services

    return services.latest(user, limit)


def register_all() -> None:
    from elearning import personal_data, search_documents
    from portal import registry
    from portal.accounts.personal_data import Section
    from portal.accounts.personal_data import register as register_section
    from portal.notifications import kinds
    from search import registry as search_registry

    registry.register(
        registry.ModuleEntry(
            key="elearning",
            label=_("Training"),
            url_name="elearning:catalogue",
            order=40,
            latest=home_latest,
        )
    )
    search_registry.register(search_documents.source())
    for facet in search_documents.facets():
        if facet.name not in {f.name for f in search_registry.facets()}:
            search_registry.register_facet(facet)
    register_section(Section("courses", personal_data.export, personal_data.erase))
    for kind in notification_kinds():
        kinds.register(kind)
    _allow_under_home_page()


def _allow_under_home_page() -> None:
    """The course catalogue lives under the home page (the portal lists its own page types;
    the module kit will let modules add theirs)."""
    from portal.models import HomePage

    subpage_types = list(HomePage.subpage_types)
    if "elearning.CourseIndexPage" not in subpage_types:
        HomePage.subpage_types = [*subpage_types, "elearning.CourseIndexPage"]
