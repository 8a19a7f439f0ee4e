"""Alert pages, the index and the exposure dashboard from the page cache: a restricted alert
never reaches another audience's copy, an answer shows on the next request (the page's
fragment and the dashboard's figures), each member gets their own answer form and
subscription state, and the dashboard's queries do not grow with the establishments."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from alerts.models import Subscription
from portal import page_cache
from portal.access import Role, Tlp
from portal.access.membership import audience_key
from tests.alerts import factories
from tests.portal.factories import EstablishmentFactory, MemberFactory

pytestmark = pytest.mark.django_db
TOKEN = "CANARI-7731"


@pytest.fixture
def two_establishments(index):
    a = EstablishmentFactory(finess="380000201", name="CH Alpha", kind="ch", department="38")
    b = EstablishmentFactory(finess="690000202", name="CH Beta", kind="ch", department="69")
    return a, b


def member(establishment, roles, name):
    return MemberFactory(username=f"{name}@x.example", email=f"{name}@x.example", first_name=name,
                         profile__roles=roles, profile__establishment=establishment)  # fmt: skip


def _html(client, user, path):
    client.force_login(user)
    response = client.get(path)
    return response, response.content.decode()


def _warm(client, user, path):
    """Until the page cache serves it (the first answer may set the CSRF cookie: not kept)."""
    client.force_login(user)
    for _ in range(3):
        if client.get(path).get("X-Page-Cache") == "hit":
            return
    raise AssertionError(f"{path} is not served from the page cache")


@pytest.mark.parametrize("tlp", [Tlp.AMBER_STRICT, Tlp.RED])
def test_a_restricted_alert_never_reaches_another_audience(client, two_establishments, tlp):
    a, b = two_establishments
    alert = factories.alert(title=f"Alerte {TOKEN}", tlp=tlp, establishment=a,
                            summary=f"Résumé {TOKEN}")  # fmt: skip
    reader = member(a, {Role.RSSI}, "reader")
    others = [
        member(b, {Role.RSSI}, "other-establishment"),  # same roles, another establishment
        member(a, {Role.CAREGIVER}, "caregiver"),  # same establishment, another role
    ]
    index_url = factories.alert_index().url
    for path in (alert.url, index_url, index_url + "?tlp=" + tlp):  # warm the reader's copies
        _warm(client, reader, path)
        response, html = _html(client, reader, path)
        assert response["X-Page-Cache"] == "hit" and TOKEN in html
    for other in others:
        assert audience_key(other) != audience_key(reader)
        response, html = _html(client, other, alert.url)
        if tlp == Tlp.AMBER_STRICT and other.first_name == "caregiver":
            assert response.status_code == 200  # AMBER+STRICT: the whole establishment
            continue
        assert response.status_code == 404 and TOKEN not in html
        for path in (index_url, index_url + "?tlp=" + tlp):
            response, html = _html(client, other, path)
            assert response.status_code == 200 and TOKEN not in html


def test_the_dashboard_is_kept_only_when_the_audience_decides_it(client, two_establishments):
    """Staff see TLP:AMBER alerts on the dashboard through the admin's rule, which the audience
    key does not carry: their copy is never kept, so a colleague of the same audience without
    admin access gets a 404, never a copy."""
    _a, b = two_establishments
    ars = EstablishmentFactory(finess="690000203", name="ARS", kind="ars", department="69")
    amber = factories.alert(title=f"Ambre {TOKEN}", tlp=Tlp.AMBER)
    staff = member(ars, {Role.EDITOR}, "staff")
    staff.is_staff = True
    staff.save()
    staff.groups.add(Group.objects.get(name="Editors"))
    colleague = member(ars, {Role.EDITOR}, "colleague")
    assert audience_key(staff) == audience_key(colleague)
    path = factories.alert_index().url + f"tableau-de-bord/{amber.pk}/"
    for _ in range(2):
        response, html = _html(client, staff, path)
        assert response.status_code == 200 and TOKEN in html
        assert response.get("X-Page-Cache") is None
    response, html = _html(client, colleague, path)
    assert response.status_code == 404 and TOKEN not in html
    del b


def test_an_answer_shows_on_the_next_request(client, two_establishments):
    a, b = two_establishments
    alert = factories.alert(title="Faille", establishment_types={"ch"})
    rssi = member(a, {Role.RSSI}, "rssi")
    referent = member(
        EstablishmentFactory(finess="690000204", kind="ars", department="69"),
        {Role.ARS_REFERENT},
        "referent",
    )
    dashboard = factories.alert_index().url + f"tableau-de-bord/{alert.pk}/"
    _warm(client, referent, dashboard)
    response, html = _html(client, referent, dashboard)
    assert response["X-Page-Cache"] == "hit" and "2 établissements concernés" in html
    assert html.count("Pas de réponse") >= 2
    _warm(client, rssi, alert.url)
    response, html = _html(client, rssi, alert.url)
    assert response["X-Page-Cache"] == "hit"
    assert "Votre établissement n'a pas encore acquitté cette alerte." in html
    # The form of the fragment records the answer.
    action = re.search(r'<form method="post" action="([^"]+/acquitter/[^"]+)"', html)[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    posted = client.post(action, {"status": "fixed", "note": "Correctif posé",
                                  "csrfmiddlewaretoken": token})  # fmt: skip
    assert posted.status_code == 302
    client.get(posted["Location"])  # the flash message
    response, html = _html(client, rssi, alert.url)
    assert response["X-Page-Cache"] == "hit"  # the shared copy stays, the fragment changed
    assert "Réponse de votre établissement : Corrigé" in html and "Correctif posé" in html
    response, html = _html(client, referent, dashboard)
    assert "Correctif posé" in html and "CH Alpha" in html
    assert re.search(r"<th scope=\"row\">CH Alpha</th><td>38</td><td>Corrigé</td>", html)
    del b


def test_members_of_one_audience_get_their_own_subscription_state(client, two_establishments):
    a, b = two_establishments
    alert = factories.alert(title="Haute", severity="high", establishment_types={"ch"})
    alice, bruno = member(a, {Role.RSSI}, "alice"), member(a, {Role.RSSI}, "bruno")
    Subscription.objects.create(user=alice, min_severity="low")
    Subscription.objects.create(user=bruno, min_severity="critical")
    _warm(client, alice, alert.url)
    _response, html = _html(client, alice, alert.url)
    assert "couvre cette alerte" in html
    client.force_login(bruno)
    client.get(alert.url)  # his CSRF cookie
    response, html = _html(client, bruno, alert.url)
    assert response["X-Page-Cache"] == "hit"
    assert "ne couvre pas cette alerte" in html
    # A change of subscription shows on the next request.
    Subscription.objects.filter(user=bruno).delete()
    Subscription.objects.create(user=bruno, min_severity="medium")
    assert "couvre cette alerte" in _html(client, bruno, alert.url)[1]
    # Another establishment's members get their own answer state and form.
    factories.acknowledgement(alert, a, "fixed")
    carol = member(b, {Role.RSSI}, "carol")
    _response, html = _html(client, carol, alert.url)
    assert "Votre établissement n'a pas encore acquitté cette alerte." in html
    assert "Réponse de votre établissement : Corrigé" in _html(client, alice, alert.url)[1]


def _dashboard_queries(client, referent, path, django_assert_max_num_queries):
    cache.clear()
    page_cache.reset()
    client.force_login(referent)
    with django_assert_max_num_queries(40) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_dashboard_queries_do_not_grow_with_establishments(
    client, index, django_assert_max_num_queries
):
    alert = factories.alert(title="Pour tous")
    referent = member(EstablishmentFactory(finess="690000299", kind="ars", department="69"),
                      {Role.ARS_REFERENT}, "referent")  # fmt: skip
    path = factories.alert_index().url + f"tableau-de-bord/{alert.pk}/"

    def add(count, start):
        for n in range(start, start + count):
            establishment = EstablishmentFactory(finess=f"38{n:07d}", kind="ch", department="38")
            if n % 2:
                factories.acknowledgement(alert, establishment, "taken")

    add(10, 0)
    ten = _dashboard_queries(client, referent, path, django_assert_max_num_queries)
    add(40, 10)
    fifty = _dashboard_queries(client, referent, path, django_assert_max_num_queries)
    assert fifty == ten
    overview = factories.alert_index().url + "tableau-de-bord/"
    assert _dashboard_queries(client, referent, overview, django_assert_max_num_queries) <= 30
