"""Severity from CVSS 3.1 and 4.0 vectors (the ``cvss`` package); bad vectors and CVE
identifiers are refused with a French message, in the model and in the admin."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from alerts.models import AlertPage
from alerts.severity import parse_cvss, split_cves, validate_cves
from tests.alerts import factories
from tests.portal.factories import UserFactory, with_mfa

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("vector", "version", "score", "severity"),
    [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "3.1", 9.8, "critical"),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", "3.1", 8.8, "high"),
        ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N", "3.1", 4.4, "medium"),
        ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", "3.1", 1.6, "low"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", "3.1", 0.0, "none"),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "4.0", 9.3, "critical"),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N", "4.0", 7.1, "high"),
        ("CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N", "4.0", 4.8, "medium"),
    ],
)
def test_vectors_give_the_base_score_and_severity(vector, version, score, severity):
    parsed = parse_cvss(vector)
    assert (parsed.version, parsed.score, parsed.severity) == (version, score, severity)


@pytest.mark.parametrize(
    ("vector", "message"),
    [
        ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "commence par CVSS:3.1/ ou CVSS:4.0/"),
        ("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "commence par CVSS:3.1/ ou CVSS:4.0/"),
        (
            "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "Ce vecteur CVSS n'est pas valide : valeur inconnue : AV:X",
        ),
        (
            "CVSS:3.1/AV:N/AC:L/PR:N",
            "n'est pas valide : il manque les métriques obligatoires UI, S, C, I, A",
        ),
        (
            "CVSS:4.0/AV:N/AC:L/AT:N",
            "il manque les métriques obligatoires PR, UI, VC, VI, VA, SC, SI, SA",
        ),
        (
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:Z",
            "n'est pas valide : valeur inconnue : SA:Z",
        ),
        (
            "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "une métrique est donnée deux fois : AV",
        ),
        ("CVSS:4.0/XX:N/AC:L", "métrique inconnue : XX:N"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y", "métrique inconnue : XX:Y"),
        ("CVSS:3.1/AVN/AC:L", "une métrique n'est pas écrite MÉTRIQUE:VALEUR : AVN"),
        ("CVSS:3.1/", "le vecteur est mal formé"),
        ("CVSS:3.1//AV:N", "le vecteur est mal formé"),
    ],
)
def test_bad_vectors_are_rejected_in_french(vector, message):
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        parse_cvss(vector)
    text = " ".join(refused.value.messages)
    assert message in text
    # Nothing of the cvss package's English messages reaches the reader.
    for english in ("Unknown", "Missing", "Duplicate", "Malformed", "Invalid", "Empty"):
        assert english not in text


def test_cve_identifiers_are_normalised_and_checked():
    assert split_cves("cve-2026-1234, CVE-2025-123456\nCVE-2024-0001") == [
        "CVE-2026-1234",
        "CVE-2025-123456",
        "CVE-2024-0001",
    ]
    validate_cves("CVE-2026-1234\nCVE-2025-123456")
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        validate_cves("CVE-2026-1234, CVE-26-1, CVE2026-1234")
    assert "Identifiant CVE non valide" in refused.value.messages[0]
    assert "CVE-26-1, CVE2026-1234" in refused.value.messages[0]


def test_the_saved_alert_takes_its_severity_from_the_vector(index):
    alert = factories.alert(
        severity="low",
        cvss_vector="CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    )
    assert (alert.severity, alert.cvss_score, alert.cvss_version) == (
        "critical",
        Decimal("9.3"),
        "4.0",
    )
    without = factories.alert(severity="medium")
    assert (without.severity, without.cvss_score) == ("medium", None)


def _admin_data(**overrides):
    data = nested_form_data(
        {
            "title": "Faille FortiOS",
            "slug": "faille-fortios",
            "reference": "ALERTE-2026-100",
            "status": "new",
            "tlp": "clear",
            "cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "severity": "medium",
            "cves": "CVE-2026-24858",
            "source": "cert_fr",
            "source_reference": "CERTFR-2026-ALE-001",
            "source_url": "https://www.cert.ssi.gouv.fr/",
            "summary": "Une vulnérabilité critique touche FortiOS.",
            "actions": "Appliquer le correctif",
            "workarounds": "",
            "change_note": "",
            "products": inline_formset(
                [
                    {
                        "vendor": "Fortinet",
                        "product": "FortiOS",
                        "versions": "7.0 à 7.4",
                        "fixed_in": "",
                    }
                ]
            ),
            "action-publish": "publish",
        }
    )
    data.update(product_families=["network"], establishment_types=["ch"])
    data.update(overrides)
    return data


@pytest.fixture
def admin_client():
    user = with_mfa(UserFactory(username="admin@gcs.example", is_staff=True, is_superuser=True))
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_refuses_a_bad_vector_or_cve_with_a_french_message(index, admin_client):
    add = reverse("wagtailadmin_pages:add", args=["alerts", "alertpage", index.pk])
    response = admin_client.post(
        add, _admin_data(cvss_vector="CVSS:3.1/AV:Q/AC:L", cves="CVE-2026-1, CVE-ABC")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce vecteur CVSS n&#x27;est pas valide : valeur inconnue : AV:Q" in html
    assert "Unknown value" not in html
    assert "Identifiant CVE non valide" in html
    assert not AlertPage.objects.exists()
    response = admin_client.post(add, _admin_data())
    assert response.status_code == 302, response.context["form"].errors
    alert = AlertPage.objects.get()
    assert (alert.live, alert.severity, alert.cvss_score) == (True, "critical", Decimal("9.8"))
    assert [str(p) for p in alert.products.all()] == ["Fortinet FortiOS 7.0 à 7.4"]


def test_the_feeds_carry_the_marking_and_the_cvss_of_public_alerts_only(index):
    vector = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
    factories.alert(title="Alerte publique CVSS", cvss_vector=vector)
    factories.alert(title="Alerte verte", tlp="green")
    factories.watch_item(title="Veille publique")
    client = Client()
    rss = client.get(index.url + "flux/rss/").content.decode()
    assert "<category>TLP:CLEAR</category>" in rss
    assert f"<category>CVSS 9.3 {vector}</category>" in rss
    assert "Alerte publique CVSS" in rss and "Veille publique" in rss
    assert "Alerte verte" not in rss
    atom = client.get(index.url + "flux/atom/").content.decode()
    assert 'term="TLP:CLEAR"' in atom and "Alerte verte" not in atom


def test_the_feeds_have_bounded_query_counts(index, django_assert_max_num_queries):
    for n in range(35):
        factories.alert(title=f"Alerte publique {n}")
    for n in range(5):
        factories.watch_item(title=f"Veille {n}")
    client = Client()
    for feed, marking in (
        ("flux/rss/", "<category>TLP:CLEAR</category>"),
        ("flux/atom/", 'term="TLP:CLEAR"'),
    ):
        with django_assert_max_num_queries(12):
            response = client.get(index.url + feed)
        assert response.status_code == 200
        assert response.content.decode().count(marking) == 30  # FEED_SIZE items
