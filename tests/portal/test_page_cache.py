"""Anonymous pages come from the cache; members never do; publishing invalidates."""

import pytest

from tests.portal.factories import MemberFactory, home_page, standard_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    home_page()
    return standard_page(title="Programme", slug="programme")


def test_second_anonymous_hit_is_served_from_cache(client, page):
    assert client.get("/programme/").get("X-Page-Cache") is None
    second = client.get("/programme/")
    assert second.status_code == 200 and second["X-Page-Cache"] == "hit"
    assert "Programme" in second.content.decode()
    assert "Content-Security-Policy" in second


def test_cache_is_per_language(client, page):
    client.get("/programme/")
    english = client.get("/en/programme/")
    assert english.get("X-Page-Cache") is None
    assert '<html lang="en"' in english.content.decode()


def test_members_are_never_served_from_cache(client, page):
    client.get("/programme/")
    client.force_login(MemberFactory())
    response = client.get("/programme/")
    assert response.get("X-Page-Cache") is None
    assert "Se déconnecter" in response.content.decode()


def test_a_member_page_is_never_stored_for_anonymous(client, page):
    client.force_login(MemberFactory())
    client.get("/programme/")
    client.logout()
    assert client.get("/programme/").get("X-Page-Cache") is None


def test_publishing_invalidates(client, page):
    client.get("/programme/")
    page.title = "Programme révisé"
    page.save_revision().publish()
    response = client.get("/programme/")
    assert response.get("X-Page-Cache") is None
    assert "Programme révisé" in response.content.decode()


def test_unpublishing_invalidates(client, page):
    client.get("/programme/")
    page.unpublish()
    assert client.get("/programme/").status_code == 404


def test_404_is_not_cached(client, page):
    client.get("/absent/")
    assert client.get("/absent/").get("X-Page-Cache") is None
