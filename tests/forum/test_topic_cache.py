"""The topic page's cached post cards (``forum.fragments``): served again to readers with the
same flags, never stale (an edit, a hide changes the card), never another reader's variant;
cards with forms carry each reader's own CSRF token."""

import re

import pytest
from django.core.cache import cache
from machina.apps.forum_conversation.models import Post, Topic

from forum import fragments, services
from tests.forum.helpers import make_topic

pytestmark = pytest.mark.django_db

CARD = "forum/includes/post.html"


def _cards_rendered(response) -> int:
    return sum(1 for t in response.templates if t.name == CARD)


def test_cards_are_rendered_once_and_follow_every_change(spaces, users, client_for):
    cache.clear()
    topic = make_topic(spaces["Général"], users["caregiver"], "Sujet", "Question initiale")
    answer, _ = services.reply(users["other_establishment"], topic, "Réponse d'origine")
    url = f"/~forum/topic/{topic.pk}/"
    rssi, impostor = client_for("rssi"), client_for("impostor")
    first = rssi.get(url)
    assert _cards_rendered(first) == 2 and "Réponse d'origine" in first.text
    again = impostor.get(url)  # another plain reader: the same cards, from the cache
    assert _cards_rendered(again) == 0 and "Réponse d'origine" in again.text
    assert f"/~forum/post/{answer.pk}/report/" in again.text
    # The author's own card differs (edit link, no report link): another variant.
    own = client_for("other_establishment").get(url)
    assert f"/~forum/post/{answer.pk}/edit/" in own.text
    assert f"/~forum/post/{answer.pk}/report/" not in own.text
    assert f"/~forum/post/{answer.pk}/edit/" not in impostor.get(url).text
    services.edit_post(users["other_establishment"], answer, "Réponse corrigée")
    edited = rssi.get(url)
    assert "Réponse corrigée" in edited.text and "Réponse d'origine" not in edited.text
    services.set_hidden(users["moderator"], answer, True, "Hors sujet")
    hidden = rssi.get(url)
    assert "Réponse corrigée" not in hidden.text and "forum-post--hidden" in hidden.text
    author = client_for("other_establishment").get(url)
    assert "Réponse corrigée" in author.text and "Hors sujet" in author.text
    services.set_hidden(users["moderator"], answer, False)
    assert "Réponse corrigée" in rssi.get(url).text


def test_cards_with_forms_are_cached_with_each_readers_own_token(spaces, users):
    from django.test import Client

    cache.clear()
    topic = make_topic(spaces["Général"], users["caregiver"], "Sujet", "Question", replies=2)
    url = f"/~forum/topic/{topic.pk}/"
    reply = topic.posts.order_by("pk").last()
    for who in ("moderator", "regional_admin", "caregiver"):  # hide forms; solution forms
        client = Client(enforce_csrf_checks=True)
        client.force_login(users[who])
        page = client.get(url)
        assert str(fragments.PLACEHOLDER) not in page.text
        last_card = page.text.split("<article")[-1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', last_card)[1]
        if who == "caregiver":  # the topic's author marks the solution with the card's token
            done = client.post(f"/~forum/post/{reply.pk}/solution/", {"csrfmiddlewaretoken": token})
            assert done.status_code == 302
            assert services.solution_of(Topic.objects.get(pk=topic.pk)) == reply
        elif who == "moderator":  # the moderator hides with the card's token
            done = client.post(
                f"/~forum/post/{reply.pk}/hide/",
                {"csrfmiddlewaretoken": token, "on": "1", "reason": "Doublon"},
            )
            assert done.status_code == 302
            assert services.post_visible_text(Post.objects.get(pk=reply.pk), None)[0]
        else:  # the moderator's cards, from the cache, with its own token (but the reply's,
            # changed by the hide)
            assert _cards_rendered(page) == 1
            assert (
                client.post(
                    f"/~forum/post/{reply.pk}/hide/",
                    {"csrfmiddlewaretoken": token, "on": "0"},
                ).status_code
                == 302
            )
    assert not services.post_visible_text(Post.objects.get(pk=reply.pk), None)[0]
