"""The header search box's page: results only from what the user may view."""

import pytest

from portal.access import AccessLevel, Role
from tests.portal.factories import EstablishmentFactory, MemberFactory, home_page, standard_page

pytestmark = pytest.mark.django_db

CANARY = "zorglubine"


@pytest.fixture
def corpus():
    home_page()
    standard_page(
        title="Sauvegardes hors ligne", slug="sauvegardes", intro="Tester les sauvegardes"
    )
    standard_page(
        title=f"Note interne {CANARY}",
        slug="note-rssi",
        intro=f"Procédure {CANARY} réservée",
        access_level=AccessLevel.ROLES,
        allowed_roles={Role.RSSI},
    )


def test_public_results_for_anonymous(client, corpus):
    response = client.get("/recherche/", {"q": "sauvegardes"})
    assert response.status_code == 200
    assert "Sauvegardes hors ligne" in response.content.decode()


def test_restricted_content_never_shows_to_those_without_access(client, corpus):
    caregiver = MemberFactory(profile__roles={Role.CAREGIVER})
    for user in (None, caregiver):
        if user:
            client.force_login(user)
        html = client.get("/recherche/", {"q": "réservée"}).content.decode()
        assert CANARY not in html and "Note interne" not in html
        assert "0 résultat" in html


def test_restricted_content_shows_to_its_audience(client, corpus):
    client.force_login(
        MemberFactory(profile__roles={Role.RSSI}, profile__establishment=EstablishmentFactory())
    )
    html = client.get("/recherche/", {"q": "réservée"}).content.decode()
    assert f"Note interne {CANARY}" in html


def test_empty_and_overlong_queries_are_harmless(client, corpus):
    assert client.get("/recherche/").status_code == 200
    assert client.get("/recherche/", {"q": "x" * 5000}).status_code == 200
    assert client.get("/recherche/", {"q": "sauvegardes", "page": "abc"}).status_code == 200


def test_search_query_count_is_bounded(client, corpus, django_assert_max_num_queries):
    for n in range(15):
        standard_page(title=f"Sauvegarde {n}", slug=f"sauvegarde-{n}")
    with django_assert_max_num_queries(15):
        assert client.get("/recherche/", {"q": "sauvegarde"}).status_code == 200
