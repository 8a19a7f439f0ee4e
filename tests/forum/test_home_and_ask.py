"""The home page lists the latest discussions the reader may view; the search page's "ask the
community" (shown when nothing is found) leads to a new topic titled with the query."""

from html import unescape

import pytest
from django.urls import reverse

from forum import services
from tests.portal.factories import home_page

pytestmark = pytest.mark.django_db


def test_home_lists_the_latest_discussions_the_reader_may_view(spaces, users, client_for):
    home_page()
    rssi = users["rssi"]
    services.start_topic(rssi, spaces["RSSI et DSI"], "Choix EDR privé", "Texte")
    services.start_topic(rssi, spaces["Général"], "MFA ouvert à tous", "Texte")
    for who, expected, hidden in (
        ("rssi", {"Choix EDR privé", "MFA ouvert à tous"}, set()),
        ("caregiver", {"MFA ouvert à tous"}, {"Choix EDR privé"}),
        ("pending", set(), {"Choix EDR privé", "MFA ouvert à tous"}),
    ):
        home = unescape(client_for(who).get("/").text)
        assert 'href="/~forum/"' in home, who  # the header's entry
        assert all(title in home for title in expected), who
        assert not any(title in home for title in hidden), who


def test_ask_the_community_from_the_search_page(spaces, client_for):
    home_page()
    c = client_for("caregiver")
    results = c.get(reverse("search:results"), {"q": "stockage des clés"})
    assert results.status_code == 200
    link = reverse("community:index") + "?ask=stockage+des+cl%C3%A9s"
    assert f'href="{link}"' in results.text
    ask = c.get(link, follow=True)
    assert ask.status_code == 200
    general = spaces["Général"]
    new_topic = reverse("community:new_topic", args=[general.forum_id])
    assert f"{new_topic}?q=stockage%20des%20cl%C3%A9s" in ask.text
    assert reverse("community:new_topic", args=[spaces["RSSI et DSI"].forum_id]) not in ask.text
    assert reverse("community:new_topic", args=[spaces["Annonces"].forum_id]) not in ask.text
    form = c.get(new_topic, {"q": "stockage des clés"})
    assert 'value="stockage des clés"' in form.text
