"""The author of a REX is told at each moderation step, through the notification service."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from docs_base.notifications import REX_MODERATION

SUBJECTS = {
    "received": lambda: _("Your experience feedback was received"),
    "changes_requested": lambda: _("Changes requested on your experience feedback"),
    "published": lambda: _("Your experience feedback is published"),
}


def tell_author(submission, step: str) -> None:
    """Notify the author about ``step`` once the current transaction is committed."""
    from portal.notifications.services import notify

    with translation.override(settings.LANGUAGE_CODE):
        if step == "received":
            body = _(
                "A moderator of the portal will read it, anonymise it where needed and publish "
                "it, or ask you for changes."
            )
        elif step == "changes_requested":
            body = _("The moderator's comment:") + "\n" + (submission.moderator_comment or "—")
        else:
            body = _("Thank you for sharing it with your peers.")
        published = step == "published" and submission.page
        notify(
            REX_MODERATION,
            submission,
            [submission.owner_id],
            title=f"{SUBJECTS[step]()} : {submission.title}",
            body=body,
            url=(submission.page.get_url() or "") if published else reverse("docs_base:rex_mine"),
            reference=f"REX-{submission.pk}",
        )
