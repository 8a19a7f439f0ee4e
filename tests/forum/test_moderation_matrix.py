"""Moderation actions, every forum x the 9 test users (and anonymous): only forum moderators
hide, lock, move, approve, see the history and handle reports; anyone who reads the forum
reports; the solution is the author's or a moderator's. Others get 404 and nothing changes."""

import pytest
from machina.apps.forum_conversation.models import Post, Topic

from forum.models import PostReport, PostState, ReportStatus, TopicState
from tests.forum.helpers import make_topic, superuser
from tests.forum.test_access import MODERATORS, READERS
from tests.portal.url_matrix import USERS

pytestmark = pytest.mark.django_db


def _state(topic, answer, waiting, report) -> tuple:
    topic = Topic.objects.get(pk=topic.pk)
    return (
        topic.status,
        topic.forum_id,
        PostState.objects.filter(post=answer, hidden=True).exists(),
        Post.objects.get(pk=waiting.pk).approved,
        PostReport.objects.get(pk=report.pk).status,
        TopicState.objects.filter(topic=topic, solution__isnull=False).exists(),
    )


def test_moderation_matrix(spaces, users, client_for):
    root = superuser()
    failures = []
    for name, space in spaces.items():
        topic = make_topic(space, root, f"Sujet {name}", "Question", replies=1)
        answer = topic.posts.order_by("pk").last()
        waiting = Post.objects.create(
            topic=topic, subject="Re", content="En attente", poster=root, approved=False
        )
        report = PostReport.objects.create(post=answer, reporter=root, reason="spam")
        other = next(s for s in spaces.values() if s.pk != space.pk)
        initial = _state(topic, answer, waiting, report)
        for who in USERS:
            c = client_for(who)
            moderates = who in MODERATORS
            reads = who in READERS[name]
            denied = 302 if who == "anonymous" else 404

            def check(what, response, want, who=who, name=name):
                if response.status_code != want:
                    failures.append(f"{who} {name} {what}: {response.status_code}, want {want}")

            ok = 200 if moderates else denied
            check("history", c.get(f"/~forum/post/{answer.pk}/history/"), ok)
            done = 302 if moderates else denied
            actions = [  # the report first: hiding the post upholds it
                ("handle", f"/~forum/moderation/report/{report.pk}/", {"uphold": "0"}),
                ("hide", f"/~forum/post/{answer.pk}/hide/", {"on": "1", "reason": "Hors sujet"}),
                ("lock", f"/~forum/topic/{topic.pk}/lock/", {"on": "1"}),
                ("move", f"/~forum/topic/{topic.pk}/move/", {"forum": other.forum_id}),
                ("approve", f"/~forum/post/{waiting.pk}/approve/", {}),
            ]
            for what, url, data in actions:
                check(what, c.post(url, data), done)
            solution = c.post(f"/~forum/post/{answer.pk}/solution/")
            check("solution", solution, 302 if reads else denied)
            changed = _state(topic, answer, waiting, report) != initial
            if changed != moderates:
                failures.append(f"{who} {name}: changed {changed}")
            reported = c.post(f"/~forum/post/{answer.pk}/report/", {"reason": "abusive"})
            check("report", reported, 302 if reads else denied)
            made = PostReport.objects.filter(post=answer, reporter=users[who]).exists()
            if who != "anonymous" and made != reads:
                failures.append(f"{who} {name}: report made {made}")
            # Back to the initial state for the next user.
            Topic.objects.filter(pk=topic.pk).update(
                status=Topic.TOPIC_UNLOCKED, forum_id=space.forum_id
            )
            PostState.objects.filter(post=answer).delete()
            Post.objects.filter(pk=waiting.pk).update(approved=False)
            PostReport.objects.filter(pk=report.pk).update(status=ReportStatus.OPEN)
            TopicState.objects.filter(topic=topic).delete()
    assert not failures, "\n".join(failures)
