"""Bad input on the alerts' routes: a French message and nothing changes, or a 404 as for a
missing object; never a 500 (ids beyond what the database holds included)."""

import pytest
from django.test import Client

from alerts.models import Acknowledgement, Subscription
from portal.access import Role, Tlp
from tests.alerts import factories

pytestmark = pytest.mark.django_db

HUGE = "9" * 23  # beyond a 64-bit integer


def _client(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_ids_beyond_the_database_range_answer_404(index, member_of, establishment):
    alert = factories.alert(tlp=Tlp.AMBER, establishment_types={"ch"})
    referent = _client(member_of(Role.ARS_REFERENT))
    rssi = _client(member_of(Role.RSSI))
    for client, path in (
        (referent, f"tableau-de-bord/{HUGE}/"),
        (referent, f"tableau-de-bord/{HUGE}/csv/"),
        (rssi, f"acquitter/{HUGE}/{establishment.pk}/"),
        (rssi, f"acquitter/{alert.pk}/{HUGE}/"),
    ):
        assert client.get(index.url + path).status_code == 404, path
        assert client.post(index.url + path, {"status": "fixed"}).status_code == 404, path
    assert not Acknowledgement.objects.exists()


def test_bad_filters_and_pages_are_ignored(index, member_of):
    factories.alert(title="Alerte filtrée")
    referent = _client(member_of(Role.ARS_REFERENT))
    for path in (
        "?severity=extrême&status=%00&tlp=rouge&page=abc",
        "?page=999999",
        "veille/?categorie='x&page=-1",
        "tableau-de-bord/?page=zz",
    ):
        assert referent.get(index.url + path).status_code == 200, path
    assert "Alerte filtrée" in referent.get(index.url + "?severity=zzz").content.decode()


def test_a_bad_acknowledgement_or_subscription_is_refused_in_french(
    index, member_of, establishment
):
    alert = factories.alert(tlp=Tlp.AMBER, establishment_types={"ch"})
    rssi = _client(member_of(Role.RSSI))
    url = index.url + f"acquitter/{alert.pk}/{establishment.pk}/"
    html = rssi.post(url, {"status": "réparé", "note": "n" * 2001}).content.decode()
    assert "Sélectionnez un choix valide" in html
    assert "Assurez-vous que cette valeur comporte au plus 2000 caractères" in html
    assert not Acknowledgement.objects.exists()
    response = rssi.post(index.url + "abonnement/", {"min_severity": "low", "topics": ["ovni"]})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Subscription.objects.exists()
