"""Subscription matching (severity, establishment types, products and topics), the defaults of
the security roles and directors, the subscription page; the home page's alerts; watch items
that flag documents notify their owners; the weekly watch digest kind."""

import pytest
from django.test import Client

from alerts import services
from alerts.models import Subscription
from alerts.notifications import WATCH_DIGEST_KIND, WATCH_DOCUMENT_KIND
from portal.access import Role, Tlp
from portal.notifications import kinds
from portal.notifications.kinds import Channel
from portal.notifications.models import Notification
from portal.notifications.services import channel_for
from tests.alerts import factories
from tests.docs_base.factories import document_index, document_page
from tests.portal.factories import EstablishmentFactory, MemberFactory, home_page

pytestmark = pytest.mark.django_db


def interest(families=(), topics=(), minimum="high", types=()):
    return services.Interest(frozenset(families), frozenset(topics), minimum, frozenset(types))


class FakeAlert:
    def __init__(self, severity="high", families=(), topics=(), types=()):
        self.severity = severity
        self.product_families = frozenset(families)
        self.topics = frozenset(topics)
        self.establishment_types = frozenset(types)


@pytest.mark.parametrize(
    ("alert_severity", "minimum", "matched"),
    [
        ("critical", "high", True),
        ("high", "high", True),
        ("medium", "high", False),
        ("low", "low", True),
        ("none", "low", False),
    ],
)
def test_severity_threshold(alert_severity, minimum, matched):
    assert services.matches(interest(minimum=minimum), FakeAlert(alert_severity)) is matched


@pytest.mark.parametrize(
    ("wanted", "alert_types", "matched"),
    [
        ((), ("ehpad",), True),
        (("ch",), ("ch", "ehpad"), True),
        (("ch",), ("ehpad",), False),
        (("ch",), (), True),
    ],  # an alert for every type concerns every subscriber
)
def test_establishment_types(wanted, alert_types, matched):
    assert services.matches(interest(types=wanted), FakeAlert(types=alert_types)) is matched


@pytest.mark.parametrize(
    ("families", "topics", "alert_families", "alert_topics", "matched"),
    [
        ((), (), ("network",), (), True),  # nothing chosen: every subject
        (("network",), (), ("network", "os"), (), True),
        (("imaging",), (), ("network",), (), False),
        ((), ("ransomware",), (), ("ransomware",), True),
        (("imaging",), ("phishing",), (), ("phishing",), True),  # families or topics
        (("imaging",), ("phishing",), ("network",), ("fraud",), False),
    ],
)
def test_products_and_topics(families, topics, alert_families, alert_topics, matched):
    alert = FakeAlert(families=alert_families, topics=alert_topics)
    assert services.matches(interest(families, topics), alert) is matched


def test_subscribers_take_defaults_subscriptions_and_establishment_types(index):
    ch = EstablishmentFactory(finess="380000201", kind="ch")
    ehpad = EstablishmentFactory(finess="380000202", kind="ehpad")

    def member(role, establishment):
        return MemberFactory(profile__establishment=establishment, profile__roles={role})

    rssi_ch, director_ehpad = member(Role.RSSI, ch), member(Role.DIRECTOR, ehpad)
    caregiver = member(Role.CAREGIVER, ch)
    curious = member(Role.CAREGIVER, ehpad)
    Subscription.objects.create(user=curious, min_severity="medium", topics={"phishing"})
    quiet_rssi = member(Role.RSSI, ch)
    Subscription.objects.create(user=quiet_rssi, min_severity="critical")
    for_ch = factories.alert(severity="high", establishment_types={"ch"}, topics={"phishing"})
    assert set(services.subscribers(for_ch)) == {rssi_ch.pk, curious.pk}
    everyone = factories.alert(severity="critical", topics={"ransomware"})
    assert set(services.subscribers(everyone)) == {rssi_ch.pk, director_ehpad.pk, quiet_rssi.pk}
    medium = factories.alert(severity="medium", topics={"phishing"})
    assert set(services.subscribers(medium)) == {curious.pk}
    assert caregiver.pk not in services.subscribers(everyone)


def test_the_subscription_page_saves_the_members_choice(index, member_of):
    user = member_of(Role.CAREGIVER)
    client = Client()
    client.force_login(user)
    url = factories.alert_index().url + "abonnement/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "product_families": ["network"],
            "topics": ["ransomware"],
            "min_severity": "medium",
            "establishment_types": ["ch", "ehpad"],
        },
    )
    assert response.status_code == 302
    saved = Subscription.objects.get(user=user)
    assert (
        saved.product_families,
        saved.topics,
        saved.min_severity,
        saved.establishment_types,
    ) == (frozenset({"network"}), frozenset({"ransomware"}), "medium", frozenset({"ch", "ehpad"}))
    refused = client.post(url, {"min_severity": "extrême"})
    assert refused.status_code == 200 and "Sélectionnez un choix valide" in refused.content.decode()
    assert Subscription.objects.get(user=user).min_severity == "medium"


def test_the_home_page_lists_readable_alerts_and_what_to_acknowledge(
    index, member_of, establishment
):
    factories.alert(title="Alerte publique", tlp=Tlp.CLEAR)
    factories.alert(title="Alerte ambre à acquitter", tlp=Tlp.AMBER, establishment_types={"ch"})
    rssi, caregiver = Client(), Client()
    rssi.force_login(member_of(Role.RSSI))
    caregiver.force_login(member_of(Role.CAREGIVER))
    home = home_page().url
    rssi_page = rssi.get(home).content.decode()
    assert (
        "Alerte ambre à acquitter" in rssi_page
        and "À acquitter pour votre établissement" in rssi_page
    )
    caregiver_page = caregiver.get(home).content.decode()
    assert "Alerte publique" in caregiver_page and "Alerte ambre" not in caregiver_page


def test_a_watch_item_flagging_a_document_notifies_its_owner(index, member_of, run_tasks):
    owner = member_of(Role.EDITOR)
    rssi = member_of(Role.RSSI)
    document_index()
    document = document_page(title="Guide de sauvegarde", owner=owner)
    with run_tasks():
        item = factories.watch_item(title="Nouvelle doctrine ANSSI", documents=[document])
    flagged = Notification.objects.filter(kind=WATCH_DOCUMENT_KIND)
    assert list(flagged.values_list("user_id", flat=True)) == [owner.pk]
    digest = Notification.objects.filter(kind=WATCH_DIGEST_KIND)
    assert rssi.pk in digest.values_list("user_id", flat=True)
    assert digest.get(user=rssi).channel == Channel.WEEKLY
    assert channel_for(member_of(Role.CAREGIVER), kinds.get(WATCH_DIGEST_KIND)) == Channel.OFF
    assert item.documents.get().document_id == document.pk
