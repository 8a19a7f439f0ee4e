"""The document base's notification kinds and periodic job (the portal's notification service).

Registered from ``DocsBaseConfig.ready`` until the module kit lists them in the module's
declaration (``notification_kinds``).
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portal.notifications.kinds import Channel, NotificationKind

WATCH = "documents.watch"
REVIEW_DUE = "documents.review_due"
REX_MODERATION = "rex.moderation"


def watchers(page):
    return get_user_model().objects.filter(document_watches__page=page)


def readable_document(user, page) -> bool:
    """Live, not archived, not behind Wagtail page privacy (``can_view`` is checked too)."""
    from docs_base.documents.reader import is_member

    return (
        page.live
        and not page.archived
        and not page.get_view_restrictions().exists()
        and is_member(user)
    )


def owns(user, obj) -> bool:
    return obj.owner_id == user.pk


KINDS = [
    NotificationKind(
        key=WATCH,
        label=_("A document I follow is updated"),
        module="documents",
        recipients=watchers,
        audience=readable_document,
    ),
    NotificationKind(
        key=REVIEW_DUE,
        label=_("A document I own is past its review date"),
        module="documents",
        default_channel=Channel.DAILY,
        audience=owns,
    ),
    NotificationKind(
        key=REX_MODERATION,
        label=_("Moderation of my experience feedback"),
        module="rex",
        audience=owns,
    ),
]


def reminders_job():
    from docs_base.documents.lifecycle import send_review_reminders

    return send_review_reminders()


def register() -> None:
    """The kinds, and the daily review reminders (before the morning's digests)."""
    from portal.notifications import jobs, kinds

    for kind in KINDS:
        kinds.register(kind)
    jobs.register(
        jobs.Job(
            "documents.review_reminders",
            _("Review reminders"),
            reminders_job,
            jobs.DAILY,
            hour=6,
        )
    )
