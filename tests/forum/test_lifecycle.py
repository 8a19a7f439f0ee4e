"""Forum access follows the membership at once (approval, deletion), and notifications check
access again when they are sent: a follower who lost the role gets no digest of the post."""

import pytest
from django.core import mail
from machina.apps.forum_conversation.models import Post

from forum import services
from forum.permissions import visible_forum_ids
from portal.accounts import services as membership
from portal.accounts.personal_data import delete_account
from portal.notifications import services as notifications
from portal.notifications.models import EmailState, Notification
from tests.forum.helpers import make_topic, superuser

pytestmark = pytest.mark.django_db


def test_approval_opens_the_forums_at_once(spaces, users, client_for):
    topic = make_topic(spaces["RSSI et DSI"], superuser(), "Sujet RSSI", "Texte")
    c = client_for("pending")  # a pending RSSI: reads nothing
    url = f"/~forum/topic/{topic.pk}/"
    assert c.get("/~forum/").status_code == 404 and c.get(url).status_code == 404
    membership.approve(users["pending"].member_profile, users["regional_admin"])
    assert c.get("/~forum/").status_code == 200
    assert c.get(url).status_code == 200  # the same session, no group edited


def test_deletion_closes_the_forums_and_keeps_the_posts_signed_former_member(
    spaces, users, client_for
):
    caregiver = users["caregiver"]
    post, _ = services.start_topic(caregiver, spaces["Général"], "Mon sujet", "Mon texte")
    url = f"/~forum/topic/{post.topic_id}/"
    c = client_for("caregiver")
    assert c.get(url).status_code == 200
    delete_account(caregiver)
    assert visible_forum_ids(caregiver) == frozenset()
    assert c.get(url).status_code in (302, 404)
    page = client_for("rssi").get(url)
    assert "Mon texte" in page.text and "ancien membre" in page.text
    assert Post.objects.filter(pk=post.pk, poster=caregiver).exists()


def test_digests_check_access_again_when_sent(spaces, users, django_capture_on_commit_callbacks):
    rssi, moderator = users["rssi"], users["moderator"]
    secret = spaces["RSSI et DSI"]
    for follower in (rssi, moderator):
        services.follow_forum(follower, secret, True)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_topic(superuser(), secret, "Choix EDR jetonvert", "Retour jetonvert")
    queued = Notification.objects.filter(kind="forum.topic", email_state=EmailState.PENDING)
    assert set(queued.values_list("user_id", flat=True)) == {rssi.pk, moderator.pk}
    assert {n.channel for n in queued} <= {"daily", "weekly"}  # digests: sent later
    profile = rssi.member_profile  # the RSSI role is withdrawn before the daily digest
    profile.roles = {"caregiver"}
    profile.save()
    mail.outbox.clear()
    assert notifications.send_digest(rssi.pk, queued.get(user=rssi).channel) == 0
    assert notifications.send_digest(moderator.pk, queued.get(user=moderator).channel) == 1
    assert [m.to for m in mail.outbox] == [[moderator.email]]
    assert Notification.objects.get(user=rssi).email_state == EmailState.WITHHELD
