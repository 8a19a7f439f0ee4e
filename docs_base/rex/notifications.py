"""E-mails to the author of a REX at each moderation step (sent once committed)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from docs_base.routes import rex_url
from portal import region

SUBJECTS = {
    "received": lambda: _("Your experience feedback was received"),
    "changes_requested": lambda: _("Changes requested on your experience feedback"),
    "published": lambda: _("Your experience feedback is published"),
}


def absolute(url: str) -> str:
    return url if url.startswith("http") else settings.SITE_URL.rstrip("/") + url


def tell_author(submission, step: str) -> None:
    """E-mail the author about ``step`` once the current transaction is committed."""
    author = submission.owner
    if not author.email or not author.is_active:
        return
    context = {
        "step": step,
        "submission": submission,
        "name": author.get_full_name() or author.email,
        "portal_name": settings.PORTAL_NAME,
        "region": region.current(),
        "mine_url": absolute(rex_url("mine")),
        "page_url": absolute(submission.page.get_url() or "") if submission.page else "",
    }
    subject = f"[{settings.PORTAL_NAME}] {SUBJECTS[step]()}"
    body = render_to_string("docs_base/rex/email/moderation_step.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [author.email]))
