"""The forum's business rules: reading, posting, following, reporting, moderating, solving."""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.forum_attachments.models import Attachment
from machina.apps.forum_conversation.forum_polls.models import TopicPollVote
from machina.apps.forum_conversation.models import Post, Topic

from forum.models import (
    ForumFollow,
    ForumSpace,
    PostReport,
    PostRevision,
    PostState,
    ReportStatus,
    TopicState,
)
from forum.permissions import (
    MODERATOR_ROLES,
    can_post,
    can_read,
    is_moderator,
    spaces_q,
    visible_forum_ids,
)
from forum.personal import PAGE_TAG
from portal import page_cache
from portal.access import Role, refuse
from portal.accounts import services as membership
from portal.accounts.models import MemberProfile, MemberStatus
from portal.accounts.personal_data import display_name as portal_display_name
from portal.notifications.services import notify
from portal.security_log import log_event
from search.indexing import reindex

logger = logging.getLogger(__name__)

# Posts per member: at most RATE_BURST in RATE_WINDOW.
RATE_BURST = getattr(settings, "FORUM_RATE_BURST", 5)
RATE_WINDOW = timedelta(seconds=getattr(settings, "FORUM_RATE_WINDOW_SECONDS", 300))
# The first posts of a new member (approved less than NEW_MEMBER_DAYS ago) wait for a
# moderator's approval.
REVIEWED_FIRST_POSTS = getattr(settings, "FORUM_REVIEWED_FIRST_POSTS", 2)
NEW_MEMBER_DAYS = 30
MENTION = re.compile(r"(?<![\w@])@([a-z0-9][a-z0-9.\-]{1,60}[a-z0-9])", re.IGNORECASE)


class ForumError(Exception):
    """A refused action, with a message for the member."""


# --- Names --------------------------------------------------------------------------------------


def display_name(user) -> str:
    return portal_display_name(user)


def handle(user) -> str:
    """The ``@handle`` other members use to mention this user."""
    return slugify(user.get_full_name()) or f"membre-{user.pk}"


# --- Reading ------------------------------------------------------------------------------------


def spaces_for(user):
    """The forums the user may read (``permissions.spaces_q``, in the same query)."""
    return ForumSpace.objects.filter(spaces_q(user)).select_related("forum")


def topics_for(user, forum_ids=None, shared: bool = False):
    """Topics the user may view: in a forum they may read; approved, or theirs, or moderated.
    ``shared``: what every member of the user's audience views (approved topics)."""
    ids = visible_forum_ids(user)
    if forum_ids is not None:
        ids = ids & set(forum_ids)
    topics = Topic.objects.filter(forum_id__in=ids)
    if shared:
        topics = topics.filter(approved=True)
    elif not is_moderator(user):
        topics = topics.filter(Q(approved=True) | Q(poster_id=user.pk))
    return topics


def posts_for(user, topic):
    """A topic's posts ``user`` may view; with ``user`` None, those every reader views."""
    posts = topic.posts.all()
    if user is None:
        posts = posts.filter(approved=True)
    elif not is_moderator(user):
        posts = posts.filter(Q(approved=True) | Q(poster_id=user.pk))
    return posts


def space_or_404(request, forum_id: int) -> ForumSpace:
    # Through the forum's key (not the column): an id beyond the database's integers finds
    # nothing instead of failing.
    space = ForumSpace.objects.filter(forum__pk=forum_id).select_related("forum").first()
    if space is None or not can_read(request.user, space):
        refuse(request, Forum, pk=forum_id)
    return space


def topic_or_404(request, topic_id: int) -> Topic:
    topic = (
        topics_for(request.user)
        .filter(pk=topic_id)
        .select_related("forum__space", "poster", "state__solution__state", "poll")
        .first()
    )
    if topic is None:
        refuse(request, Topic, pk=topic_id)
    return topic


def post_or_404(request, post_id: int) -> Post:
    post = (
        Post.objects.filter(pk=post_id, topic__in=topics_for(request.user))
        .select_related("topic__forum__space", "poster", "state")
        .first()
    )
    visible = post is not None and (
        post.approved or post.poster_id == request.user.pk or is_moderator(request.user)
    )
    if not visible:
        refuse(request, Post, pk=post_id)
    return post


def can_view_post(user, post) -> bool:
    """The rule notifications re-check at send time."""
    space = ForumSpace.objects.filter(forum_id=post.topic.forum_id).first()
    if space is None or not can_read(user, space):
        return False
    if is_moderator(user):
        return True
    hidden = PostState.objects.filter(post=post, hidden=True).exists()
    return post.approved and post.topic.approved and not hidden


def with_list_data(topics, user):
    """What a topic list shows, in a bounded number of queries."""
    return topics.select_related("poster", "forum", "last_post__poster", "state").annotate(
        solved=Exists(TopicState.objects.filter(topic=OuterRef("pk"), solution__isnull=False)),
    )


def filter_topics(topics, user, which: str):
    if which == "solved":
        return topics.filter(state__solution__isnull=False)
    if which == "unanswered":
        return topics.filter(posts_count__lte=1)
    if which == "mine":
        return topics.filter(Q(poster=user) | Q(posts__poster=user)).distinct()
    return topics


def topic_posts(user, topic):
    """A topic's posts the user may view, with what the page shows (attachments: see
    ``attachments_of``)."""
    return posts_for(user, topic).select_related("poster", "state").order_by("created", "pk")


def attachments_of(posts) -> dict:
    """post id -> its attachments, in one query (lighter than ``prefetch_related``)."""
    grouped: dict = {}
    for attachment in Attachment.objects.filter(post_id__in=[p.pk for p in posts]).order_by("pk"):
        grouped.setdefault(attachment.post_id, []).append(attachment)
    return grouped


def post_visible_text(post, viewer) -> tuple[bool, str]:
    """(hidden, reason): a hidden post's text is for moderators and its author."""
    state = getattr(post, "state", None) if _has_state(post) else None
    if state is None or not state.hidden:
        return False, ""
    return True, state.hidden_reason


def _has_state(post) -> bool:
    try:
        post.state  # noqa: B018
    except PostState.DoesNotExist:
        return False
    return True


# --- Posting ------------------------------------------------------------------------------------


def check_rate(user) -> None:
    since = timezone.now() - RATE_WINDOW
    if is_moderator(user):
        return
    if Post.objects.filter(poster=user, created__gte=since).count() >= RATE_BURST:
        raise ForumError(_("You are posting too fast: wait a few minutes before posting again."))


def _needs_review(user) -> bool:
    if not REVIEWED_FIRST_POSTS or is_moderator(user):
        return False
    profile = getattr(user, "member_profile", None)
    decided = profile and profile.decided_at
    if not decided or decided < timezone.now() - timedelta(days=NEW_MEMBER_DAYS):
        return False
    return Post.objects.filter(poster=user, approved=True).count() < REVIEWED_FIRST_POSTS


@transaction.atomic
def start_topic(user, space: ForumSpace, subject: str, content: str, attachment=None):
    if not can_post(user, space):
        raise ForumError(_("You cannot start a topic in this forum."))
    check_rate(user)
    approved = not _needs_review(user)
    topic = Topic.objects.create(
        forum=space.forum, subject=subject, poster=user, type=Topic.TOPIC_POST,
        status=Topic.TOPIC_UNLOCKED, approved=approved,
    )  # fmt: skip
    post = Post.objects.create(
        topic=topic, subject=subject, content=content, poster=user, approved=approved
    )
    topic.subscribers.add(user)
    _attach(post, attachment)
    unknown = _after_post(post, new_topic=True)
    return post, unknown


@transaction.atomic
def reply(user, topic, content: str, attachment=None):
    space = topic.forum.space
    if not can_post(user, space):
        raise ForumError(_("You cannot reply in this forum."))
    if topic.is_locked and not is_moderator(user):
        raise ForumError(_("This topic is locked."))
    check_rate(user)
    post = Post.objects.create(
        topic=topic,
        subject=f"Re: {topic.subject}"[:255],
        content=content,
        poster=user,
        approved=not _needs_review(user),
    )
    topic.subscribers.add(user)
    _attach(post, attachment)
    unknown = _after_post(post, new_topic=False)
    return post, unknown


def _attach(post, uploaded) -> None:
    """A file already through the portal's upload checks (type, content, size, antivirus)."""
    if uploaded is not None:
        Attachment.objects.create(post=post, file=uploaded)


def visible_attachment(request, attachment_id: int):
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        refuse(request, Attachment, pk=attachment_id)
    post = post_or_404(request, attachment.post_id)
    hidden, _reason = post_visible_text(post, request.user)
    if hidden and not (is_moderator(request.user) or post.poster_id == request.user.pk):
        refuse(request, Attachment, pk=attachment_id)
    return attachment


def _after_post(post, new_topic: bool) -> list[str]:
    """Notify followers and mentioned members (after the commit, in a task); returns the
    mentioned handles that notify nobody."""
    if post.approved:
        notify("forum.topic" if new_topic else "forum.reply", post, key=f"forum.post:{post.pk}")
    mentioned, unknown = resolve_mentions(post)
    if mentioned and post.approved:
        notify("forum.mention", post, [u.pk for u in mentioned], key=f"forum.mention:{post.pk}")
    return unknown


def resolve_mentions(post) -> tuple[list, list[str]]:
    """Members mentioned in ``post`` who may view it, and the handles that reach nobody."""
    handles = {m.lower() for m in MENTION.findall(post.content.raw or "")}
    if not handles:
        return [], []
    found, unknown = [], []
    space = post.topic.forum.space
    candidates = _members_matching(handles)
    for name in sorted(handles):
        users = [u for u in candidates.get(name, []) if u.pk != post.poster_id]
        allowed = [u for u in users if can_read(u, space)]
        if allowed:
            found.extend(allowed)
        else:
            unknown.append(name)
    return found, unknown


# Handles and what members type carry no accents; names do (Élodie, Hélène): a name is looked
# up by its first letter in every accented form, then compared without accents.
ACCENTED = {"a": "àâä", "c": "ç", "e": "éèêë", "i": "îï", "o": "ôö", "u": "ùûü", "y": "ÿ"}
MENTION_SCAN = 500  # members with that initial read for one autocompletion


def _initial_q(letter: str) -> Q:
    letters = {letter, *ACCENTED.get(letter, "")}
    q = Q()
    for form in letters | {x.upper() for x in letters}:
        q |= Q(first_name__startswith=form) | Q(last_name__startswith=form)
    return q


def _members_matching(handles) -> dict:
    users = get_user_model().objects.filter(is_active=True, member_profile__isnull=False)
    q = Q()
    for name in handles:
        if name.startswith("membre-") and name[7:].isdigit():
            q |= Q(pk=int(name[7:]))
        else:
            q |= _initial_q(name[0])
    result: dict = {}
    for user in users.filter(q).select_related("member_profile__establishment"):
        result.setdefault(handle(user), []).append(user)
    return result


def mention_candidates(user, space, prefix: str, limit: int = 8) -> list[dict]:
    """Members who may read the forum ``space`` (so its topics) whose name starts with
    ``prefix`` (autocompletion)."""
    wanted = slugify(prefix.strip().lstrip("@")[:60])  # no accents, no NUL
    if len(wanted) < 2:
        return []
    users = (
        get_user_model()
        .objects.filter(is_active=True, member_profile__isnull=False)
        .filter(_initial_q(wanted[0]))
        .select_related("member_profile__establishment")
        .order_by("first_name", "last_name")[:MENTION_SCAN]
    )
    result = []
    for member in users:
        names = (slugify(member.first_name), slugify(member.last_name), handle(member))
        if not any(name.startswith(wanted) for name in names):
            continue
        if member.pk != user.pk and can_read(member, space):
            result.append({"handle": handle(member), "name": display_name(member)})
        if len(result) >= limit:
            break
    return result


@transaction.atomic
def edit_post(user, post, content: str) -> None:
    own = post.poster_id == user.pk and can_post(user, post.topic.forum.space)
    if not (own or is_moderator(user)):
        raise ForumError(_("You cannot edit this post."))
    PostRevision.objects.create(post=post, content=post.content.raw, edited_by=user)
    post.content = content
    post.updated_by = user
    post.updates_count += 1
    post.save()


# --- Following ----------------------------------------------------------------------------------


def follow_topic(user, topic, on: bool) -> None:
    (topic.subscribers.add if on else topic.subscribers.remove)(user)


def follow_forum(user, space, on: bool) -> None:
    if on:
        ForumFollow.objects.get_or_create(user=user, forum=space.forum)
    else:
        ForumFollow.objects.filter(user=user, forum=space.forum).delete()


def followers(post) -> list[int]:
    """Who hears of a new post: the topic's and the forum's followers, except its author."""
    topic_ids = set(post.topic.subscribers.values_list("pk", flat=True))
    forum_ids = set(
        ForumFollow.objects.filter(forum_id=post.topic.forum_id).values_list("user_id", flat=True)
    )
    return sorted((topic_ids | forum_ids) - {post.poster_id})


# --- Reports and moderation -------------------------------------------------------------------


def report(user, post, reason: str, comment: str = "") -> PostReport:
    if PostReport.objects.filter(post=post, reporter=user, status=ReportStatus.OPEN).exists():
        raise ForumError(_("You have already reported this post."))
    return PostReport.objects.create(post=post, reporter=user, reason=reason, comment=comment)


def _moderator_or_refuse(user) -> None:
    if not is_moderator(user):
        raise ForumError(_("Moderators only."))


def moderated_forum_ids(user) -> frozenset:
    return visible_forum_ids(user) if is_moderator(user) else frozenset()


def moderation_queue(user):
    ids = moderated_forum_ids(user)
    reports = (
        PostReport.objects.filter(status=ReportStatus.OPEN, post__topic__forum_id__in=ids)
        .select_related("post__topic", "post__poster", "reporter")
        .order_by("created")
    )
    waiting = (
        Post.objects.filter(approved=False, topic__forum_id__in=ids)
        .select_related("topic", "poster")
        .order_by("created")
    )
    return reports, waiting


@transaction.atomic
def set_hidden(user, post, hidden: bool, reason: str = "") -> None:
    _moderator_or_refuse(user)
    if hidden and not reason.strip():
        raise ForumError(_("Give the reason shown to the author."))
    state, _created = PostState.objects.get_or_create(post=post)
    state.hidden, state.hidden_reason = hidden, reason.strip() if hidden else ""
    state.hidden_by = user if hidden else None
    state.save()
    if hidden:  # from the queue or the topic page: the reports on it are upheld
        _close_reports(user, post, ReportStatus.UPHELD)
    _reindex(post.topic)


def _close_reports(user, post, status: str) -> None:
    """Close every open report on ``post`` with ``status``; each reporter is told."""
    reports = list(PostReport.objects.filter(post=post, status=ReportStatus.OPEN))
    PostReport.objects.filter(pk__in=[r.pk for r in reports]).update(
        status=status, handled_by=user, handled_at=timezone.now()
    )
    title = _("Your report: %(outcome)s") % {"outcome": ReportStatus(status).label}
    for closed in reports:
        if closed.reporter_id:
            notify("forum.report_outcome", post, [closed.reporter_id],
                   key=f"forum.report:{closed.pk}", title=title)  # fmt: skip


@transaction.atomic
def handle_report(user, report_obj: PostReport, uphold: bool, reason: str = "") -> None:
    _moderator_or_refuse(user)
    if uphold:  # hiding upholds every open report on the post
        set_hidden(user, report_obj.post, True, reason or report_obj.get_reason_display())
    else:
        _close_reports(user, report_obj.post, ReportStatus.DISMISSED)


# Members a forum moderator may not suspend from the forum: staff go through the regional
# administrators' membership management.
STAFF_ROLES = MODERATOR_ROLES | {Role.EDITOR}


def suspendable_author(user, post) -> MemberProfile | None:
    """The profile of ``post``'s author if ``user`` (a forum moderator) may suspend them: an
    approved member, neither themselves, a superuser nor staff."""
    if not is_moderator(user) or post.poster_id is None or post.poster_id == user.pk:
        return None
    profile = (
        MemberProfile.objects.filter(user_id=post.poster_id, status=MemberStatus.APPROVED)
        .select_related("user")
        .first()
    )
    if profile is None or profile.user.is_superuser or set(profile.roles) & STAFF_ROLES:
        return None
    return profile


def suspendable_post_ids(user, posts) -> set[int]:
    """Which of ``posts`` have an author ``user`` may suspend (one query, for the queue)."""
    if not is_moderator(user):
        return set()
    authors = {p.poster_id for p in posts if p.poster_id and p.poster_id != user.pk}
    profiles = MemberProfile.objects.filter(
        user_id__in=authors, status=MemberStatus.APPROVED, user__is_superuser=False
    ).values_list("user_id", "roles")
    allowed = {user_id for user_id, roles in profiles if not set(roles) & STAFF_ROLES}
    return {p.pk for p in posts if p.poster_id in allowed}


def suspend_author(user, post, reason: str, request=None) -> MemberProfile:
    """Suspend ``post``'s author through the portal's membership flow (``accounts.services
    .suspend``: sessions ended, the member told by e-mail with the reason, logged); the forum
    follows at once since access is read from the membership."""
    profile = suspendable_author(user, post)
    if profile is None:
        raise ForumError(_("This member cannot be suspended from the forum."))
    if not reason.strip():
        raise ForumError(_("Give the reason sent to the member."))
    membership.suspend(profile, user, reason.strip(), request)
    return profile


def moderation_counts(user) -> tuple[int, int]:
    """(open reports, posts waiting for approval) in the forums ``user`` moderates."""
    reports, waiting = moderation_queue(user)
    return reports.count(), waiting.count()


@transaction.atomic
def approve_post(user, post) -> None:
    _moderator_or_refuse(user)
    post.approved = True
    post.save()
    if post.is_topic_head:
        Topic.objects.filter(pk=post.topic_id).update(approved=True)
    _after_post(post, new_topic=post.is_topic_head)


def set_locked(user, topic, locked: bool) -> None:
    _moderator_or_refuse(user)
    topic.status = Topic.TOPIC_LOCKED if locked else Topic.TOPIC_UNLOCKED
    topic.save()


@transaction.atomic
def move_topic(user, topic, space: ForumSpace) -> None:
    _moderator_or_refuse(user)
    if not can_read(user, space):
        raise ForumError(_("Unknown forum."))
    topic.forum = space.forum
    topic.save()
    _reindex(topic)


# --- Solutions ----------------------------------------------------------------------------------


def may_mark_solution(user, topic) -> bool:
    return topic.poster_id == user.pk or is_moderator(user)


def mark_solution(user, post) -> None:
    topic = post.topic
    if not may_mark_solution(user, topic):
        raise ForumError(_("Only the topic's author or a moderator marks the solution."))
    if post.is_topic_head:
        raise ForumError(_("The solution is a reply, not the question."))
    hidden, _reason = post_visible_text(post, user)
    if hidden or not post.approved:
        raise ForumError(_("A hidden or unapproved message cannot be the solution."))
    TopicState.objects.update_or_create(topic=topic, defaults={"solution": post})
    _reindex(topic)


def solution_of(topic):
    try:
        return topic.state.solution
    except TopicState.DoesNotExist:
        return None


def _reindex(topic) -> None:
    reindex([Topic.objects.get(pk=topic.pk)])


# --- Accounts ----------------------------------------------------------------------------------


def erase_member(user) -> None:
    """Account deletion: the posts stay (the account is renamed, so they read "ancien
    membre"); the subscriptions go."""
    ForumFollow.objects.filter(user=user).delete()
    Topic.subscribers.through.objects.filter(user_id=user.pk).delete()
    # The cached pages show the author's name: once renamed, read afresh.
    transaction.on_commit(lambda: page_cache.invalidate(PAGE_TAG))


def export_member(user) -> dict:
    posts = Post.objects.filter(poster=user).select_related("topic").order_by("created")
    return {
        "posts": [
            {
                "topic": post.topic.subject,
                "created": post.created.isoformat(),
                "content": post.content.raw,
            }
            for post in posts
        ],
        "followed_topics": list(
            Topic.objects.filter(subscribers=user).order_by("pk").values_list("subject", flat=True)
        ),
        "poll_votes": [
            {"topic": topic, "question": question, "answer": answer}
            for topic, question, answer in TopicPollVote.objects.filter(voter=user)
            .order_by("pk")
            .values_list(
                "poll_option__poll__topic__subject",
                "poll_option__poll__question",
                "poll_option__text",
            )
        ],  # fmt: skip
        "followed_forums": list(
            ForumFollow.objects.filter(user=user)
            .order_by("pk")
            .values_list("forum__name", flat=True)
        ),
    }


def log_refusal(request, what: str) -> None:
    log_event("forum_action_refused", request, action=what)
