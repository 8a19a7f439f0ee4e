"""The TLP matrix: each marking x the 9 test users of the URL matrix, for the alert page, the
search page, the suggestions, the feeds, the e-mails, the home page and the dashboard; and the
canary: a token in a TLP:RED alert reaches only its recipients, through every channel."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from alerts.models import Subscription
from portal.access import Tlp
from portal.notifications.models import Notification
from tests.alerts import factories
from tests.portal.factories import home_page
from tests.portal.url_matrix import USERS, build_users, establishments

pytestmark = pytest.mark.django_db

APPROVED = {
    "caregiver",
    "impostor",
    "other_establishment",
    "rssi",
    "moderator",
    "editor",
    "regional_admin",
}
OF_ESTABLISHMENT_A = {"caregiver", "impostor", "rssi", "moderator", "editor", "regional_admin"}
# Who may read an alert of each marking (TLP:AMBER+STRICT and TLP:RED are for establishment A).
READERS = {
    Tlp.CLEAR: set(USERS),
    Tlp.GREEN: APPROVED,
    Tlp.AMBER: {"rssi"},  # the impostor's RSSI and director roles are only claimed
    Tlp.AMBER_STRICT: OF_ESTABLISHMENT_A,
    Tlp.RED: {"rssi"},
}
# Who follows it on the exposure dashboard: regional roles, for what they may view on the
# portal, and staff (editor, regional administrator) for what the admin shows them.
DASHBOARD = {
    Tlp.CLEAR: {"moderator", "editor", "regional_admin"},
    Tlp.GREEN: {"moderator", "editor", "regional_admin"},
    Tlp.AMBER: {"editor", "regional_admin"},
    Tlp.AMBER_STRICT: {"moderator", "editor", "regional_admin"},
    Tlp.RED: set(),
}


@pytest.fixture
def users():
    home_page()
    factories.alert_index()
    built = build_users(*establishments())
    # Everyone subscribes to every alert: only the access model decides who gets the e-mail.
    for user in built.values():
        if user is not None:
            Subscription.objects.create(user=user, min_severity="low")
    return built


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _marked_alert(tlp, users, token, run_tasks):
    establishment_a = users["caregiver"].member_profile.establishment
    needs_recipient = tlp in (Tlp.AMBER_STRICT, Tlp.RED)
    with run_tasks():
        alert = factories.alert(
            title=f"{token} titre",
            tlp=tlp,
            establishment=establishment_a if needs_recipient else None,
            summary=f"{token}-RESUME détails",
            actions=f"{token}-ACTION isoler",
            severity="critical",
        )
    return alert


def _shows(client, url, token, **params):
    response = client.get(url, params)
    return response.status_code == 200 and token in response.content.decode()


@pytest.mark.parametrize("tlp", list(Tlp))
def test_each_marking_reaches_exactly_its_readers_through_every_channel(tlp, users, run_tasks):
    token = f"CANARI{tlp.value.replace('_', '').upper()}"
    alert = _marked_alert(tlp, users, token, run_tasks)
    index = factories.alert_index()
    readers, failures = READERS[tlp], []
    for who in USERS:
        client = _client(users[who])
        may_read = who in readers
        page = client.get(alert.url)
        expected_status = 200 if may_read else 404
        if page.status_code != expected_status:
            failures.append(f"page as {who}: {page.status_code}")
        checks = {
            "list": (_shows(client, index.url, token), may_read),
            # The search page repeats the query: the result is its link to the alert.
            "search": (_shows(client, reverse("search:results"), alert.url, q=token), may_read),
            "suggestions": (
                _shows(client, reverse("search:suggestions"), alert.url, q=token[:8]),
                may_read,
            ),
            "rss": (_shows(client, index.url + "flux/rss/", token), tlp == Tlp.CLEAR),
            "atom": (_shows(client, index.url + "flux/atom/", token), tlp == Tlp.CLEAR),
            "home": (_shows(client, home_page().url, token), may_read),
            "dashboard": (
                _shows(client, index.url + "tableau-de-bord/", token),
                who in DASHBOARD[tlp],
            ),
        }
        failures += [
            f"{channel} as {who}: shown={shown}, expected {expected}"
            for channel, (shown, expected) in checks.items()
            if shown != expected
        ]
    # E-mails: to the readers who are approved members, never anyone else.
    recipients = {m.to[0] for m in mail.outbox}
    expected_mail = {
        users[who].email for who in readers if who not in {"anonymous", "unverified", "pending"}
    }
    if recipients != expected_mail:
        failures.append(f"e-mails to {sorted(recipients)}, expected {sorted(expected_mail)}")
    for message in mail.outbox:
        text = message.body + "".join(str(part[0]) for part in message.alternatives)
        carries_text = f"{token}-RESUME" in text
        carries_title = f"{token} titre" in text or token in message.subject
        if tlp == Tlp.CLEAR and not (carries_text and f"{token}-ACTION" in text):
            failures.append("a TLP:CLEAR e-mail carries the text and the actions")
        if tlp == Tlp.GREEN and not (carries_title and carries_text):
            failures.append("a TLP:GREEN e-mail carries the title and the summary")
        if tlp == Tlp.GREEN and f"{token}-ACTION" in text:
            failures.append("a TLP:GREEN e-mail carries no more than the summary")
        if tlp not in (Tlp.CLEAR, Tlp.GREEN):
            if token in text or token in message.subject:
                failures.append(f"a {tlp.label} e-mail carries metadata only")
            if alert.reference not in text or tlp.label not in text:
                failures.append(f"a {tlp.label} e-mail gives the reference and the marking")
    assert not failures, "\n".join(failures)


def test_canary_in_a_red_alert_reaches_only_its_recipients(users, run_tasks):
    token = "CANARI-ROUGE-5d1a"
    alert = _marked_alert(Tlp.RED, users, token, run_tasks)
    # Only the recipient establishment's RSSI is notified, and their e-mail holds no token.
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "rssi@matrix.example"
    }
    assert [m.to for m in mail.outbox] == [["rssi@matrix.example"]]
    message = mail.outbox[0]
    assert token not in message.subject + message.body + message.alternatives[0][0]
    assert alert.reference in message.body and "TLP:RED" in message.body
    index = factories.alert_index()
    for who in set(USERS) - {"rssi"}:
        client = _client(users[who])
        for url, params in (
            (alert.url, {}),
            (index.url, {}),
            (index.url + "flux/rss/", {}),
            (index.url + "flux/atom/", {}),
            (index.url + "tableau-de-bord/", {}),
            (index.url + f"tableau-de-bord/{alert.pk}/", {}),
            (index.url + f"tableau-de-bord/{alert.pk}/csv/", {}),
            (reverse("search:suggestions"), {"q": "CANARI"}),
            (home_page().url, {}),
            (reverse("notifications:list"), {}),
        ):
            response = client.get(url, params)
            assert token not in response.content.decode(), f"{url} as {who}"
        # The search page repeats the query, never the alert.
        results = client.get(reverse("search:results"), {"q": token}).content.decode()
        assert alert.url not in results and "RESUME" not in results, who
    reader = _client(users["rssi"])
    assert token in reader.get(alert.url).content.decode()
    assert alert.url in reader.get(reverse("search:results"), {"q": token}).content.decode()
