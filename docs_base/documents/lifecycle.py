"""Life cycle: what changed with each publication, review dates, reminders, editors' readouts."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, IntegerField, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import PageLogEntry
from wagtail.permission_policies.pages import PagePermissionPolicy

from docs_base.models.documents import DocumentPage, DocumentVote
from docs_base.notifications import REVIEW_DUE
from portal.access.editors import has_admin_access
from portal.access.staff import staff_q
from portal.notifications.services import notify
from search.query_log import zero_result_queries

MAX_CHANGES = 10
READOUT_LIMIT = 50


@dataclass(frozen=True)
class Change:
    published_at: object
    note: str


def published_changes(page, limit: int = MAX_CHANGES) -> list[Change]:
    """The change note of each published revision, newest first; a note carried over unchanged
    to the next publication is shown once. One query, reading only the note."""
    entries = (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish", revision__isnull=False)
        .annotate(note=KeyTextTransform("change_note", "revision__content"))
        .order_by("-timestamp", "-pk")
        .values_list("timestamp", "note")[: limit * 3]
    )
    changes = []
    previous = None
    for timestamp, note in reversed(list(entries)):
        note = (note or "").strip()
        if note and note != previous:
            changes.append(Change(timestamp, note))
        previous = note
    return list(reversed(changes))[:limit]


@dataclass(frozen=True)
class ReviewSection:
    """A section another module adds to the editors' review report: its template, and its
    context for the reader (``context(user) -> dict``; it applies the staff rule itself)."""

    template: str
    context: Callable


_review_sections: list[ReviewSection] = []


def register_review_section(section: ReviewSection) -> None:
    """Add a section to the review report (e.g. the documents a watch item flags)."""
    if section not in _review_sections:
        _review_sections.append(section)


def review_sections() -> tuple[ReviewSection, ...]:
    return tuple(_review_sections)


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _live_documents(staff=None):
    """Live, non-archived documents; for a member of staff reading a report, those the staff
    rule lets them see (``portal.access.staff``: no establishment-only document otherwise)."""
    documents = DocumentPage.objects.live().filter(archived=False)
    return documents if staff is None else documents.filter(staff_q(staff))


def overdue_documents(today=None, staff=None):
    """Live, non-archived documents past their review date."""
    today = today or timezone.localdate()
    return (
        _live_documents(staff)
        .filter(review_due__lt=today)
        .select_related("owner")
        .order_by("review_due", "pk")
    )


def never_reviewed_documents(staff=None):
    return (
        _live_documents(staff)
        .filter(last_reviewed_at__isnull=True)
        .select_related("owner")
        .order_by("first_published_at", "pk")
    )


def least_helpful_documents(limit: int = READOUT_LIMIT, staff=None) -> list:
    """Documents with "not helpful" votes, the largest share first, with recent reasons."""
    pages = list(
        _live_documents(staff)
        .annotate(
            helpful_votes=Count("votes", filter=Q(votes__helpful=True)),
            unhelpful_votes=Count("votes", filter=Q(votes__helpful=False)),
        )
        .filter(unhelpful_votes__gt=0)
        .annotate(
            unhelpful_share=Cast(
                F("unhelpful_votes") * 100 / (F("helpful_votes") + F("unhelpful_votes")),
                IntegerField(),
            )
        )
        .order_by("-unhelpful_share", "-unhelpful_votes", "pk")[:limit]
    )
    reasons = defaultdict(list)
    votes = (
        DocumentVote.objects.filter(page__in=[page.pk for page in pages], helpful=False)
        .exclude(reason="")
        .order_by("-created_at")
        .values_list("page_id", "reason")[: limit * 3]
    )
    for page_id, reason in votes:
        if len(reasons[page_id]) < 3:
            reasons[page_id].append(reason)
    for page in pages:
        page.recent_reasons = reasons[page.pk]
    return pages


def zero_result_searches(limit: int = READOUT_LIMIT) -> list[tuple[str, int]]:
    """The most frequent searches without any result (``search`` logs them)."""
    return list(zero_result_queries(limit))


def can_review_documents(user) -> bool:
    """Editors: admin access and a permission to edit pages."""
    if not has_admin_access(user):
        return False
    if user.is_superuser:
        return True
    return PagePermissionPolicy().user_has_any_permission(user, {"add", "change", "publish"})


def send_review_reminders(today=None) -> tuple[int, int]:
    """Notify each owner of their documents past review (kind ``documents.review_due``: by
    default in the owner's daily digest, one e-mail listing them). Returns (documents, owners).
    """
    today = today or timezone.localdate()
    pages = list(overdue_documents(today).filter(owner__isnull=False, owner__is_active=True))
    for page in pages:
        notify(
            REVIEW_DUE,
            page,
            [page.owner_id],
            key=f"{REVIEW_DUE}:{page.pk}:{today.isoformat()}",
            title=page.title,
            body=_("Review due on %(date)s.") % {"date": date_format(page.review_due)},
            reference=f"DOC-{page.pk}",
        )
    return len(pages), len({page.owner_id for page in pages})
