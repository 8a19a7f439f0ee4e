"""In the portal: the unread count, the list, marking read; the one-click unsubscribe."""

import re

import pytest
from django.core import mail
from django.test import Client

from portal.notifications import services
from portal.notifications.kinds import Channel
from portal.notifications.models import Notification, Preference
from tests.notifications.conftest import ALERT, NEWS, SECRET_TITLE

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def notify(run_tasks, kind, obj, users, **options):
    with run_tasks():
        services.notify(kind, obj, users, **options)


def test_header_count_list_and_mark_read(run_tasks, test_kinds, rssi, public_doc):
    services.set_preferences(rssi, {NEWS: Channel.PORTAL})
    for n in range(3):
        notify(run_tasks, NEWS, public_doc, [rssi], title=f"Nouvelle {n}")
    client = logged_in(rssi)
    html = client.get("/").content.decode()
    assert re.search(r"Notifications <span[^>]*>3<span class=\"fr-sr-only\"> non lue\(s\)", html)
    page = client.get("/notifications/").content.decode()
    assert page.index("Nouvelle 2") < page.index("Nouvelle 0")  # newest first
    first = Notification.objects.get(title="Nouvelle 0")
    assert client.post(f"/notifications/{first.pk}/lu/").status_code == 302
    assert services.unread_count(rssi) == 2
    response = client.post("/notifications/tout-lu/", follow=True)
    assert "Toutes vos notifications sont marquées comme lues." in response.content.decode()
    assert services.unread_count(rssi) == 0
    assert "Notifications <span" not in client.get("/").content.decode()
    assert client.get(f"/notifications/{first.pk}/lu/").status_code == 405  # POST only


def test_a_member_cannot_read_or_open_another_members_notification(
    run_tasks, test_kinds, rssi, caregiver, public_doc
):
    notify(run_tasks, NEWS, public_doc, [rssi], title="À moi")
    mine = Notification.objects.get(user=rssi)
    other = logged_in(caregiver)
    assert other.get(f"/notifications/{mine.pk}/ouvrir/").status_code == 404
    other.post(f"/notifications/{mine.pk}/lu/")
    assert Notification.objects.get(pk=mine.pk).read_at is None
    assert "À moi" not in other.get("/notifications/").content.decode()


def test_open_redirects_to_the_object_and_marks_it_read_while_access_lasts(
    run_tasks, test_kinds, rssi, secret_doc
):
    notify(run_tasks, ALERT, secret_doc, [rssi])
    item = Notification.objects.get()
    client = logged_in(rssi)
    response = client.get(f"/notifications/{item.pk}/ouvrir/")
    assert response.status_code == 302 and response["Location"].endswith(secret_doc.url)
    assert Notification.objects.get().read_at is not None
    profile = rssi.member_profile
    profile.roles = {"caregiver"}
    profile.save()
    client = logged_in(rssi)
    assert client.get(f"/notifications/{item.pk}/ouvrir/").status_code == 404
    assert SECRET_TITLE not in client.get("/notifications/").content.decode()


def test_the_list_page_runs_a_bounded_number_of_queries(
    run_tasks, test_kinds, rssi, public_doc, secret_doc, django_assert_max_num_queries
):
    services.set_preferences(rssi, {NEWS: Channel.PORTAL})
    for n in range(30):
        notify(run_tasks, NEWS, public_doc if n % 2 else secret_doc, [rssi], title=f"N{n}")
    client = logged_in(rssi)
    client.get("/notifications/")
    with django_assert_max_num_queries(12):
        response = client.get("/notifications/")
    assert response.content.decode().count("portal-notification--") == 30


# --- Unsubscribe --------------------------------------------------------------------------------


def unsubscribe_link(message) -> str:
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http://127.0.0.1:8000/notifications/desabonnement/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = header.strip("<>")
    assert url in message.body and url.replace("&", "&amp;") in message.alternatives[0][0]
    return url.removeprefix("http://127.0.0.1:8000")


def test_one_click_unsubscribe_turns_off_that_kind_only_without_login(
    run_tasks, test_kinds, rssi, public_doc
):
    services.set_preferences(rssi, {ALERT: Channel.DAILY})
    notify(run_tasks, NEWS, public_doc, [rssi])
    path = unsubscribe_link(mail.outbox[0])
    anonymous = Client(enforce_csrf_checks=True)
    # Opening the link (or a link scanner) only shows what will happen.
    page = anonymous.get(path)
    assert page.status_code == 200 and "Nouvelle de test" in page.content.decode()
    assert not Preference.objects.filter(user=rssi, kind=NEWS).exists()
    # RFC 8058: the mail client posts "List-Unsubscribe=One-Click", with no session nor token.
    done = anonymous.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "vous ne recevrez plus ces notifications" in done.content.decode()
    assert dict(Preference.objects.filter(user=rssi).values_list("kind", "channel")) == {
        NEWS: Channel.OFF,
        ALERT: Channel.DAILY,
    }
    mail.outbox.clear()
    notify(run_tasks, NEWS, public_doc, [rssi])
    assert mail.outbox == [] and services.unread_count(rssi) == 1  # the first one only


def test_a_digest_unsubscribes_from_the_kinds_it_carries(run_tasks, test_kinds, rssi, public_doc):
    from portal.notifications import jobs

    services.set_preferences(rssi, {NEWS: Channel.DAILY, ALERT: Channel.DAILY})
    notify(run_tasks, NEWS, public_doc, [rssi])
    notify(run_tasks, ALERT, public_doc, [rssi])
    with run_tasks():
        jobs.get("notifications.daily_digest").run()
    Client().post(unsubscribe_link(mail.outbox[0]))
    assert set(Preference.objects.filter(user=rssi).values_list("channel", flat=True)) == {"off"}


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # signature
        lambda token: token.replace(token.split(":")[0], token.split(":")[0][::-1]),  # payload
        lambda token: "n-importe-quoi",
    ],
)
def test_a_tampered_unsubscribe_link_is_refused_and_changes_nothing(
    run_tasks, test_kinds, rssi, public_doc, tamper
):
    notify(run_tasks, NEWS, public_doc, [rssi])
    path = unsubscribe_link(mail.outbox[0])
    token = path.rstrip("/").rsplit("/", 1)[-1]
    bad = path.replace(token, tamper(token))
    for method in ("get", "post"):
        response = getattr(Client(), method)(bad)
        assert response.status_code == 400
        assert "Ce lien de désabonnement n'est pas valide" in response.content.decode()
    assert not Preference.objects.exists()


def test_a_token_for_another_salt_is_refused(rssi, test_kinds):
    from django.core import signing

    forged = signing.dumps({"u": rssi.pk, "k": [NEWS]}, salt="another.purpose")
    assert Client().post(f"/notifications/desabonnement/{forged}/").status_code == 400
    assert not Preference.objects.exists()
