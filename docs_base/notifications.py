"""The document base's notification kinds and periodic job (the portal's notification service).

Declared by the documents and REX parts in their ``module.py`` (``notification_kinds``,
``periodic_jobs``).
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portal.access import is_approved_member
from portal.notifications.kinds import Channel, NotificationKind

WATCH = "documents.watch"
REVIEW_DUE = "documents.review_due"
REX_MODERATION = "rex.moderation"


def watchers(page):
    return get_user_model().objects.filter(document_watches__page=page)


def readable_document(user, page) -> bool:
    """Live, not archived, not behind Wagtail page privacy (``can_view`` is checked too)."""
    if not (page.live and not page.archived and is_approved_member(user)):
        return False
    # Asked once per page object, not once per recipient of a fan-out.
    if (restricted := getattr(page, "_notify_view_restricted", None)) is None:
        restricted = page._notify_view_restricted = page.get_view_restrictions().exists()
    return not restricted


def owns(user, obj) -> bool:
    return obj.owner_id == user.pk


WATCH_KIND = NotificationKind(
    key=WATCH,
    label=_("A document I follow is updated"),
    module="documents",
    recipients=watchers,
    audience=readable_document,
)
REVIEW_DUE_KIND = NotificationKind(
    key=REVIEW_DUE,
    label=_("A document I own is past its review date"),
    module="documents",
    default_channel=Channel.DAILY,
    audience=owns,
)
REX_MODERATION_KIND = NotificationKind(
    key=REX_MODERATION,
    label=_("Moderation of my experience feedback"),
    module="rex",
    audience=owns,
)
