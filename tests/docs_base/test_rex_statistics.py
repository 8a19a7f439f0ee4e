"""Regional statistics: counts over the published REX the member may view, charts with a table
alternative."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from docs_base.models import IncidentType
from docs_base.rex.statistics import quarter_label, regional_figures
from portal.access import Role, Tlp
from portal.accounts.models import EstablishmentType
from tests.docs_base.factories import rex_index, rex_page
from tests.portal.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Rançongiciel au bloc opératoire du CH Secret"
SECRET_SUMMARY = "Résumé confidentiel du bloc"


@pytest.fixture
def caregiver(member_of, other_establishment):
    return member_of(Role.CAREGIVER, establishment=other_establishment)


@pytest.fixture
def fixed_set(establishment):
    rex_index()
    rex_page(
        title="Rançongiciel un dimanche",
        slug="r1",
        incident_type="ransomware",
        establishment_type="ch",
        occurred_on=datetime.date(2024, 2, 11),
        impact_patient_care=True,
        duration_days=21,
        tlp=Tlp.GREEN,
    )
    rex_page(
        title=SECRET_TITLE,
        slug="r2",
        summary=SECRET_SUMMARY,
        incident_type="ransomware",
        establishment_type="ehpad",
        occurred_on=datetime.date(2024, 5, 3),
        impact_patient_care=True,
        duration_days=10,
        tlp=Tlp.RED,
        reporting_establishment=establishment,
    )
    rex_page(
        title="Faux ordre de virement",
        slug="r3",
        incident_type="ceo_fraud",
        establishment_type="ch",
        occurred_on=datetime.date(2024, 5, 20),
        duration_days=1,
        tlp=Tlp.CLEAR,
    )
    rex_page(
        title="Hameçonnage ciblé",
        slug="r4",
        incident_type="phishing",
        establishment_type="clinic",
        occurred_on=datetime.date(2023, 11, 2),
        tlp=Tlp.AMBER,
    )
    rex_page(title="Brouillon", slug="draft", incident_type="ransomware", publish=False)


def _rows(chart):
    return dict(chart.rows)


@pytest.fixture
def rssi(member_of):
    """Sees every REX of the fixed set (the RED one is their establishment's)."""
    return member_of(Role.RSSI)


def test_figures_on_a_fixed_set(fixed_set, rssi, settings):
    # Every type of the set has an establishment and k = 1: no cell is merged here (merging is
    # tested in test_rex_anonymity).
    settings.REX_ANONYMITY_K = 1
    EstablishmentFactory(finess="690000052", kind="ehpad", department="69")
    EstablishmentFactory(finess="690000053", kind="clinic", department="69")
    figures = regional_figures(rssi)
    assert figures.total == 4
    assert figures.patient_care_count == 2 and figures.patient_care_share == 50
    assert figures.median_duration == 10
    by_incident, by_establishment, by_department, by_quarter = figures.charts
    assert by_incident.rows[0] == (str(IncidentType.RANSOMWARE.label), 2)
    assert _rows(by_incident) == {
        str(IncidentType.RANSOMWARE.label): 2,
        str(IncidentType.CEO_FRAUD.label): 1,
        str(IncidentType.PHISHING.label): 1,
    }
    assert _rows(by_establishment) == {
        str(EstablishmentType.CH.label): 2,
        str(EstablishmentType.EHPAD.label): 1,
        str(EstablishmentType.PRIVATE_CLINIC.label): 1,
    }
    assert _rows(by_department) == {gettext("Department not shown"): 4}
    assert [count for _label, count in by_quarter.rows] == [1, 1, 2]
    assert by_quarter.rows[0][0] == quarter_label(2023, 4)
    assert by_quarter.rows[2][0] == quarter_label(2024, 2)
    # The longest bar spans the chart; the others are in proportion.
    widths = [bar.width for bar in by_quarter.bars]
    assert widths[2] == 2 * widths[1]


def test_restricted_rex_are_not_even_counted(fixed_set, caregiver):
    figures = regional_figures(caregiver)  # GREEN and CLEAR only
    assert figures.total == 2
    assert dict(figures.charts[0].rows) == {
        str(IncidentType.RANSOMWARE.label): 1,
        str(IncidentType.CEO_FRAUD.label): 1,
    }
    assert str(EstablishmentType.EHPAD.label) not in dict(figures.charts[1].rows)


def test_no_figures_without_published_rex(rssi):
    figures = regional_figures(rssi)
    assert (figures.total, figures.patient_care_share, figures.median_duration) == (0, None, None)
    assert all(chart.rows == [] for chart in figures.charts)


def test_page_shows_charts_and_tables_but_no_restricted_title(fixed_set, caregiver):
    client = Client()
    client.force_login(caregiver)
    response = client.get(reverse("docs_base:rex_statistics"))
    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET_TITLE not in body and SECRET_SUMMARY not in body
    for title in ("Rançongiciel un dimanche", "Faux ordre de virement", "Hameçonnage ciblé"):
        assert title not in body  # counts only, never a title
    assert body.count('role="img"') == 4
    assert body.count("<caption>") == 4
    assert f'<th scope="row">{quarter_label(2024, 2)}</th><td>1</td>' in body  # CLEAR only
    assert 'style="' not in body.split("<main", 1)[1]  # the CSP forbids inline styles


def test_members_only():
    response = Client().get(reverse("docs_base:rex_statistics"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_statistics_queries_are_bounded(caregiver, django_assert_max_num_queries):
    rex_index()
    client = Client()
    client.force_login(caregiver)
    client.get(reverse("docs_base:rex_statistics"))
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("docs_base:rex_statistics"))
    few_count = len(few)
    for number in range(12):
        rex_page(
            title=f"REX {number}",
            slug=f"rex-{number}",
            occurred_on=datetime.date(2020 + number % 5, 1 + number % 12, 1),
            incident_type=["ransomware", "phishing", "ddos"][number % 3],
        )
    client.get(reverse("docs_base:rex_statistics"))  # warm the menu cache publications reset
    with django_assert_max_num_queries(few_count):
        client.get(reverse("docs_base:rex_statistics"))
