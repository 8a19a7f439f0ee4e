"""The topic page's cached post cards (``forum.fragments``): served again to readers with the
same flags, never stale (an edit, a hide, a solution changes the card), never another reader's
variant, never for readers whose cards carry forms."""

import pytest
from django.core.cache import cache

from forum import services
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


def test_readers_with_forms_on_cards_are_never_served_from_the_cache(spaces, users, client_for):
    cache.clear()
    topic = make_topic(spaces["Général"], users["caregiver"], "Sujet", "Question", replies=2)
    url = f"/~forum/topic/{topic.pk}/"
    client_for("rssi").get(url)  # cards cached for plain readers
    for who in ("moderator", "caregiver"):  # hide forms; the topic's author marks the solution
        page = client_for(who).get(url)
        assert _cards_rendered(page) == 3, who
        last_card = page.text.split("<article")[-1]
        assert "csrfmiddlewaretoken" in last_card, who
