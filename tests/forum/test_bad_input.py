"""Bad input on the forum's pages: a clear French message and nothing changed, or 404; never a
500 (the test client raises on a server error)."""

from html import unescape

import pytest
from machina.apps.forum_conversation.models import Post, Topic

from forum.models import PostReport, PostState, TopicState
from tests.forum.helpers import make_topic

pytestmark = pytest.mark.django_db

BEYOND = "99999999999999999999"  # more than any database integer
ID_ROUTES = [
    "/~forum/{id}/", "/~forum/{id}/new/", "/~forum/topic/{id}/", "/~forum/topic/{id}/reply/",
    "/~forum/topic/{id}/poll/", "/~forum/topic/{id}/poll/new/", "/~forum/topic/{id}/mentions/",
    "/~forum/post/{id}/", "/~forum/post/{id}/edit/", "/~forum/post/{id}/report/",
    "/~forum/post/{id}/history/", "/~forum/post/{id}/suspend/", "/~forum/attachment/{id}/",
]  # fmt: skip
POST_ROUTES = [
    "/~forum/{id}/follow/", "/~forum/topic/{id}/follow/", "/~forum/topic/{id}/lock/",
    "/~forum/topic/{id}/move/", "/~forum/post/{id}/solution/", "/~forum/post/{id}/hide/",
    "/~forum/post/{id}/approve/", "/~forum/moderation/report/{id}/",
]  # fmt: skip


@pytest.mark.parametrize("who", ["caregiver", "moderator"])
def test_ids_beyond_the_database_answer_404(spaces, users, client_for, who):
    c = client_for(who)
    for route in ID_ROUTES:
        assert c.get(route.format(id=BEYOND)).status_code == 404, route
    for route in POST_ROUTES:
        assert c.post(route.format(id=BEYOND), {"on": "1"}).status_code == 404, route


def test_bad_forms_say_why_in_french_and_change_nothing(spaces, users, client_for):
    general = spaces["Général"]
    topic = make_topic(general, users["rssi"], "Sujet", "Question", replies=1)
    answer = topic.posts.order_by("pk").last()
    posts = Post.objects.count()
    c = client_for("caregiver")
    nul = c.post(f"/~forum/topic/{topic.pk}/reply/", {"content": "a\x00b"})
    assert nul.status_code == 200 and "caractère nul n’est pas autorisé" in nul.text
    untitled = c.post(f"/~forum/{general.forum_id}/new/", {"subject": "", "content": "x"})
    assert untitled.status_code == 200 and "Donnez un titre à votre sujet." in untitled.text
    no_reason = c.post(f"/~forum/post/{answer.pk}/report/", {"reason": ""})
    assert no_reason.status_code == 200 and "Choisissez un motif." in no_reason.text
    question = client_for("rssi").post(f"/~forum/post/{topic.first_post_id}/solution/", follow=True)
    assert "La solution est une réponse, pas la question." in question.text
    assert c.get(f"/~forum/topic/{topic.pk}/mentions/", {"q": "\x00ré"}).json() == {"members": []}
    assert c.get(f"/~forum/topic/{topic.pk}/", {"page": "abc"}).status_code == 200
    assert c.get(f"/~forum/{general.forum_id}/", {"filter": "x", "page": "-3"}).status_code == 200
    moderator = client_for("moderator")
    moved = moderator.post(f"/~forum/topic/{topic.pk}/move/", {"forum": "abc"}, follow=True)
    assert "Choisissez le forum où déplacer le sujet." in moved.text
    hidden = moderator.post(
        f"/~forum/post/{answer.pk}/hide/", {"on": "1", "reason": " "}, follow=True
    )
    assert "Indiquez le motif montré à l'auteur." in unescape(hidden.text)
    poll = moderator.post(
        f"/~forum/topic/{topic.pk}/poll/new/",
        {"question": "Q", "options": "Oui", "max_options": "x"},
    )
    assert poll.status_code == 200 and "Indiquez de 2 à 10 réponses différentes" in poll.text
    assert Post.objects.count() == posts and not PostReport.objects.exists()
    assert not PostState.objects.filter(hidden=True).exists()
    assert Topic.objects.get(pk=topic.pk).forum_id == general.forum_id


def test_a_hidden_or_unapproved_reply_cannot_be_the_solution(spaces, users, client_for):
    topic = make_topic(spaces["Général"], users["caregiver"], "Sujet", "Question", replies=1)
    hidden = topic.posts.order_by("pk").last()
    PostState.objects.create(post=hidden, hidden=True, hidden_reason="Hors sujet")
    waiting = Post.objects.create(
        topic=topic, subject="Re", content="En attente", poster=users["rssi"], approved=False
    )
    # The author does not see another member's unapproved reply: 404.
    for who, post in (("caregiver", hidden), ("moderator", hidden), ("moderator", waiting)):
        page = client_for(who).post(f"/~forum/post/{post.pk}/solution/", follow=True)
        assert "ne peut pas être la solution" in page.text, (who, post.pk)
    assert client_for("caregiver").post(f"/~forum/post/{waiting.pk}/solution/").status_code == 404
    assert not TopicState.objects.filter(topic=topic).exists()
    visible = Post.objects.create(topic=topic, subject="Re", content="Oui", poster=users["rssi"])
    client_for("caregiver").post(f"/~forum/post/{visible.pk}/solution/")
    assert TopicState.objects.get(topic=topic).solution == visible
