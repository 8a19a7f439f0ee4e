"""A token in a private RSSI-forum post never reaches a caregiver: pages, search, suggestions,
home, notifications, e-mails, counts. The RSSI is the control."""

import pytest
from django.core import mail
from django.urls import reverse

from forum import services
from portal.notifications.models import Notification
from tests.portal.factories import home_page

pytestmark = pytest.mark.django_db

CANARY = "zorglubforum"


@pytest.fixture
def secret(spaces, users, django_capture_on_commit_callbacks):
    home_page()
    caregiver, rssi = users["caregiver"], users["rssi"]
    caregiver.first_name, caregiver.last_name = "Claire", "Soin"
    caregiver.save()
    services.follow_forum(caregiver, spaces["Général"], True)
    with django_capture_on_commit_callbacks(execute=True):
        post, _ = services.start_topic(
            rssi, spaces["RSSI et DSI"], f"Choix EDR {CANARY}", f"Retour {CANARY} @claire-soin"
        )
        services.reply(rssi, post.topic, f"Complément {CANARY}")
    return post


def seen_by(client, post) -> str:
    seen = [client.get(url).text for url in ("/", reverse("community:index"))]
    for space_id in (post.topic.forum_id, *range(1, 8)):
        seen.append(client.get(f"/~forum/{space_id}/").text)
    # Words of the private post other than the token (a search page shows its own query).
    for word in ("choix edr", "complément", "retour"):
        seen.append(client.get(reverse("search:results"), {"q": word}).text)
        seen.append(client.get(reverse("search:suggestions"), {"q": word[:6]}).text)
    seen.append(client.get(reverse("notifications:list")).text)
    seen.append(f"status:{client.get(f'/~forum/topic/{post.topic_id}/').status_code}")
    seen.append(f"status:{client.get(f'/~forum/post/{post.pk}/').status_code}")
    return "\n".join(seen)


def test_the_token_reaches_no_caregiver(secret, users, client_for):
    seen = seen_by(client_for("caregiver"), secret)
    assert CANARY not in seen
    assert "status:200" not in seen and "status:302" not in seen
    assert "RSSI et DSI" not in seen  # not even the forum's name, nor its counts
    caregiver = users["caregiver"]
    assert not Notification.objects.filter(user=caregiver).exists()
    assert not [m for m in mail.outbox if caregiver.email in m.to]
    assert all(CANARY not in m.body for m in mail.outbox if caregiver.email in m.to)
    assert (
        "0 résultat" in client_for("caregiver").get(reverse("search:results"), {"q": CANARY}).text
    )


def test_the_rssi_sees_it_through_the_same_channels(secret, client_for):
    seen = seen_by(client_for("rssi"), secret)
    assert CANARY in seen
    assert "1 résultat" in client_for("rssi").get(reverse("search:results"), {"q": CANARY}).text
