"""Who may read, post and moderate in a forum: derived from the portal's access model.

A forum's audience is the access fields of its ``ForumSpace`` (declared by editors: level,
roles, establishment, establishment types); posting also needs the forum not to be
announcements-only (or the member to be staff). Forum moderators (a moderator or
regional-administrator role, granted by a person) moderate every forum, so they read every
forum: a report or a first post waiting in a private forum must reach someone who can act on
it. The unified search stays on the access model alone. Everything is read from
``membership_of`` at each request, so approval, suspension, deletion and role changes apply at
once. ``PortalPermissionHandler`` gives machina the same answers.
"""

from django.db.models import Q
from machina.apps.forum.models import Forum
from machina.apps.forum_permission.handler import PermissionHandler

from forum.models import ForumSpace
from portal.access import Role, access_q, can_view, membership_of

MODERATOR_ROLES = frozenset({Role.MODERATOR, Role.REGIONAL_ADMIN})
ANNOUNCER_ROLES = MODERATOR_ROLES | {Role.EDITOR}

# Readers vote in polls (an announcements-only forum's too: ``forum.polls``).
READ = {"can_see_forum", "can_read_forum", "can_download_file", "can_vote_in_polls"}
POST = {
    "can_start_new_topics",
    "can_reply_to_topics",
    "can_edit_own_posts",
    "can_post_without_approval",
    "can_create_polls",
    "can_attach_file",
    "can_subscribe_to_topics",
}
MODERATE = {
    "can_edit_posts",
    "can_lock_topics",
    "can_move_topics",
    "can_approve_posts",
    "can_reply_to_locked_topics",
    "can_post_announcements",
    "can_post_stickies",
}
_CACHE = "_forum_visible_ids"


def is_moderator(user) -> bool:
    member = membership_of(user)
    return member.is_superuser or (member.approved and bool(member.roles & MODERATOR_ROLES))


def spaces_q(user) -> Q:
    """The forums a user may read (``can_read`` as a filter); nothing for visitors and members
    not (or no longer) approved, whatever a forum's level."""
    member = membership_of(user)
    if member.is_superuser or is_moderator(user):
        return Q()
    if not member.approved:
        return Q(pk__in=[])
    return access_q(user, families=True)


def visible_forum_ids(user) -> frozenset:
    """machina forum ids the user may read (computed once per user object)."""
    if user is not None and (cached := getattr(user, _CACHE, None)) is not None:
        return cached
    ids = frozenset(ForumSpace.objects.filter(spaces_q(user)).values_list("forum_id", flat=True))
    if user is not None:
        setattr(user, _CACHE, ids)
    return ids


def forget(user) -> None:
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def can_read(user, space) -> bool:
    member = membership_of(user)
    return member.is_superuser or (
        member.approved and (is_moderator(user) or can_view(user, space))
    )


def can_post(user, space) -> bool:
    if not can_read(user, space):
        return False
    if space.read_only:
        member = membership_of(user)
        return member.is_superuser or bool(member.roles & ANNOUNCER_ROLES)
    return True


def forum_perms(user, space) -> frozenset:
    """machina's permission codenames for this user in this forum."""
    if not can_read(user, space):
        return frozenset()
    perms = set(READ)
    if can_post(user, space):
        perms |= POST
    if is_moderator(user):
        perms |= POST | MODERATE
    return frozenset(perms)


class _PortalChecker:
    def __init__(self, user):
        self.user = user

    def get_perms(self, forum):
        space = getattr(forum, "space", None)
        return list(forum_perms(self.user, space)) if space is not None else []

    def has_perm(self, perm, forum):
        return perm in self.get_perms(forum)

    def get_perms_for_forumlist(self, forums, perm_codenames=None):
        return {forum: self.get_perms(forum) for forum in forums}


class PortalPermissionHandler(PermissionHandler):
    """machina's handler answering from the portal's access model."""

    def _get_checker(self, user):
        return _PortalChecker(user)

    def _get_all_forums(self):
        if not hasattr(self, "_all_forums"):
            self._all_forums = list(Forum.objects.select_related("space"))
        return self._all_forums
