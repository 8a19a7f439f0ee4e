"""What the document base and REX hold about a member, for their export and erasure."""

from docs_base.models import (
    DocumentFavourite,
    DocumentVote,
    DocumentWatch,
    FavouriteListSharing,
    RexSubmission,
)
from portal.accounts.personal_data import Section


def _documents(user) -> dict:
    return {
        "favourites": [
            {"title": f.page.title, "added_at": f.created_at.isoformat()}
            for f in DocumentFavourite.objects.filter(user=user).select_related("page")
        ],
        "watched": [
            {"title": w.page.title, "since": w.created_at.isoformat()}
            for w in DocumentWatch.objects.filter(user=user).select_related("page")
        ],
        "helpful_votes": [
            {"title": v.page.title, "helpful": v.helpful, "reason": v.reason}
            for v in DocumentVote.objects.filter(user=user).select_related("page")
        ],
    }


def _erase_documents(user) -> None:
    """Favourites, watches and the sharing choice go; votes stay as anonymous statistics."""
    DocumentFavourite.objects.filter(user=user).delete()
    DocumentWatch.objects.filter(user=user).delete()
    FavouriteListSharing.objects.filter(user=user).delete()


def _rex(user) -> list:
    return [
        {
            "title": s.title,
            "status": s.status,
            "created_at": s.created_at.isoformat(),
            "submitted_at": s.submitted_at and s.submitted_at.isoformat(),
            "published_at": s.published_at and s.published_at.isoformat(),
        }
        for s in RexSubmission.objects.filter(owner=user)
    ]


def _erase_rex(user) -> None:
    """Unsubmitted drafts go; what went to moderation belongs to the published REX."""
    RexSubmission.objects.filter(owner=user, page__isnull=True).delete()


DOCUMENTS = Section("documents", _documents, _erase_documents)
EXPERIENCE_FEEDBACK = Section("experience_feedback", _rex, _erase_rex)
