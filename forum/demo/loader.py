"""Demo step of the forum (``manage.py load_demo``): the forums, 40 discussions across them,
some solved, some with mentions, one poll, and one reported post waiting in the queue.
Idempotent: a topic that exists (by forum and subject) is left as it is."""

from datetime import timedelta

from django.utils import timezone
from machina.apps.forum_conversation.forum_polls.models import (
    TopicPoll,
    TopicPollOption,
    TopicPollVote,
)
from machina.apps.forum_conversation.models import Post, Topic

from forum.demo.forums import ensure_forums
from forum.demo.topics import FOLLOW_UPS, TOPICS
from forum.models import ForumSpace, PostReport, ReportReason, TopicState
from forum.permissions import can_post
from forum.services import handle
from portal.access import Role
from search.indexing import reindex

REPORTED = "Fichier patients en pièce jointe, quelqu'un peut vérifier ?"
POLL_TOPIC = "Clés USB : les interdire ?"
POLL = (
    "Dans votre établissement, les clés USB sont…",
    ("Interdites partout", "Autorisées après passage sur une station blanche",
     "Autorisées sans contrôle"),
)  # fmt: skip


def _authors(ctx, space) -> list:
    people = [u for role, u in sorted(ctx.users.items()) if can_post(u, space)]
    return people or [ctx.users.get(Role.MODERATOR)]


def _mention(text: str, ctx) -> str:
    for role, user in ctx.users.items():
        text = text.replace(f"@{role}", f"@{handle(user)}")
    return text


def build_forum(ctx) -> None:
    spaces = ensure_forums()
    start = timezone.now() - timedelta(days=90)
    created = posts = 0
    for n, (forum_name, subject, question, replies) in enumerate(TOPICS):
        space = spaces[forum_name]
        if Topic.objects.filter(forum=space.forum, subject=subject).exists():
            continue
        authors = _authors(ctx, space)
        author = authors[n % len(authors)]
        when = start + timedelta(days=2 * n)
        topic = Topic.objects.create(
            forum=space.forum, subject=subject, poster=author,
            type=Topic.TOPIC_ANNOUNCE if forum_name == "Annonces" else Topic.TOPIC_POST,
            status=Topic.TOPIC_UNLOCKED,
        )  # fmt: skip
        _post(topic, author, subject, question, when)
        topic.subscribers.add(author)
        texts = list(replies)
        if len(texts) >= 2:
            texts.append(FOLLOW_UPS[n % len(FOLLOW_UPS)])
        for k, text in enumerate(texts):
            replier = authors[(n + k + 1) % len(authors)]
            solution = text.startswith("✔ ")
            post = _post(
                topic, replier, f"Re: {subject}", _mention(text.removeprefix("✔ "), ctx),
                when + timedelta(hours=3 * (k + 1)),
            )  # fmt: skip
            topic.subscribers.add(replier)
            if solution:
                TopicState.objects.update_or_create(topic=topic, defaults={"solution": post})
            posts += 1
        created += 1
        posts += 1
    _reported_post(ctx, spaces["Général"])
    _poll(ctx, spaces["Général"])
    # Dates and solutions were set after the posts: index the topics as they now are.

    reindex(Topic.objects.filter(forum__space__in=spaces.values()))
    total = Post.objects.filter(topic__forum__space__in=ForumSpace.objects.all()).count()
    ctx.write(f"Forum: {len(spaces)} forums, {created} new topics ({posts} posts), {total} posts")


def _post(topic, author, subject, content, when):
    post = Post.objects.create(topic=topic, subject=subject, content=content, poster=author)
    Post.objects.filter(pk=post.pk).update(created=when, updated=when)
    Topic.objects.filter(pk=topic.pk).update(last_post_on=when)
    return post


def _reported_post(ctx, space) -> None:
    if Post.objects.filter(content=REPORTED).exists():
        return
    topic = Topic.objects.filter(forum=space.forum).order_by("pk").first()
    caregiver = ctx.users.get(Role.CAREGIVER)
    reporter = ctx.users.get(Role.RSSI)
    if topic is None or caregiver is None:
        return
    post = Post.objects.create(
        topic=topic, subject=f"Re: {topic.subject}", content=REPORTED, poster=caregiver
    )
    PostReport.objects.create(
        post=post, reporter=reporter, reason=ReportReason.CONFIDENTIAL,
        comment="Le message évoque un fichier de patients.",
    )  # fmt: skip


def _poll(ctx, space) -> None:
    """A poll on one discussion, with the demo members' votes (left as it is once there)."""
    topic = Topic.objects.filter(forum=space.forum, subject=POLL_TOPIC).first()
    if topic is None or TopicPoll.objects.filter(topic=topic).exists():
        return
    question, answers = POLL
    poll = TopicPoll.objects.create(topic=topic, question=question, user_changes=True)
    options = [TopicPollOption.objects.create(poll=poll, text=text) for text in answers]
    voters = [u for _role, u in sorted(ctx.users.items()) if can_post(u, space)]
    TopicPollVote.objects.bulk_create(
        TopicPollVote(poll_option=options[(1, 1, 0, 1, 2)[n % 5]], voter=voter)
        for n, voter in enumerate(voters)
    )
