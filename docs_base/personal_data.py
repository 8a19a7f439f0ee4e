"""What the document base and REX hold about a member, for their export and erasure."""

from portal.accounts.personal_data import Section, register


def _documents(user) -> dict:
    from docs_base.models import DocumentFavourite, DocumentVote, DocumentWatch

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
    from docs_base.models import DocumentFavourite, DocumentWatch, FavouriteListSharing

    DocumentFavourite.objects.filter(user=user).delete()
    DocumentWatch.objects.filter(user=user).delete()
    FavouriteListSharing.objects.filter(user=user).delete()


def _rex(user) -> list:
    from docs_base.models import RexSubmission

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
    from docs_base.models import RexSubmission

    RexSubmission.objects.filter(owner=user, page__isnull=True).delete()


def register_sections() -> None:
    register(Section("documents", _documents, _erase_documents))
    register(Section("experience_feedback", _rex, _erase_rex))
