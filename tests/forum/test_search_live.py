"""The unified search follows the forum live: a new reply, an edit, a hidden post, a moved topic
change what members find at once; the "Forum" section filters on its facets (forum, solved)."""

import pytest
from django.urls import reverse

from forum import services
from tests.portal.factories import home_page

pytestmark = pytest.mark.django_db


def _found(client, word, **facets) -> str:
    page = client.get(reverse("search:results"), {"q": word, **facets})
    assert page.status_code == 200
    return page.text


def test_post_edit_hide_and_move_reindex_at_once(spaces, users, client_for):
    home_page()
    rssi, caregiver, moderator = users["rssi"], users["caregiver"], users["moderator"]
    post, _ = services.start_topic(rssi, spaces["Général"], "Sauvegardes", "Question pingouin")
    url = reverse("community:topic", args=[post.topic_id])
    reader = client_for("caregiver")
    assert url in _found(reader, "pingouin")
    answer, _ = services.reply(caregiver, post.topic, "Réponse girafe")
    assert url in _found(reader, "girafe")
    services.edit_post(caregiver, answer, "Réponse hippopotame")
    assert url in _found(reader, "hippopotame") and url not in _found(reader, "girafe")
    services.set_hidden(moderator, answer, True, "Hors sujet")
    assert url not in _found(reader, "hippopotame") and url in _found(reader, "pingouin")
    services.set_hidden(moderator, answer, False)
    assert url in _found(reader, "hippopotame")
    services.move_topic(moderator, post.topic, spaces["RSSI et DSI"])
    assert url not in _found(reader, "pingouin")
    assert url in _found(client_for("rssi"), "pingouin")


def test_forum_and_solved_facets(spaces, users, client_for):
    home_page()
    rssi, caregiver = users["rssi"], users["caregiver"]
    general, medico = spaces["Général"], spaces["Médico-social"]
    solved, _ = services.start_topic(rssi, general, "EDR résolu", "Question ornithorynque")
    answer, _ = services.reply(caregiver, solved.topic, "Réponse ornithorynque")
    services.mark_solution(rssi, answer)
    open_post, _ = services.start_topic(rssi, general, "EDR ouvert", "Autre ornithorynque")
    solved_url = reverse("community:topic", args=[solved.topic_id])
    open_url = reverse("community:topic", args=[open_post.topic_id])
    c = client_for("rssi")
    everything = _found(c, "ornithorynque")
    assert solved_url in everything and open_url in everything
    only_solved = _found(c, "ornithorynque", solved="yes")
    assert solved_url in only_solved and open_url not in only_solved
    only_open = _found(c, "ornithorynque", solved="no")
    assert open_url in only_open and solved_url not in only_open
    assert solved_url in _found(c, "ornithorynque", forum=str(general.forum_id))
    assert solved_url not in _found(c, "ornithorynque", forum=str(medico.forum_id))
