"""The document base's own routes never shadow a page: whatever its slug, a page is served."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.docs_base.factories import document_index, document_page, rex_index, rex_page
from tests.portal.factories import home_page, standard_page

pytestmark = pytest.mark.django_db

FEATURE_ROUTES = (
    "docs_base:catalogue",
    "docs_base:favourites",
    "docs_base:favourites_sharing",
    "docs_base:rex_home",
    "docs_base:rex_submit",
    "docs_base:rex_mine",
    "docs_base:rex_statistics",
)


def feature_slugs() -> set[str]:
    """Every path segment of the module's routes, as a page slug would spell it."""
    return {
        segment.lstrip("~")
        for name in FEATURE_ROUTES
        for segment in reverse(name).strip("/").split("/")
    } | {"telechargement", "documents"}


def test_feature_routes_live_under_a_prefix_no_slug_can_take():
    for name in FEATURE_ROUTES:
        assert reverse(name).startswith("/~"), name


def test_a_page_slugged_like_a_feature_route_is_served(client):
    home_page()
    catalogue = document_index()
    rexes = rex_index()
    pages = []
    for slug in sorted(feature_slugs() - {"base-documentaire", "retours-experience"}):
        pages.append(standard_page(title=f"Page {slug}", slug=slug))
        pages.append(document_page(parent=catalogue, title=f"Document {slug}", slug=slug))
        pages.append(rex_page(parent=rexes, title=f"REX {slug}", slug=slug, tlp="clear"))
    for page in [catalogue, rexes, *pages]:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert escape(page.title) in response.content.decode(), page.url


def test_the_navigation_entries_lead_to_the_index_pages(client):
    home_page()
    for url_name, index in (
        ("docs_base:catalogue", document_index()),
        ("docs_base:rex_home", rex_index()),
    ):
        assert client.get(reverse(url_name)).url == index.url
        link = f'href="{reverse(url_name)}" aria-current="page"'
        assert link in client.get(index.url).content.decode()
