"""The document base's own views hang off its index pages (``portal.routable``) and never
shadow a page: whatever its slug, a page is served; a child page wins over a route."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from docs_base.models import DocumentIndexPage, RexIndexPage
from docs_base.rex import services
from docs_base.routes import documents_url, rex_url
from tests.docs_base.factories import document_index, document_page, rex_index, rex_page
from tests.portal.factories import MemberFactory, home_page, standard_page

pytestmark = pytest.mark.django_db

REX_ROUTES = {
    "submit": (),
    "mine": (),
    "submission_delete": (1,),
    "submission_step": (1, "context"),
    "statistics": (),
}
DOCUMENT_ROUTES = {
    "favourites": (),
    "favourites_sharing": (),
    "shared_favourites": (1,),
    "vote": (1,),
    "favourite": (1,),
    "watch": (1,),
}


@pytest.fixture
def indexes():
    home_page()
    return document_index(), rex_index()


def route_urls() -> list[str]:
    return [rex_url(name, *args) for name, args in REX_ROUTES.items()] + [
        documents_url(name, *args) for name, args in DOCUMENT_ROUTES.items()
    ]


def feature_slugs() -> set[str]:
    """Every path segment of the module's routes and URLs, as a page slug would spell it."""
    with translation.override("fr"):
        urls = route_urls() + [
            reverse(name) for name in ("docs_base:catalogue", "docs_base:rex_home")
        ]
    return {
        segment.lstrip("~")
        for url in urls
        for segment in url.strip("/").split("/")
        if not segment.isdigit()
    } | {"telechargement", "documents"}


def test_every_route_is_declared_here():
    assert {p.name for p in RexIndexPage.get_resolver().url_patterns} == {
        "index_route",
        *REX_ROUTES,
    }
    assert {p.name for p in DocumentIndexPage.get_resolver().url_patterns} == {
        "index_route",
        *DOCUMENT_ROUTES,
    }


def test_member_views_hang_off_their_index_page(indexes):
    catalogue, rexes = indexes
    with translation.override("fr"):
        assert rex_url("submit") == "/retours-experience/proposer/"
        assert rex_url("mine") == "/retours-experience/mes-retours/"
        assert rex_url("statistics") == "/retours-experience/statistiques/"
        assert (
            rex_url("submission_step", 7, "impact") == "/retours-experience/mes-retours/7/impact/"
        )
        assert documents_url("favourites") == "/base-documentaire/favoris/"
        assert documents_url("vote", 3) == "/base-documentaire/documents/3/avis/"
    for url in route_urls():
        assert "~" not in url, url
    assert all(rex_url(name, *args).startswith(rexes.url) for name, args in REX_ROUTES.items())
    assert all(
        documents_url(name, *args).startswith(catalogue.url)
        for name, args in DOCUMENT_ROUTES.items()
    )


def test_routes_in_english(indexes):
    with translation.override("en"):  # restores the language the request activates
        assert rex_url("mine") == "/en/retours-experience/mine/"
        assert Client().get("/en/retours-experience/statistics/").status_code == 302  # login


def test_a_page_slugged_like_a_feature_route_is_served(client, indexes):
    catalogue, rexes = indexes
    pages = []
    for slug in sorted(feature_slugs() - {"base-documentaire", "retours-experience"}):
        pages.append(standard_page(title=f"Page {slug}", slug=slug))
        pages.append(document_page(parent=catalogue, title=f"Document {slug}", slug=slug))
        pages.append(rex_page(parent=rexes, title=f"REX {slug}", slug=slug, tlp="clear"))
    assert {"proposer", "mes-retours", "statistiques", "favoris", "documents"} <= {
        page.slug for page in pages
    }
    for page in [catalogue, rexes, *pages]:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert escape(page.title) in response.content.decode(), page.url


def test_a_child_page_the_reader_may_not_view_does_not_hide_the_route(indexes):
    _catalogue, rexes = indexes
    rex_page(parent=rexes, title="REX statistiques", slug="statistiques", tlp="green")
    with translation.override("fr"):
        url = rex_url("statistics")
    assert url == "/retours-experience/statistiques/"
    anonymous = Client().get(url)  # the statistics route: members only, log in
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    member = Client()
    member.force_login(MemberFactory())
    assert "REX statistiques" in member.get(url).content.decode()  # the page wins


def test_an_unknown_remainder_is_still_a_404(client, indexes):
    assert client.get(rex_url("mine") + "inconnu/").status_code == 404
    assert client.get(indexes[1].url + "nulle-part/").status_code == 404


def test_generated_rex_slugs_keep_off_the_routes(indexes):
    _catalogue, rexes = indexes
    assert services._unique_slug(rexes, "Statistiques") == "statistiques-2"
    assert services._unique_slug(rexes, "Mine") == "mine-2"  # the English route too
    assert services._unique_slug(rexes, "Rançongiciel") == "rancongiciel"


def test_no_route_without_its_index_page():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        rex_url("mine")
    assert re.match(r"^/~", reverse("docs_base:rex_home"))


def test_the_navigation_entries_lead_to_the_index_pages(client, indexes):
    catalogue, rexes = indexes
    for url_name, index in (("docs_base:catalogue", catalogue), ("docs_base:rex_home", rexes)):
        assert client.get(reverse(url_name)).url == index.url
        link = f'href="{reverse(url_name)}" aria-current="page"'
        assert link in client.get(index.url).content.decode()
