"""Mention autocompletion, in a reply and while starting a topic, offers only members who may
read the forum (every forum x the test users for the forum-level suggestions); names with
accents are found and notified from what members type without them."""

import pytest
from django.urls import reverse

from forum import services
from portal.notifications.models import Notification
from tests.forum.helpers import make_topic, superuser
from tests.forum.test_access import READERS
from tests.portal.url_matrix import USERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(users):
    for who, (first, last) in {
        "rssi": ("Rémi", "Sécu"),
        "caregiver": ("Rachel", "Soin"),
        "moderator": ("Marc", "Modo"),
    }.items():
        users[who].first_name, users[who].last_name = first, last
        users[who].save()
    return users


def _handles(response) -> set:
    return {member["handle"] for member in response.json()["members"]}


def test_suggestions_while_starting_a_topic_every_forum_and_user(spaces, named, client_for):
    failures = []
    for name, space in spaces.items():
        url = reverse("community:forum_mentions", args=[space.forum_id])
        for who in USERS:
            response = client_for(who).get(url, {"q": "ré"})
            want = 302 if who == "anonymous" else 200 if who in READERS[name] else 404
            if response.status_code != want:
                failures.append(f"{who} {name}: {response.status_code}, want {want}")
    assert not failures, "\n".join(failures)
    moderator = client_for("moderator")
    secret = reverse("community:forum_mentions", args=[spaces["RSSI et DSI"].forum_id])
    general = reverse("community:forum_mentions", args=[spaces["Général"].forum_id])
    # Rémi (RSSI) reads the RSSI forum; Rachel (caregiver) does not: she is never offered there.
    assert _handles(moderator.get(secret, {"q": "r"})) == set()  # two letters at least
    assert _handles(moderator.get(secret, {"q": "ré"})) == {"remi-secu"}
    assert _handles(moderator.get(secret, {"q": "ra"})) == set()
    assert _handles(moderator.get(general, {"q": "ra"})) == {"rachel-soin"}


def test_the_editors_ask_the_right_audience(spaces, named, client_for):
    c = client_for("rssi")
    secret = spaces["RSSI et DSI"]
    form = c.get(reverse("community:new_topic", args=[secret.forum_id])).text
    assert (
        f'data-mentions-url="{reverse("community:forum_mentions", args=[secret.forum_id])}"' in form
    )
    topic = make_topic(secret, superuser(), "Sujet", "Texte")
    page = c.get(reverse("community:topic", args=[topic.pk])).text
    assert f'data-mentions-url="{reverse("community:mentions", args=[topic.pk])}"' in page
    assert _handles(c.get(reverse("community:mentions", args=[topic.pk]), {"q": "ra"})) == set()


def test_accented_names_are_found_and_notified_without_accents(
    spaces, users, client_for, django_capture_on_commit_callbacks
):
    caregiver = users["caregiver"]
    caregiver.first_name, caregiver.last_name = "Élodie", "Hérault"
    caregiver.save()
    topic = make_topic(spaces["Général"], users["rssi"], "Sujet", "Texte")
    url = reverse("community:mentions", args=[topic.pk])
    c = client_for("rssi")
    for typed in ("elo", "Élo", "@élodie", "hera", "elodie-h"):
        assert _handles(c.get(url, {"q": typed})) == {"elodie-herault"}, typed
    assert _handles(c.get(url, {"q": "elx"})) == set()
    with django_capture_on_commit_callbacks(execute=True):
        _post, unknown = services.reply(users["rssi"], topic, "Merci @elodie-herault !")
    assert unknown == []
    assert Notification.objects.filter(user=caregiver, kind="forum.mention").count() == 1
