"""The UI shell: pages in French by default, English available, errors in the same look."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from portal import modules
from portal.access import AccessLevel
from tests.portal.factories import MemberFactory, home_page, standard_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    home = home_page()
    public = standard_page(title="Programme", slug="programme", show_in_menus=True)
    members = standard_page(
        title="Réservé membres",
        slug="membres",
        access_level=AccessLevel.MEMBERS,
        show_in_menus=True,
    )
    return home, public, members


def test_home_page_in_french_by_default(client, pages):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr"' in html
    assert 'id="header-search-input"' in html
    assert 'href="#content"' in html and 'id="content"' in html
    assert "Accessibilité" in html and "Mentions légales" in html
    # the menu lists the public page but never the members-only one
    assert "Programme" in html and "Réservé membres" not in html


def _header_menu(html: str) -> str:
    return html.split('id="navigation"')[1].split("</nav>")[0]


def test_the_header_menu_is_kept_per_host_without_looking_up_the_site(client, pages):
    client.get("/contact/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/contact/", {"again": 1}).content.decode()
    assert "Programme" in _header_menu(html)
    assert [q["sql"] for q in queries if "wagtailcore_site" in q["sql"]] == []


def test_a_site_change_retires_the_kept_header_menu(client, pages):
    assert "Programme" in _header_menu(client.get("/contact/").content.decode())
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.is_default_site = "ailleurs.example", False
    site.save()  # the test server's host now finds no site, hence no menu
    assert "Programme" not in _header_menu(client.get("/contact/").content.decode())


def test_the_kept_header_navigation_follows_the_audience_and_the_publications(client, pages):
    """The navigation is rendered once per audience, path and page version, then kept."""
    member = MemberFactory()
    client.force_login(member)
    assert "Réservé membres" in _header_menu(client.get("/contact/").content.decode())
    client.logout()
    anonymous = _header_menu(client.get("/contact/", {"n": 1}).content.decode())
    assert "Programme" in anonymous and "Réservé membres" not in anonymous
    standard_page(title="Nouveautés", slug="nouveautes", show_in_menus=True)
    assert "Nouveautés" in _header_menu(client.get("/contact/", {"n": 2}).content.decode())
    english = _header_menu(client.get("/en/contact/", {"n": 3}).content.decode())
    assert "Home</a>" in english and "Accueil</a>" not in english


def test_english_is_available(client, pages):
    html = client.get("/en/").content.decode()
    assert '<html lang="en"' in html
    assert "Legal notice" in html
    assert 'hreflang="fr" lang="fr" href="/"' in html


def test_language_links_point_to_the_same_page(client, pages):
    html = client.get("/programme/").content.decode()
    assert 'href="/en/programme/"' in html
    # with the same query (the translated path is kept per path and language)
    html = client.get("/programme/", {"q": "plan de continuité"}).content.decode()
    assert 'href="/en/programme/?q=plan+de+continuit%C3%A9"' in html
    html = client.get("/en/programme/", {"vue": "2"}).content.decode()
    assert 'hreflang="fr" lang="fr" href="/programme/?vue=2"' in html


@pytest.mark.parametrize(
    "path", ["/accessibilite/", "/mentions-legales/", "/contact/", "/en/accessibility/"]
)
def test_legal_pages_use_the_region_configuration(client, pages, path, settings):
    response = client.get(path)
    assert response.status_code == 200
    assert settings.REGION["contact_email"] in response.content.decode()


def test_404_in_the_portal_look(client, pages):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page non trouvée" in html and 'class="fr-header"' in html


def test_500_in_the_portal_look_without_database(rf, settings):
    from portal.views.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Erreur inattendue" in html and settings.REGION["contact_email"] in html


def test_unhandled_exception_renders_500_page(pages, monkeypatch):
    from portal.models import StandardPage

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(StandardPage, "get_context", boom)
    client = Client(raise_request_exception=False)
    response = client.get("/programme/")
    assert response.status_code == 500
    assert "Erreur inattendue" in response.content.decode()


def test_security_headers(client, pages):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert (
        "unsafe-inline"
        not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_home_page_query_count_is_bounded(client, pages, django_assert_max_num_queries):
    for n in range(10):
        standard_page(title=f"Extra {n}", slug=f"extra-{n}", show_in_menus=True)
    # A fixed base, plus one query per module's home section ("latest"): never per page.
    with django_assert_max_num_queries(10 + len(modules.home_sections())):
        assert client.get("/").status_code == 200


def test_home_shows_registered_module_sections(client, pages):
    class TestModule(modules.PortalModule):
        key = "test"
        label = "Module de test"
        url_name = "legal:contact"

        def latest(self, user, limit):
            return [modules.HomeItem(title="Alerte de test", url="/", summary="Résumé")]

    modules.register(TestModule())
    try:
        html = client.get("/").content.decode()
    finally:
        modules.unregister("test")
    assert "Module de test" in html and "Alerte de test" in html


def test_refused_form_answers_403_in_the_portal_look(pages):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/compte/logout/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Accès refusé" in html and 'class="fr-header"' in html
