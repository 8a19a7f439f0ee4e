"""The forum's pages in the per-audience page cache (``forum.personal``): never another
audience's copy, never stale after a change in the forum, the reader's own parts rendered for
each reader (follow buttons, post actions, hidden text for its author, own messages awaiting
approval, CSRF tokens), moderators' pages never cached, bounded queries on a hit."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from machina.apps.forum_conversation.models import Post, Topic

from forum import fragments, services
from portal import page_cache
from portal.access import Role
from tests.forum.helpers import make_topic
from tests.portal.factories import MemberFactory

pytestmark = pytest.mark.django_db

CANARY = "canary-7f3a91-rssi-only"


def _topic_url(topic) -> str:
    return f"/~forum/topic/{topic.pk}/"


def _hit(response) -> bool:
    return response.get("X-Page-Cache") == "hit"


@pytest.fixture
def colleague(users):
    """A second caregiver of the caregiver's establishment: the same audience."""
    profile = users["caregiver"].member_profile
    return MemberFactory(
        username="colleague@forum.example",
        first_name="Camille",
        last_name="Collègue",
        profile__establishment=profile.establishment,
        profile__roles={Role.CAREGIVER},
    )


def _client(user, csrf=False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def test_another_audience_never_gets_a_cached_copy(spaces, users, client_for, caplog):
    private = spaces["RSSI et DSI"]
    topic = make_topic(private, users["rssi"], f"Sujet {CANARY}", f"Texte {CANARY}")
    rssi = client_for("rssi")
    urls = (_topic_url(topic), f"/~forum/{private.forum_id}/", "/~forum/")
    for url in urls:  # warm every copy, twice: the second is a hit
        assert rssi.get(url).status_code == 200
        again = rssi.get(url)
        assert _hit(again) and CANARY in again.text or url == "/~forum/"
    caregiver = client_for("caregiver")
    caplog.clear()
    assert caregiver.get(urls[0]).status_code == 404
    assert caregiver.get(urls[1]).status_code == 404
    assert caplog.text.count("restricted_content_denied") >= 2  # 404 and logged
    index = caregiver.get("/~forum/")
    assert index.status_code == 200 and "RSSI et DSI" not in index.text
    assert CANARY not in index.text
    assert "RSSI et DSI" in rssi.get("/~forum/").text


def test_a_member_of_the_same_audience_shares_the_copy_with_their_own_parts(
    spaces, users, colleague
):
    topic = make_topic(spaces["Général"], users["caregiver"], "Sujet partagé", "Question")
    answer, _ = services.reply(colleague, topic, "Réponse de la collègue")
    services.follow_topic(colleague, topic, False)  # replying followed it
    services.follow_topic(users["caregiver"], topic, True)
    url = _topic_url(topic)
    author, other = _client(users["caregiver"]), _client(colleague)
    first = author.get(url)
    assert not _hit(first)
    assert "Ne plus suivre ce sujet" in first.text
    second = other.get(url)
    assert _hit(second)  # the author's copy, with the colleague's own parts
    assert "Suivre ce sujet" in second.text and "Ne plus suivre ce sujet" not in second.text
    edit, report = f"/~forum/post/{answer.pk}/edit/", f"/~forum/post/{answer.pk}/report/"
    solution = f"/~forum/post/{answer.pk}/solution/"
    assert edit in second.text and report not in second.text and solution not in second.text
    again = author.get(url)
    assert _hit(again)
    assert edit not in again.text and report in again.text
    assert solution in again.text  # the topic's author marks the solution
    assert f"/~forum/topic/{topic.pk}/poll/new/" in again.text
    assert "/poll/new/" not in second.text
    # Never a moderator's control in a member's copy.
    for page in (first, second, again):
        assert "/hide/" not in page.text and "/history/" not in page.text
        assert "/lock/" not in page.text and "/move/" not in page.text


def test_csrf_tokens_are_each_readers_own_and_work(spaces, users, colleague):
    topic = make_topic(spaces["Général"], users["caregiver"], "Sujet", "Question", replies=1)
    reply = topic.posts.order_by("pk").last()
    url = _topic_url(topic)
    author, other = _client(users["caregiver"], csrf=True), _client(colleague, csrf=True)
    author.get(url)
    page = other.get(url)
    assert _hit(page)
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text))
    assert tokens and page_cache.CSRF_PLACEHOLDER not in page.text
    assert str(fragments.PLACEHOLDER) not in page.text
    author_page = author.get(url)
    author_tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', author_page.text))
    assert not tokens & author_tokens
    token = tokens.pop()
    sent = other.post(f"{url}reply/", {"csrfmiddlewaretoken": token, "content": "Merci !"})
    assert sent.status_code == 302
    token = author_tokens.pop()
    done = author.post(f"/~forum/post/{reply.pk}/solution/", {"csrfmiddlewaretoken": token})
    assert done.status_code == 302
    assert services.solution_of(Topic.objects.get(pk=topic.pk)) == reply


def test_changes_are_visible_on_the_next_request(spaces, users, colleague):
    topic = make_topic(spaces["Général"], users["caregiver"], "Sujet vivant", "Question")
    url, forum_url = _topic_url(topic), f"/~forum/{spaces['Général'].forum_id}/"
    reader = _client(colleague)
    for page in (url, forum_url, "/~forum/"):
        reader.get(page)
        assert _hit(reader.get(page))
    answer, _ = services.reply(users["rssi"], topic, "Nouvelle réponse")
    page = reader.get(url)
    assert not _hit(page) and "Nouvelle réponse" in page.text
    assert _hit(reader.get(url))
    services.edit_post(users["rssi"], answer, "Réponse corrigée")
    assert "Réponse corrigée" in reader.get(url).text
    services.mark_solution(users["caregiver"], answer)
    page = reader.get(url)
    assert "La solution" in page.text or "fr-callout--green-emeraude" in page.text
    assert "Résolu" in reader.get(forum_url).text
    services.set_hidden(users["moderator"], answer, True, "Hors sujet")
    page = reader.get(url)
    assert "Réponse corrigée" not in page.text and "forum-post--hidden" in page.text
    assert "Hors sujet" not in page.text  # the reason is for the author
    author = _client(users["rssi"])
    own = author.get(url)
    assert "Réponse corrigée" in own.text and "Hors sujet" in own.text
    services.set_hidden(users["moderator"], answer, False)
    assert "Réponse corrigée" in reader.get(url).text
    services.set_locked(users["moderator"], topic, True)
    assert 'id="reply"' not in reader.get(url).text
    new = make_topic(spaces["Général"], users["rssi"], "Un tout nouveau sujet", "Texte")
    assert new.subject in reader.get(forum_url).text


def test_own_messages_awaiting_approval_are_their_authors_only(spaces, users, colleague):
    topic = make_topic(spaces["Général"], users["caregiver"], "Sujet", "Question")
    waiting = Post.objects.create(
        topic=topic, subject="Re", content="En attente de validation", poster=colleague,
        approved=False,
    )  # fmt: skip
    pending_topic = make_topic(spaces["Général"], colleague, "Sujet en attente", "Texte")
    Topic.objects.filter(pk=pending_topic.pk).update(approved=False)
    forum_url = f"/~forum/{spaces['Général'].forum_id}/"
    author, other = _client(colleague), _client(users["caregiver"])
    for warmer in (other, author):  # whoever fills the copy
        cache.clear()
        page_cache.reset()
        warmer.get(_topic_url(topic))
        warmer.get(forum_url)
        mine, theirs = author.get(_topic_url(topic)), other.get(_topic_url(topic))
        assert "En attente de validation" in mine.text and f"post-{waiting.pk}" in mine.text
        assert "En attente de validation" not in theirs.text
        assert "Sujet en attente" in author.get(forum_url).text
        assert "Sujet en attente" not in other.get(forum_url).text


def test_moderators_pages_are_never_cached(spaces, users, client_for):
    topic = make_topic(spaces["Général"], users["caregiver"], "Sujet", "Question", replies=1)
    url = _topic_url(topic)
    moderator = client_for("moderator")
    for _ in range(2):
        page = moderator.get(url)
        assert not _hit(page) and "/hide/" in page.text and "/lock/" in page.text
    member = client_for("caregiver").get(url)
    assert "/hide/" not in member.text and "/lock/" not in member.text


def test_my_topics_and_flash_messages_bypass_the_cache(spaces, users, colleague):
    topic = make_topic(spaces["Général"], users["caregiver"], "Sujet de Dominique", "Question")
    forum_url = f"/~forum/{spaces['Général'].forum_id}/"
    author, other = _client(users["caregiver"]), _client(colleague)
    mine = f"{forum_url}?filter=mine"
    assert topic.subject in author.get(mine).text
    page = other.get(mine)
    assert not _hit(page) and topic.subject not in page.text
    other.get(_topic_url(topic))
    followed = other.post(f"/~forum/topic/{topic.pk}/follow/", {"on": "1"}, follow=True)
    assert not _hit(followed) and "Vous suivez ce sujet" in followed.text
    assert "Ne plus suivre ce sujet" in followed.text
    after = other.get(_topic_url(topic))
    assert "Vous suivez ce sujet" not in after.text and "Ne plus suivre ce sujet" in after.text


def test_a_hit_reads_little(spaces, users, colleague, django_assert_max_num_queries):
    topic = make_topic(spaces["Général"], users["caregiver"], "Long", "Question", replies=49)
    forum_url = f"/~forum/{spaces['Général'].forum_id}/"
    author, other = _client(users["caregiver"]), _client(colleague)
    for url in ("/~forum/", forum_url, _topic_url(topic)):
        author.get(url)
        other.get(url)  # the session warmed
    # The session and user, then: nothing (index), the forum's follow state and own pending
    # topics (forum), the topic's follow and pending state (topic).
    for url, most in (("/~forum/", 3), (forum_url, 5), (_topic_url(topic), 4)):
        with django_assert_max_num_queries(most):
            page = other.get(url)
        assert _hit(page), url
    assert page.text.count('class="fr-card fr-card--no-arrow') == 50
