"""The author of a review is told when a moderator publishes or rejects it (the portal's
notification service; the kind is declared in ``benchmarks/module.py``)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benchmarks.models import ReviewStatus
from portal.notifications.kinds import NotificationKind
from portal.notifications.services import notify

REVIEW_MODERATION = "benchmarks.review_moderation"


def wrote(user, review) -> bool:
    """Only the review's author receives its moderation decisions."""
    return review.author_id is not None and review.author_id == user.pk


REVIEW_MODERATION_KIND = NotificationKind(
    key=REVIEW_MODERATION,
    label=gettext_lazy("Moderation of my solution reviews"),
    module="benchmarks",
    audience=wrote,
)


def tell_author(review) -> None:
    """Notify the author of a published or rejected review, once per version and decision
    (saving the same decision again notifies nobody twice)."""
    if review.author_id is None or review.status not in (
        ReviewStatus.PUBLISHED,
        ReviewStatus.REJECTED,
    ):
        return
    with translation.override(settings.LANGUAGE_CODE):
        if review.status == ReviewStatus.PUBLISHED:
            title = _("Your review of %(solution)s is published") % {
                "solution": review.solution.title
            }
            body = _("Thank you for sharing it with your peers.")
        else:
            title = _("Your review of %(solution)s was not published") % {
                "solution": review.solution.title
            }
            body = ""
        if review.moderation_note:
            body = (body + "\n\n" if body else "") + _("The moderator's comment:") + "\n"
            body += review.moderation_note
        notify(
            REVIEW_MODERATION,
            review,
            [review.author_id],
            key=f"{REVIEW_MODERATION}:{review.pk}:v{review.version}:{review.status}",
            title=title,
            body=body,
            url=review.solution.get_url() or "",
            reference=f"AVIS-{review.pk}",
        )
