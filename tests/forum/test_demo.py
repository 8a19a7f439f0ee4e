import pytest
from machina.apps.forum_conversation.forum_polls.models import TopicPoll, TopicPollVote
from machina.apps.forum_conversation.models import Post, Topic

from forum.demo.loader import build_forum
from forum.models import ForumSpace, PostReport, ReportStatus, TopicState
from portal import demo
from portal.demo import accounts

pytestmark = pytest.mark.django_db


def _build():
    ctx = demo.DemoContext(demo_mode=False, password="", write=lambda _msg: None)
    accounts.build_establishments(ctx)
    accounts.build_users(ctx)
    build_forum(ctx)


def _counts():
    return (ForumSpace.objects.count(), Topic.objects.count(), Post.objects.count(),
            PostReport.objects.count())  # fmt: skip


def test_demo_forum_is_realistic_and_idempotent():
    _build()
    spaces, topics, posts, reports = _counts()
    assert spaces == 6 and topics >= 40 and posts >= 150
    assert TopicState.objects.filter(solution__isnull=False).count() >= 10
    assert Post.objects.filter(content__contains="@").count() >= 4
    assert PostReport.objects.filter(status=ReportStatus.OPEN).count() == 1
    poll = TopicPoll.objects.get()
    assert poll.options.count() == 3 and TopicPollVote.objects.count() >= 5
    assert set(ForumSpace.objects.values_list("name", flat=True)) == {
        "Général", "RSSI et DSI", "Directions", "DPO et données personnelles",
        "Médico-social", "Annonces",
    }  # fmt: skip
    _build()
    assert _counts() == (spaces, topics, posts, reports)
    assert TopicPoll.objects.count() == 1
