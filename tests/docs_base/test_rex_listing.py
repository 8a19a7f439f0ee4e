"""The REX index: what the reader may see, filters, pagination, bounded queries; home and nav."""

import pytest
from django.test import Client
from django.urls import reverse

from docs_base.rex import services
from portal.access import Role, Tlp
from tests.docs_base.factories import rex_index, rex_page
from tests.portal.factories import EstablishmentFactory, home_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def caregiver(member_of):
    return member_of(Role.CAREGIVER)


def _titles(response):
    return [page.title for page in response.context["listing"].page.object_list]


def test_lists_only_what_the_reader_may_see(establishment, caregiver):
    index = rex_index()
    rex_page(title="Public", slug="public", tlp=Tlp.CLEAR)
    rex_page(title="Communauté", slug="communaute", tlp=Tlp.GREEN)
    rex_page(title="Sécurité", slug="securite", tlp=Tlp.AMBER)
    rex_page(title="Brouillon", slug="brouillon", tlp=Tlp.CLEAR, publish=False)

    anonymous = Client().get(index.url)
    assert _titles(anonymous) == ["Public"]
    assert "Communauté" not in anonymous.content.decode()

    client = Client()
    client.force_login(caregiver)
    assert sorted(_titles(client.get(index.url))) == ["Communauté", "Public"]


def test_filters_by_incident_and_establishment_type(settings):
    settings.REX_ANONYMITY_K = 5
    for number in range(5):  # enough EHPAD for the type to be a filter of its own
        EstablishmentFactory(finess=f"69100{number:04d}", kind="ehpad", department="69")
    index = rex_index()
    rex_page(title="Rançongiciel CH", slug="r-ch", incident_type="ransomware", tlp=Tlp.CLEAR)
    rex_page(
        title="Rançongiciel EHPAD",
        slug="r-ehpad",
        incident_type="ransomware",
        establishment_type="ehpad",
        tlp=Tlp.CLEAR,
    )
    rex_page(title="FOVI CH", slug="f-ch", incident_type="ceo_fraud", tlp=Tlp.CLEAR)
    client = Client()
    assert sorted(_titles(client.get(index.url, {"incident_type": "ransomware"}))) == [
        "Rançongiciel CH",
        "Rançongiciel EHPAD",
    ]
    both = {"incident_type": "ransomware", "establishment_type": "ehpad"}
    assert _titles(client.get(index.url, both)) == ["Rançongiciel EHPAD"]
    # A value that is no choice is refused with a message and filters nothing.
    response = client.get(index.url, {"incident_type": "nope"})
    assert response.status_code == 200
    assert len(_titles(response)) == 3
    assert response.context["listing"].form.errors


def test_paginated_and_filters_kept_in_page_links():
    index = rex_index()
    for number in range(services.PER_PAGE + 2):
        rex_page(title=f"REX {number}", slug=f"rex-{number}", tlp=Tlp.CLEAR)
    client = Client()
    first = client.get(index.url, {"incident_type": "ransomware"})
    assert len(_titles(first)) == services.PER_PAGE
    assert "incident_type=ransomware&amp;page=2" in first.content.decode()
    second = client.get(index.url, {"incident_type": "ransomware", "page": 2})
    assert len(_titles(second)) == 2


def test_listing_queries_do_not_grow_with_the_number_of_rex(
    caregiver, django_assert_max_num_queries
):
    index = rex_index()
    client = Client()
    client.force_login(caregiver)
    for number in range(3):
        rex_page(title=f"Petit {number}", slug=f"petit-{number}", tlp=Tlp.GREEN)
    client.get(index.url)  # warm the site and menu caches shared by every page
    with django_assert_max_num_queries(15) as few:
        client.get(index.url, {"incident_type": "ransomware"})
    few_count = len(few)
    for number in range(15):
        rex_page(title=f"Grand {number}", slug=f"grand-{number}", tlp=Tlp.GREEN)
    client.get(index.url)
    with django_assert_max_num_queries(few_count):
        response = client.get(index.url, {"incident_type": "ransomware", "page": 2})
    assert len(_titles(response)) == 6


def test_index_links_to_submission_and_statistics(caregiver):
    index = rex_index()
    anonymous = Client().get(index.url).content.decode()
    assert reverse("docs_base:rex_statistics") in anonymous
    assert reverse("docs_base:rex_submit") not in anonymous
    client = Client()
    client.force_login(caregiver)
    page = client.get(index.url).content.decode()
    assert reverse("docs_base:rex_submit") in page
    assert reverse("docs_base:rex_mine") in page


def test_navigation_entry_and_home_section(caregiver):
    assert Client().get(reverse("docs_base:rex_home")).status_code == 404  # no index yet
    index = rex_index()
    rex_page(title="Visible de tous", slug="visible", tlp=Tlp.CLEAR)
    rex_page(title="Réservé aux membres", slug="reserve", tlp=Tlp.GREEN)
    response = Client().get(reverse("docs_base:rex_home"))
    assert response.status_code == 302 and response["Location"] == index.url

    home = Client().get(home_page().url).content.decode()
    assert reverse("docs_base:rex_home") in home  # header navigation
    assert "Visible de tous" in home
    assert "Réservé aux membres" not in home
    client = Client()
    client.force_login(caregiver)
    assert "Réservé aux membres" in client.get(home_page().url).content.decode()


def test_cited_pages_shown_only_when_the_reader_may_see_them(caregiver):
    from tests.portal.factories import standard_page

    public = standard_page(title="Guide public", slug="guide-public")
    restricted = standard_page(
        title="Guide RSSI", slug="guide-rssi", access_level="roles", allowed_roles={Role.RSSI}
    )
    page = rex_page(
        tlp=Tlp.CLEAR,
        cited_pages=[("page", restricted), ("page", public)],
    )
    client = Client()
    client.force_login(caregiver)
    body = client.get(page.url).content.decode()
    assert "Guide public" in body
    assert "Guide RSSI" not in body
