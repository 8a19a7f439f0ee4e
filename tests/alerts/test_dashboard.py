"""The ARS exposure dashboard: figures checked against a hand-computed fixture, the CSV export,
who may read it, and bounded query counts on the list pages."""

import csv
import datetime
import io

import pytest
from django.test import Client

from alerts import services
from portal.access import Role, Tlp
from portal.accounts.models import EstablishmentType
from tests.alerts import factories
from tests.portal.factories import EstablishmentFactory, MemberFactory

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
T1 = T0 + datetime.timedelta(hours=100)


def at(moment, hours):
    return moment + datetime.timedelta(hours=hours)


@pytest.fixture
def region_fixture(index):
    e = {
        "e1": EstablishmentFactory(finess="380000101", name="CH Un", kind="ch", department="38"),
        "e2": EstablishmentFactory(finess="380000102", name="CH Deux", kind="ch", department="38"),
        "e3": EstablishmentFactory(
            finess="380000103", name="EHPAD Trois", kind="ehpad", department="38"
        ),
        "e4": EstablishmentFactory(
            finess="690000104", name="CH Quatre", kind="ch", department="69"
        ),
        "e5": EstablishmentFactory(
            finess="690000105", name="EHPAD Cinq", kind="ehpad", department="69"
        ),
        # Not concerned: another type, the ARS itself, an establishment not validated yet.
        "clinic": EstablishmentFactory(
            finess="690000106", name="Clinique Six", kind="clinic", department="69"
        ),
        "ars": EstablishmentFactory(finess="690000107", name="ARS", kind="ars", department="69"),
        "pending": EstablishmentFactory(
            finess="380000108", name="CH Attente", kind="ch", department="38", validated=False
        ),
    }
    a1 = factories.alert(
        title="Alerte un", establishment_types={"ch", "ehpad"}, published_at=T0, severity="critical"
    )
    a2 = factories.alert(title="Alerte deux", establishment_types={"ch"}, published_at=T1)
    ack = factories.acknowledgement
    ack(a1, e["e1"], "taken", at(T0, 2))
    ack(a1, e["e1"], "fixed", at(T0, 26), note="Correctif appliqué")
    ack(a1, e["e2"], "in_progress", at(T0, 10))
    ack(a1, e["e3"], "not_affected", at(T0, 4))
    ack(a1, e["e4"], "taken", at(T0, 50))
    ack(a1, e["clinic"], "taken", at(T0, 1))  # not concerned: not counted
    ack(a2, e["e1"], "taken", at(T1, 6))
    ack(a2, e["e1"], "fixed", at(T1, 30))
    referent = MemberFactory(profile__establishment=e["ars"], profile__roles={Role.ARS_REFERENT})
    return {"establishments": e, "a1": a1, "a2": a2, "referent": referent}


def test_the_figures_of_one_alert_match_the_hand_computed_fixture(region_fixture):
    figures = services.alert_figures(region_fixture["a1"])
    assert figures.concerned == 5
    assert figures.counts == {
        "fixed": 1,
        "in_progress": 1,
        "not_affected": 1,
        "taken": 1,
        "none": 1,
    }
    by_department = {
        row.label: (row.concerned, row.answered, row.counts) for row in figures.by_department
    }
    assert by_department == {
        "38 Isère": (3, 3, {"fixed": 1, "in_progress": 1, "not_affected": 1}),
        "69 Rhône": (2, 1, {"taken": 1, "none": 1}),
    }
    by_type = {row.label: (row.concerned, row.answered) for row in figures.by_type}
    labels = dict(EstablishmentType.choices)
    assert by_type == {str(labels["ch"]): (3, 3), str(labels["ehpad"]): (2, 1)}
    rows = services.dashboard_rows(region_fixture["a1"])
    assert [(row["name"], row["answer"]) for row in rows] == [
        ("EHPAD Cinq", "none"),  # unanswered first, then by department and name
        ("CH Deux", "in_progress"),
        ("CH Un", "fixed"),
        ("EHPAD Trois", "not_affected"),
        ("CH Quatre", "taken"),
    ]
    assert [row["name"] for row in services.dashboard_rows(region_fixture["a1"], "none")] == [
        "EHPAD Cinq"
    ]


def test_the_median_delays_across_alerts_match_the_fixture(region_fixture):
    delays = services.median_delays([region_fixture["a1"], region_fixture["a2"]])
    # First answers: 2, 10, 4, 50 hours (alert one), 6 (alert two): median 6.
    # First "fixed": 26 hours (alert one), 30 (alert two): median 28.
    assert (delays.acknowledged, delays.median_hours_to_acknowledge) == (5, 6.0)
    assert (delays.fixed, delays.median_hours_to_fix) == (2, 28.0)


def test_the_pages_and_the_csv_show_the_same_figures(region_fixture):
    client = Client()
    client.force_login(region_fixture["referent"])
    index = factories.alert_index()
    overview = client.get(index.url + "tableau-de-bord/")
    assert overview.status_code == 200
    rows = {
        row["alert"].pk: (row["concerned"], row["answered"]) for row in overview.context["rows"]
    }
    assert rows == {region_fixture["a1"].pk: (5, 4), region_fixture["a2"].pk: (3, 1)}
    assert "6,0 heures (5 réponses)" in overview.content.decode()
    a1 = region_fixture["a1"]
    page = client.get(index.url + f"tableau-de-bord/{a1.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "EHPAD Cinq" in html and "Correctif appliqué" in html
    assert html.count("<svg") == 3 and "(tableau de données)" in html
    export = client.get(index.url + f"tableau-de-bord/{a1.pk}/csv/")
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    answers = {row[0]: row[4] for row in rows[1:]}
    assert answers == {
        "CH Un": "Corrigé",
        "CH Deux": "Concerné — correction en cours",
        "EHPAD Trois": "Non concerné",
        "CH Quatre": "Pris en compte",
        "EHPAD Cinq": "Pas de réponse",
    }


@pytest.mark.parametrize(
    ("roles", "status"),
    [
        ({Role.ARS_REFERENT}, 200),
        ({Role.REGIONAL_ADMIN}, 200),
        ({Role.EDITOR}, 200),
        ({Role.MODERATOR}, 200),
        ({Role.RSSI}, 404),
        ({Role.DIRECTOR}, 404),
        ({Role.CAREGIVER}, 404),
    ],
)
def test_the_dashboard_is_for_regional_staff_and_ars_referents(region_fixture, roles, status):
    user = MemberFactory(
        profile__establishment=region_fixture["establishments"]["e1"], profile__roles=roles
    )
    client = Client()
    client.force_login(user)
    index = factories.alert_index()
    a1 = region_fixture["a1"]
    for url in ("tableau-de-bord/", f"tableau-de-bord/{a1.pk}/", f"tableau-de-bord/{a1.pk}/csv/"):
        assert client.get(index.url + url).status_code == status, url


def test_a_restricted_alert_stays_off_the_dashboard_of_who_may_not_view_it(region_fixture):
    e = region_fixture["establishments"]
    red = factories.alert(title="Rouge", tlp=Tlp.RED, establishment=e["e2"])
    client = Client()
    client.force_login(region_fixture["referent"])
    index = factories.alert_index()
    assert client.get(index.url + f"tableau-de-bord/{red.pk}/").status_code == 404
    assert "Rouge" not in client.get(index.url + "tableau-de-bord/").content.decode()


def test_list_pages_have_bounded_query_counts(region_fixture, django_assert_max_num_queries):
    for n in range(25):
        factories.alert(title=f"Alerte {n}", establishment_types={"ch"})
    index = factories.alert_index()
    referent = Client()
    referent.force_login(region_fixture["referent"])
    with django_assert_max_num_queries(30):
        assert referent.get(index.url + "tableau-de-bord/").status_code == 200
    with django_assert_max_num_queries(30):
        assert (
            referent.get(index.url + f"tableau-de-bord/{region_fixture['a1'].pk}/").status_code
            == 200
        )
    rssi = MemberFactory(
        profile__establishment=region_fixture["establishments"]["e1"], profile__roles={Role.RSSI}
    )
    member = Client()
    member.force_login(rssi)
    with django_assert_max_num_queries(30):
        assert member.get(index.url).status_code == 200
    with django_assert_max_num_queries(30):
        assert member.get(index.url + "acquittements/").status_code == 200
    with django_assert_max_num_queries(30):
        assert member.get(index.url + "veille/").status_code == 200
