"""Bounded query counts: the forum index, a forum's topic list, a topic of 200 posts, the
moderation queue."""

import pytest
from machina.apps.forum_conversation.models import Post

from forum.models import PostReport
from tests.forum.helpers import make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(spaces, users):
    general = spaces["Général"]
    for n in range(30):
        make_topic(general, users["rssi"], f"Sujet {n}", "Question", replies=1)
    big = make_topic(general, users["rssi"], "Long sujet", "Question")
    Post.objects.bulk_create(
        Post(topic=big, subject="Re", content=f"Réponse {n}", poster=users["caregiver"],
             _content_rendered=f"<p>Réponse {n}</p>")
        for n in range(199)
    )  # fmt: skip
    big.update_trackers()
    return general, big


def test_index_list_and_topic_are_bounded(busy, client_for, django_assert_max_num_queries):
    general, big = busy
    c = client_for("caregiver")
    c.get("/~forum/")  # warm the session and caches
    with django_assert_max_num_queries(8):
        assert c.get("/~forum/").status_code == 200
    with django_assert_max_num_queries(16):
        assert c.get(f"/~forum/{general.forum_id}/").status_code == 200
    for page in (1, 4):
        with django_assert_max_num_queries(13):
            response = c.get(f"/~forum/topic/{big.pk}/", {"page": page})
        assert response.status_code == 200
        assert response.text.count('class="fr-card fr-card--no-arrow') >= 50


def test_moderation_queue_is_bounded(spaces, users, client_for, django_assert_max_num_queries):
    general = spaces["Général"]
    for n in range(25):
        topic = make_topic(general, users["caregiver"], f"Signalé {n}", "Question", replies=1)
        PostReport.objects.create(post=topic.posts.last(), reporter=users["rssi"], reason="spam")
        newcomer = users["other_establishment"]
        Post.objects.create(
            topic=topic, subject="Re", content=f"Attente {n}", poster=newcomer, approved=False
        )
    c = client_for("moderator")
    c.get("/~forum/moderation/")
    with django_assert_max_num_queries(12):
        page = c.get("/~forum/moderation/")
    assert page.text.count("forum-post__content") == 50
