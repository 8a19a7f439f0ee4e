"""The TLP marking is the one source of an alert's access fields, whatever path saves it: a
marking that needs a recipient establishment and has none is refused (in French, in the model
and the admin), and fails closed (nobody may view) where the checks are skipped."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from alerts.models import AlertPage
from portal.access import AccessLevel, Role, Tlp
from tests.alerts import factories
from tests.portal.factories import UserFactory, with_mfa

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("tlp", [Tlp.AMBER_STRICT, Tlp.RED])
def test_a_recipient_marking_without_a_recipient_is_refused_by_the_model(index, tlp):
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        factories.alert(title="Sans destinataire", tlp=tlp, establishment=None)
    assert refused.value.message_dict["establishment"] == [
        "Ce marquage TLP nécessite un établissement destinataire."
    ]
    assert not AlertPage.objects.exists()


@pytest.mark.parametrize("tlp", [Tlp.AMBER_STRICT, Tlp.RED])
def test_raising_the_marking_unchecked_never_keeps_the_former_access(index, tlp, member_of):
    """A save that skips the model's checks (``clean=False``, as Wagtail's page copy does)
    with no recipient fails closed: nobody but superusers may view."""
    alert = factories.alert(title="Marquage relevé", tlp=Tlp.CLEAR)
    assert alert.access_level == AccessLevel.PUBLIC
    alert.tlp = tlp
    alert.save(clean=False)
    alert.refresh_from_db()
    assert (alert.access_level, alert.establishment_id) == (AccessLevel.ESTABLISHMENT, None)
    for user in (None, member_of(Role.RSSI), member_of(Role.DIRECTOR)):
        client = _client(user)
        assert client.get(alert.url).status_code == 404
        assert "Marquage relevé" not in client.get(index.url).content.decode()


def test_the_admin_refuses_a_red_alert_without_a_recipient_in_french(index):
    user = with_mfa(UserFactory(username="root@gcs.example", is_staff=True, is_superuser=True))
    client = _client(user)
    add = reverse("wagtailadmin_pages:add", args=["alerts", "alertpage", index.pk])
    response = client.post(
        add,
        {
            "title": "Exfiltration",
            "slug": "exfiltration",
            "reference": "ALERTE-2026-900",
            "status": "new",
            "tlp": "red",
            "severity": "critical",
            "source": "cert_sante",
            "summary": "Résumé",
            "products-TOTAL_FORMS": "0",
            "products-INITIAL_FORMS": "0",
            "products-MIN_NUM_FORMS": "0",
            "products-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "Ce marquage TLP nécessite un établissement destinataire." in response.content.decode()
    assert not AlertPage.objects.exists()
