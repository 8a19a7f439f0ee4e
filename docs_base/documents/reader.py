"""Reader features for approved members: helpful votes, favourites (and sharing them with the
colleagues of one's establishment), watching a document, related documents."""

import functools
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from docs_base.documents.catalogue import listed_documents
from docs_base.models.documents import (
    DocumentFavourite,
    DocumentPage,
    DocumentVote,
    DocumentWatch,
    FavouriteListSharing,
)
from docs_base.notifications import WATCH
from portal.access import is_approved_member, membership_of
from portal.access.fields import role_token
from portal.accounts.models import MemberStatus
from portal.notifications.services import notify

RELATED_LIMIT = 4
MAX_REASON_LENGTH = 500


@dataclass(frozen=True)
class ReaderState:
    voted: bool
    favourite: bool
    watching: bool


def reader_state(user, page_id: int, live_revision_id: int | None) -> ReaderState | None:
    """The member's vote on the live revision, favourite and watch of a page, in one query.

    Asked on every view of a document (a personal fragment of the cached page): written in SQL,
    since building the same query through the ORM cost several times more than running it."""
    if not is_approved_member(user):
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            _reader_state_sql(),
            [user.pk, live_revision_id or 0, user.pk, page_id, user.pk, page_id],
        )
        voted, favourite, watching = cursor.fetchone()
    return ReaderState(voted=live_revision_id is not None and bool(voted),
                       favourite=bool(favourite), watching=bool(watching))  # fmt: skip


@functools.cache
def _reader_state_sql() -> str:
    def exists(model, column: str) -> str:
        user = model._meta.get_field("user").column
        column = model._meta.get_field(column).column
        table = model._meta.db_table
        return f"EXISTS(SELECT 1 FROM {table} WHERE {user} = %s AND {column} = %s)"  # noqa: S608

    parts = (
        exists(DocumentVote, "revision"),
        exists(DocumentFavourite, "page"),
        exists(DocumentWatch, "page"),
    )
    return "SELECT " + ", ".join(parts)  # table and column names only


# --- "Was this helpful?" ---------------------------------------------------------------------


class VoteRefused(Exception):
    pass


class ArchivedRefused(VoteRefused):
    """Archived documents are kept for reference: no new votes nor favourites."""


def refuse_if_archived(page) -> None:
    if page.archived:
        raise ArchivedRefused(
            _("This document is archived: it can no longer be rated nor added to favourites.")
        )


def vote(user, page, helpful: bool, reason: str = "") -> DocumentVote:
    """One vote per member per published revision: a new revision opens a new vote."""
    refuse_if_archived(page)
    if page.live_revision_id is None:
        raise VoteRefused(_("This document has no published version to rate."))
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON_LENGTH:
        raise VoteRefused(
            _("The reason is too long (%(max)d characters at most).") % {"max": MAX_REASON_LENGTH}
        )
    try:
        with transaction.atomic():
            return DocumentVote.objects.create(
                page=page,
                revision_id=page.live_revision_id,
                user=user,
                helpful=helpful,
                reason=reason,
            )
    except IntegrityError:
        raise VoteRefused(_("You have already rated this version of the document.")) from None


# --- Favourites ------------------------------------------------------------------------------


def toggle_favourite(user, page) -> bool:
    """Add or remove a favourite; returns whether the page is now a favourite. An archived
    document can still be removed, never added (``ArchivedRefused``)."""
    deleted, _count = DocumentFavourite.objects.filter(user=user, page=page).delete()
    if deleted:
        return False
    refuse_if_archived(page)
    DocumentFavourite.objects.get_or_create(user=user, page=page)
    return True


def favourites(viewer, owner):
    """The owner's favourites that the VIEWER may see (live, not archived), newest first."""
    return (
        DocumentFavourite.objects.filter(user=owner, page__in=listed_documents(viewer))
        .select_related("page")
        .order_by("-created_at", "-pk")
    )


def is_shared(user) -> bool:
    return FavouriteListSharing.objects.filter(user=user, shared=True).exists()


def set_sharing(user, shared: bool) -> None:
    FavouriteListSharing.objects.update_or_create(user=user, defaults={"shared": shared})


def _colleague_q(viewer) -> Q | None:
    member = membership_of(viewer)
    if not member.approved or member.establishment_id is None:
        return None
    return Q(
        member_profile__establishment_id=member.establishment_id,
        member_profile__status=MemberStatus.APPROVED,
        is_active=True,
        favourite_list_sharing__shared=True,
    )


def colleagues_sharing(viewer):
    """Colleagues of the viewer's establishment who share their favourites."""
    query = _colleague_q(viewer)
    if query is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(query)
        .exclude(pk=viewer.pk)
        .order_by("last_name", "first_name", "pk")
    )


def shared_list_owner(viewer, owner_id: int):
    """The colleague whose shared list the viewer may open, else None."""
    return colleagues_sharing(viewer).filter(pk=owner_id).first()


# --- Watching --------------------------------------------------------------------------------


def toggle_watch(user, page) -> bool:
    deleted, _count = DocumentWatch.objects.filter(user=user, page=page).delete()
    if deleted:
        return False
    DocumentWatch.objects.get_or_create(user=user, page=page)
    return True


def page_published(sender, instance, revision=None, **kwargs) -> None:
    """Signal receiver: tell the watchers through the notification service (after the commit;
    who may view the page is decided for each watcher when the e-mail is sent)."""
    if not isinstance(instance, DocumentPage):
        return
    notify(
        WATCH,
        instance,
        key=f"{WATCH}:{instance.pk}:{revision.pk if revision else instance.latest_revision_id}",
        title=instance.title,
        body=instance.change_note or "",
        reference=f"DOC-{instance.pk}",
    )


# --- Related documents -----------------------------------------------------------------------


def related_documents(user, page, limit: int = RELATED_LIMIT) -> list:
    """Documents sharing a theme with the page, that the user may see, never archived: one
    query, cached with the page for the user's audience (``portal.page_cache``)."""
    if not page.themes:
        return []
    same_theme = reduce(or_, (Q(themes__contains=role_token(code)) for code in sorted(page.themes)))
    return list(
        listed_documents(user)
        .filter(same_theme)
        .exclude(pk=page.pk)
        .defer_streamfields()  # cards show no body
        .order_by("-last_published_at", "-pk")[:limit]
    )
