"""Acknowledgements: only the establishment's own approved RSSI, DSI and director write; a URL
with another establishment's id answers 404; notes are read by the establishment itself and the
regional roles only; the establishment sees its history; reminders of critical alerts."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from alerts import notifications, services
from alerts.models import Acknowledgement
from portal.access import Role, Tlp
from portal.accounts.models import MemberStatus
from portal.notifications.models import Notification
from tests.alerts import factories
from tests.portal.factories import EstablishmentFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _url(alert, establishment):
    return factories.alert_index().url + f"acquitter/{alert.pk}/{establishment.pk}/"


@pytest.fixture
def alert(index):
    return factories.alert(title="Faille VPN", tlp=Tlp.AMBER, establishment_types={"ch"})


@pytest.mark.parametrize("role", [Role.RSSI, Role.DSI, Role.DIRECTOR])
def test_the_establishments_security_roles_and_director_record_an_answer(
    role, alert, member_of, establishment
):
    client = _client(member_of(role))
    assert client.get(_url(alert, establishment)).status_code == 200
    response = client.post(_url(alert, establishment), {"status": "fixed", "note": "Patché."})
    assert response.status_code == 302
    ack = Acknowledgement.objects.get()
    assert (ack.alert_id, ack.establishment_id, ack.status, ack.note) == (
        alert.pk,
        establishment.pk,
        "fixed",
        "Patché.",
    )


def test_nobody_else_writes_and_other_ids_answer_404(
    alert, member_of, establishment, other_establishment
):
    other_rssi = member_of(Role.RSSI, establishment=other_establishment)
    pending = MemberFactory(
        profile__establishment=establishment,
        profile__roles={Role.RSSI},
        profile__status=MemberStatus.PENDING,
    )
    refused = [
        (member_of(Role.CAREGIVER), establishment),
        (member_of(Role.DPO), establishment),
        (member_of(Role.ARS_REFERENT), establishment),
        (member_of(Role.REGIONAL_ADMIN), establishment),
        (pending, establishment),
        (other_rssi, establishment),  # another establishment's RSSI, on ours
        (member_of(Role.RSSI), other_establishment),  # our RSSI, on another's id
    ]
    for user, target in refused:
        client = _client(user)
        assert client.get(_url(alert, target)).status_code == 404
        assert client.post(_url(alert, target), {"status": "fixed"}).status_code == 404
    assert not Acknowledgement.objects.exists()
    anonymous = Client().get(_url(alert, establishment))
    assert anonymous.status_code == 302


def test_an_alert_that_does_not_concern_the_establishment_answers_404(
    index, member_of, establishment, other_establishment
):
    rssi = member_of(Role.RSSI)
    ehpad_only = factories.alert(tlp=Tlp.AMBER, establishment_types={"ehpad"})
    red_for_other = factories.alert(tlp=Tlp.RED, establishment=other_establishment)
    client = _client(rssi)
    assert client.get(_url(ehpad_only, establishment)).status_code == 404
    assert client.get(_url(red_for_other, establishment)).status_code == 404
    assert (
        client.get(factories.alert_index().url + f"acquitter/99999/{establishment.pk}/").status_code
        == 404
    )


def test_a_bad_answer_is_refused_with_a_message_and_nothing_changes(
    alert, member_of, establishment
):
    client = _client(member_of(Role.RSSI))
    response = client.post(_url(alert, establishment), {"status": "n'importe quoi"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Acknowledgement.objects.exists()


def test_notes_are_read_by_the_establishment_and_the_regional_roles_only(
    alert, member_of, establishment, other_establishment
):
    services.record(alert, establishment, member_of(Role.RSSI), "in_progress", "NOTE-SECRETE-42")
    index = factories.alert_index()
    own = _client(member_of(Role.DIRECTOR))
    assert "NOTE-SECRETE-42" in own.get(alert.url).content.decode()
    assert "NOTE-SECRETE-42" in own.get(index.url + "acquittements/").content.decode()
    regional = _client(member_of(Role.ARS_REFERENT, establishment=other_establishment))
    dashboard = index.url + f"tableau-de-bord/{alert.pk}/"
    assert "NOTE-SECRETE-42" in regional.get(dashboard).content.decode()
    assert "NOTE-SECRETE-42" in regional.get(dashboard + "csv/").content.decode()
    outsider = _client(member_of(Role.RSSI, establishment=other_establishment))
    for url in (alert.url, index.url + "acquittements/", dashboard, dashboard + "csv/", index.url):
        response = outsider.get(url)
        assert "NOTE-SECRETE-42" not in response.content.decode(), url
    assert outsider.get(dashboard).status_code == 404


def test_the_history_shows_every_answer_latest_first(alert, member_of, establishment):
    rssi = member_of(Role.RSSI)
    client = _client(rssi)
    client.post(_url(alert, establishment), {"status": "taken"})
    client.post(_url(alert, establishment), {"status": "fixed", "note": "Mise à jour faite"})
    statuses = list(Acknowledgement.objects.values_list("status", flat=True))
    assert statuses == ["fixed", "taken"]
    page = client.get(factories.alert_index().url + "acquittements/").content.decode()
    assert page.index("Mise à jour faite") < page.index("Pris en compte")
    assert services.current_answers(alert)[establishment.pk].status == "fixed"


def test_the_history_is_for_the_establishments_security_roles(index, member_of):
    url = factories.alert_index().url + "acquittements/"
    assert _client(member_of(Role.CAREGIVER)).get(url).status_code == 404
    assert _client(member_of(Role.DSI)).get(url).status_code == 200


def test_reminders_go_to_establishments_silent_on_a_critical_alert(
    index, member_of, establishment, run_tasks, settings
):
    settings.ALERTS_REMINDER_DAYS = 3
    silent_rssi = member_of(Role.RSSI)
    answered = EstablishmentFactory(finess="380000049", kind="ch")
    answered_rssi = member_of(Role.RSSI, establishment=answered)
    old = timezone.now() - datetime.timedelta(days=5)
    critical = factories.alert(severity="critical", establishment_types={"ch"}, published_at=old)
    factories.alert(severity="critical", title="Trop récente")  # published now: not due
    factories.alert(severity="high", published_at=old)  # not critical
    factories.acknowledgement(critical, answered, "taken")
    Notification.objects.all().delete()
    with run_tasks():
        count = notifications.send_reminders()
    assert count == 1
    reminded = Notification.objects.filter(kind=notifications.REMINDER_KIND)
    assert list(reminded.values_list("user_id", "target_id")) == [
        (silent_rssi.pk, str(critical.pk))
    ]
    assert answered_rssi.pk not in reminded.values_list("user_id", flat=True)
    with run_tasks():
        notifications.send_reminders()  # the same week: nobody is reminded twice
    assert reminded.count() == 1


def test_the_reminder_delay_is_the_setting(index, establishment, settings):
    old = timezone.now() - datetime.timedelta(days=5)
    alert = factories.alert(severity="critical", establishment_types={"ch"}, published_at=old)
    settings.ALERTS_REMINDER_DAYS = 7
    assert services.overdue() == []
    settings.ALERTS_REMINDER_DAYS = 4
    assert [(due.pk, missing) for due, missing in services.overdue()] == [
        (alert.pk, [establishment.pk])
    ]
