"""Forum moderators: reports and first posts from every forum reach their queue (with counts),
and they suspend a post's author through the portal's membership flow, from the queue."""

import pytest
from django.core import mail
from django.urls import reverse
from machina.apps.forum_conversation.models import Post

from forum.models import PostReport, ReportStatus
from portal.accounts.models import MemberProfile, MemberStatus
from portal.notifications.models import Notification
from tests.forum.helpers import make_topic
from tests.portal.url_matrix import USERS

pytestmark = pytest.mark.django_db

MODERATORS = {"moderator", "regional_admin"}


def test_private_forums_reports_and_first_posts_reach_the_moderators(spaces, users, client_for):
    secret = make_topic(spaces["RSSI et DSI"], users["rssi"], "Sujet privé", "Question privée")
    reported = secret.posts.get()
    PostReport.objects.create(post=reported, reporter=users["rssi"], reason="spam")
    medico = make_topic(spaces["Médico-social"], users["other_establishment"], "EHPAD", "Q")
    waiting = Post.objects.create(
        topic=medico, subject="Re", content="Premier message", poster=users["other_establishment"],
        approved=False,
    )  # fmt: skip
    for who in MODERATORS:
        c = client_for(who)
        queue = c.get(reverse("community:moderation"))
        assert "Question privée" in queue.text and "Premier message" in queue.text, who
        assert "1 report waiting" in queue.text or "1 signalement en attente" in queue.text
        index = c.get(reverse("community:index"))
        assert "2 items waiting" in index.text or "2 éléments en attente" in index.text
    for who in ("caregiver", "rssi", "editor"):
        assert client_for(who).get(reverse("community:moderation")).status_code == 404
    moderator = client_for("moderator")
    assert moderator.get(f"/~forum/topic/{secret.pk}/").status_code == 200
    report = PostReport.objects.get()
    moderator.post(f"/~forum/moderation/report/{report.pk}/", {"uphold": "0"})
    assert PostReport.objects.get().status == ReportStatus.DISMISSED
    moderator.post(f"/~forum/post/{waiting.pk}/approve/")
    waiting.refresh_from_db()
    assert waiting.approved


def test_suspending_an_author_from_the_forum(
    spaces, users, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    topic = make_topic(spaces["Général"], users["caregiver"], "Sujet", "Message abusif")
    post = topic.posts.get()
    PostReport.objects.create(post=post, reporter=users["rssi"], reason="abusive")
    url = reverse("community:suspend_author", args=[post.pk])
    for who in USERS:
        got = client_for(who).get(url).status_code
        want = 302 if who == "anonymous" else 200 if who in MODERATORS else 404
        assert got == want, who
    queue = client_for("moderator").get(reverse("community:moderation"))
    assert url in queue.text
    # The membership management page is for regional administrators only: linked for them.
    assert reverse("membership:queue") not in queue.text
    admin_queue = client_for("regional_admin").get(reverse("community:moderation"))
    assert reverse("membership:queue") in admin_queue.text
    moderator = client_for("moderator")
    author = client_for("caregiver")
    assert author.get(f"/~forum/topic/{topic.pk}/").status_code == 200
    empty = moderator.post(url, {"reason": "  "})
    assert empty.status_code == 200 and "fr-error-text" in empty.text
    profile = MemberProfile.objects.get(user=users["caregiver"])
    assert profile.status == MemberStatus.APPROVED
    with django_capture_on_commit_callbacks(execute=True):
        done = moderator.post(url, {"reason": "Propos injurieux répétés."})
    assert done.status_code == 302
    profile.refresh_from_db()
    assert profile.status == MemberStatus.SUSPENDED
    assert profile.decided_by == users["moderator"]
    assert "Propos injurieux répétés." in mailoutbox[-1].body
    assert author.get(f"/~forum/topic/{topic.pk}/").status_code in (302, 404)
    assert moderator.get(url).status_code == 404  # no longer an approved member


@pytest.mark.parametrize("author", ["editor", "regional_admin", "moderator"])
def test_staff_are_not_suspended_from_the_forum(spaces, users, client_for, author):
    topic = make_topic(spaces["Général"], users[author], "Sujet", "Texte")
    post = topic.posts.get()
    url = reverse("community:suspend_author", args=[post.pk])
    for who in MODERATORS:
        assert client_for(who).post(url, {"reason": "Essai"}).status_code == 404
    assert MemberProfile.objects.get(user=users[author]).status == MemberStatus.APPROVED
    assert not mail.outbox


def test_every_reporter_is_told_the_outcome_from_the_queue_or_the_topic(
    spaces, users, client_for, django_capture_on_commit_callbacks
):
    topic = make_topic(spaces["Général"], users["other_establishment"], "Sujet", "Question")
    hidden = Post.objects.create(topic=topic, subject="Re", content="Spam", poster=users["editor"])
    kept = Post.objects.create(topic=topic, subject="Re", content="Correct", poster=users["editor"])
    reporters = ("caregiver", "rssi")
    for post in (hidden, kept):
        for who in reporters:
            PostReport.objects.create(post=post, reporter=users[who], reason="spam")
    moderator = client_for("moderator")
    with django_capture_on_commit_callbacks(execute=True):  # hidden from the topic page
        moderator.post(f"/~forum/post/{hidden.pk}/hide/", {"on": "1", "reason": "Publicité"})
    with django_capture_on_commit_callbacks(execute=True):  # dismissed from the queue
        report = PostReport.objects.filter(post=kept).first()
        moderator.post(f"/~forum/moderation/report/{report.pk}/", {"uphold": "0"})
    assert set(PostReport.objects.filter(post=hidden).values_list("status", flat=True)) == {
        ReportStatus.UPHELD
    }
    assert set(PostReport.objects.filter(post=kept).values_list("status", flat=True)) == {
        ReportStatus.DISMISSED
    }
    for who in reporters:
        told = Notification.objects.filter(user=users[who], kind="forum.report_outcome")
        assert told.count() == 2, who
    assert "0 signalement en attente" in moderator.get(reverse("community:moderation")).text
