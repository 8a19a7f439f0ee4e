"""Anonymous pages come from the cache; members never do; publishing invalidates."""

import pytest
from wagtail.models import PageViewRestriction

from portal.access import AccessLevel, Role
from tests.portal.factories import (
    EstablishmentFactory,
    MemberFactory,
    can_log_in,
    home_page,
    standard_page,
)

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


def test_members_never_get_the_anonymous_copy(client, page):
    client.get("/programme/")
    client.force_login(MemberFactory())
    response = client.get("/programme/")
    assert response.get("X-Page-Cache") is None
    assert "Se déconnecter" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_members_of_one_audience_share_a_copy_with_their_own_account_links(client, page):
    est = EstablishmentFactory()
    first = MemberFactory(
        first_name="Alice", profile__roles={Role.RSSI}, profile__establishment=est
    )
    second = MemberFactory(
        first_name="Bruno", profile__roles={Role.RSSI}, profile__establishment=est
    )
    client.force_login(first)
    assert "Alice" in client.get("/programme/").content.decode()
    client.force_login(second)
    response = client.get("/programme/")
    html = response.content.decode()
    assert response["X-Page-Cache"] == "hit"
    assert "Bruno" in html and "Alice" not in html
    assert "private" in response["Cache-Control"]


def test_another_audience_never_gets_a_restricted_copy(client, page):
    rssi_page = standard_page(
        title="Espace RSSI",
        slug="espace-rssi",
        access_level=AccessLevel.ROLES,
        allowed_roles={Role.RSSI},
    )
    client.force_login(MemberFactory(profile__roles={Role.RSSI}))
    assert client.get(rssi_page.url).status_code == 200
    client.force_login(MemberFactory(profile__roles={Role.CAREGIVER}))
    response = client.get(rssi_page.url)
    assert response.status_code == 404 and b"Espace RSSI" not in response.content
    client.logout()
    assert client.get(rssi_page.url).status_code == 404


def test_a_member_page_is_never_stored_for_anonymous(client, page):
    client.force_login(MemberFactory())
    client.get("/programme/")
    client.logout()
    assert client.get("/programme/").get("X-Page-Cache") is None


@pytest.mark.parametrize("as_member", [False, True])
def test_publishing_invalidates(client, page, as_member):
    if as_member:
        client.force_login(MemberFactory())
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


def test_a_privacy_restriction_retires_the_copies(client, page):
    client.get("/programme/")
    assert client.get("/programme/")["X-Page-Cache"] == "hit"
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get("/programme/").status_code == 302  # Wagtail asks to log in


def test_404_is_not_cached(client, page):
    client.get("/absent/")
    assert client.get("/absent/").get("X-Page-Cache") is None


def test_an_invalidation_by_another_process_is_seen(client, page, monkeypatch):
    from django.core.cache import cache

    from portal import page_cache

    monkeypatch.setattr(page_cache, "VERSION_CHECK_SECONDS", 0)
    client.get("/programme/")
    assert client.get("/programme/")["X-Page-Cache"] == "hit"
    cache.set(page_cache.VERSION_KEY, cache.get(page_cache.VERSION_KEY, 0) + 1, None)
    assert client.get("/programme/").get("X-Page-Cache") is None


def test_a_flushed_shared_cache_never_revives_a_copy_kept_in_memory(client, page, monkeypatch):
    """After Redis lost its keys, versions restart from a new number: a copy this process kept
    in memory under an old number is never served again."""
    from django.core.cache import cache

    from portal import page_cache

    monkeypatch.setattr(page_cache, "VERSION_CHECK_SECONDS", 0)
    page_cache.invalidate()
    client.get("/programme/")
    assert client.get("/programme/")["X-Page-Cache"] == "hit"
    stored_under = page_cache.current_version()
    cache.clear()  # the shared cache only; this process keeps its copies in memory
    page_cache.invalidate()
    assert page_cache.current_version() != stored_under
    assert client.get("/programme/").get("X-Page-Cache") is None


def test_a_page_with_a_flash_message_is_neither_served_from_nor_stored_in_the_cache(client, page):

    user = MemberFactory(first_name="Alice", username="alice@ch.example", email="alice@ch.example")
    can_log_in(user, "une-phrase-de-passe-solide")
    other = MemberFactory()
    client.force_login(other)
    client.get("/programme/")  # a copy for this audience now exists
    client.logout()
    client.post("/compte/login/", {"login": user.email, "password": "une-phrase-de-passe-solide"})
    with_message = client.get("/programme/")
    assert with_message.get("X-Page-Cache") is None
    assert "fr-alert--success" in with_message.content.decode()
    after = client.get("/programme/")
    assert after["X-Page-Cache"] == "hit"
    assert "fr-alert--success" not in after.content.decode()


def test_a_declared_model_change_retires_only_the_pages_it_shows_on(client, page, monkeypatch):
    """A module declares which tags a model's changes invalidate (``PortalModule.page_cache_tags``):
    here any establishment change refreshes the home page, and leaves other pages cached."""
    from portal import page_cache

    monkeypatch.setattr(page_cache, "VERSION_CHECK_SECONDS", 0)
    establishment = EstablishmentFactory()
    undo = page_cache.invalidate_on_change(type(establishment), (page_cache.HOME,))
    try:
        for url in ("/", "/programme/"):
            client.get(url)
            assert client.get(url)["X-Page-Cache"] == "hit"
        establishment.name = "Nouveau nom"
        establishment.save()
        assert client.get("/").get("X-Page-Cache") is None
        assert client.get("/")["X-Page-Cache"] == "hit"
        assert client.get("/programme/")["X-Page-Cache"] == "hit"
        establishment.delete()
        assert client.get("/").get("X-Page-Cache") is None
    finally:
        undo()
    client.get("/")
    EstablishmentFactory(name="Sans effet")
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_a_module_declares_its_page_cache_tags(client, page, monkeypatch):
    from portal import modules, page_cache
    from portal.accounts.models import Establishment

    monkeypatch.setattr(page_cache, "VERSION_CHECK_SECONDS", 0)
    connected = []
    monkeypatch.setattr(
        page_cache, "invalidate_on_change", lambda model, tags: connected.append((model, tags))
    )

    class ForumLike(modules.PortalModule):
        key = "forum_like"
        label = "Forum"
        page_cache_tags = {Establishment: (page_cache.HOME, "forum_like")}

    modules.register(ForumLike())
    modules.unregister("forum_like")
    assert connected == [(Establishment, (page_cache.HOME, "forum_like"))]
