"""The catalogue: access-aware facets and counts, combinations, sort, pages, bounded queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from docs_base.documents import catalogue
from docs_base.documents.downloads import count_download
from docs_base.models.documents import DocumentIndexPage
from portal import page_cache
from portal.access import AccessLevel
from tests.docs_base.factories import document_index, document_page, reader
from tests.portal.factories import EstablishmentFactory, client_for, home_page

pytestmark = pytest.mark.django_db


def counts_of(response, facet):
    view = next(f for f in response.context["catalogue"].facets if f.name == facet)
    return {value.code: value.count for value in view.values}


def titles_of(response):
    return [page.title for page in response.context["catalogue"].page_obj.object_list]


@pytest.fixture
def corpus():
    est_a = EstablishmentFactory(name="CH A")
    est_b = EstablishmentFactory(name="CH B")
    index = document_index()
    document_page(title="Sauvegardes publiques", themes={"backups"}, source="gcs")
    document_page(
        title="PCA membres",
        themes={"backups", "governance"},
        document_type="template",
        source="ars",
        access_level=AccessLevel.MEMBERS,
    )
    document_page(
        title="Secret RSSI",
        themes={"backups"},
        document_type="procedure",
        source="anssi",
        access_level=AccessLevel.ROLES,
        allowed_roles={"rssi"},
        audiences={"rssi"},
    )
    document_page(
        title="Interne CH B",
        themes={"backups"},
        source="member",
        access_level=AccessLevel.ESTABLISHMENT,
        establishment=est_b,
        establishment_types={"ehpad"},
    )
    document_page(title="Archive sauvegardes", themes={"backups"}, archived=True)
    return {"index": index, "a": est_a, "b": est_b}


def test_counts_never_include_a_document_the_reader_may_not_see(corpus):
    url = corpus["index"].url
    anonymous = client_for().get(url)
    assert counts_of(anonymous, "theme")["backups"] == 1
    assert titles_of(anonymous) == ["Sauvegardes publiques"]
    assert "Secret RSSI" not in anonymous.content.decode()
    assert counts_of(anonymous, "source")["anssi"] == 0

    caregiver = client_for(reader(establishment=corpus["a"])).get(url)
    assert counts_of(caregiver, "theme")["backups"] == 2
    assert counts_of(caregiver, "type")["procedure"] == 0
    assert "Secret RSSI" not in caregiver.content.decode()
    assert "Interne CH B" not in caregiver.content.decode()

    rssi = client_for(reader(roles={"rssi"}, establishment=corpus["a"])).get(url)
    assert counts_of(rssi, "theme")["backups"] == 3
    assert counts_of(rssi, "source")["anssi"] == 1
    assert counts_of(rssi, "source")["member"] == 0

    colleague_b = client_for(reader(establishment=corpus["b"])).get(url)
    assert counts_of(colleague_b, "source")["member"] == 1
    assert "Interne CH B" in titles_of(colleague_b)


def test_archived_documents_are_neither_listed_nor_counted(corpus):
    response = client_for().get(corpus["index"].url)
    assert "Archive sauvegardes" not in response.content.decode()
    assert response.context["catalogue"].total == 1


def test_or_within_a_facet_and_across_facets(corpus):
    member = client_for(reader(roles={"rssi"}, establishment=corpus["a"]))
    url = corpus["index"].url
    either_type = member.get(url, {"type": ["template", "procedure"]})
    assert sorted(titles_of(either_type)) == ["PCA membres", "Secret RSSI"]
    both_facets = member.get(url, {"type": ["template", "procedure"], "source": "anssi"})
    assert titles_of(both_facets) == ["Secret RSSI"]
    # A facet's counts apply the other facets' filters, not its own.
    assert counts_of(both_facets, "type") == {
        **{code: 0 for code in counts_of(both_facets, "type")},
        "procedure": 1,
    }
    assert counts_of(both_facets, "source")["ars"] == 1  # adding "ars" would give one more


def test_empty_audience_or_establishment_type_means_every_one(corpus):
    member = client_for(reader(establishment=corpus["b"]))
    response = member.get(corpus["index"].url, {"establishment_type": "ehpad"})
    # The EHPAD-specific document and the generic ones (no establishment type).
    assert sorted(titles_of(response)) == ["Interne CH B", "PCA membres", "Sauvegardes publiques"]
    chu = member.get(corpus["index"].url, {"establishment_type": "chu"})
    assert "Interne CH B" not in titles_of(chu)


def test_bad_parameters_change_nothing(corpus):
    response = client_for().get(
        corpus["index"].url, {"theme": "nope", "sort": "x' OR 1=1", "page": "abc"}
    )
    assert response.status_code == 200
    assert titles_of(response) == ["Sauvegardes publiques"]
    assert response.context["catalogue"].sort == "date"


def test_sort_by_date_or_popularity():
    index = document_index()
    older = document_page(title="Ancien populaire")
    newer = document_page(title="Récent")
    for _ in range(3):
        count_download(older)
    by_date = client_for().get(index.url)
    assert titles_of(by_date) == ["Récent", "Ancien populaire"]
    by_popularity = client_for().get(index.url, {"sort": "popularity"})
    assert titles_of(by_popularity) == ["Ancien populaire", "Récent"]
    assert newer.pk  # both listed


def test_pagination_keeps_the_selection():
    index = document_index()
    for number in range(catalogue.PER_PAGE + 2):
        document_page(title=f"Guide {number}", themes={"email"})
    response = client_for().get(index.url, {"theme": "email", "page": 2})
    assert len(titles_of(response)) == 2
    html = response.content.decode()
    assert 'class="fr-pagination' in html
    assert "?theme=email&amp;page=1" in html


def test_search_box_searches_within_the_base_through_the_unified_search(corpus):
    html = client_for().get(corpus["index"].url).content.decode()
    assert f'action="{reverse("search:results")}"' in html
    assert 'name="q"' in html
    assert '<input type="hidden" name="module" value="documents">' in html


def test_featured_documents_never_archived():
    index = document_index()
    document_page(title="Mis en avant", featured=True)
    document_page(title="Archivé en avant", featured=True, archived=True)
    response = client_for().get(index.url)
    assert [page.title for page in response.context["catalogue"].featured] == ["Mis en avant"]


def _catalogue_queries(client, url):
    cache.clear()  # the same cold caches for every measure
    page_cache.reset()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"theme": ["backups", "email"], "sort": "popularity"})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_query_count_does_not_grow_with_the_number_of_documents(who, django_assert_max_num_queries):
    index = document_index()
    client = client_for(None if who == "anonymous" else reader(roles={"rssi"}))
    for number in range(3):
        document_page(title=f"Premier {number}", themes={"backups"}, audiences={"rssi"})
    few = _catalogue_queries(client, index.url)
    for number in range(15):
        document_page(
            title=f"Second {number}",
            themes={"backups", "email"},
            access_level=AccessLevel.MEMBERS if number % 2 else AccessLevel.PUBLIC,
        )
    many = _catalogue_queries(client, index.url)
    assert many == few
    with django_assert_max_num_queries(25):
        client.get(index.url, {"theme": ["backups"], "page": 2})


def test_navigation_entry_leads_to_the_catalogue_elsewhere():
    index = DocumentIndexPage(title="Documentation", slug="documentation")
    home_page().add_child(instance=index)
    index.save_revision().publish()
    response = client_for().get(reverse("docs_base:catalogue"))
    assert response.status_code == 302
    assert response["Location"] == index.url


def test_navigation_entry_leads_to_the_catalogue():
    index = DocumentIndexPage(title="Base", slug="base-documentaire")
    home_page().add_child(instance=index)
    index.save_revision().publish()
    document_page(parent=index, title="Sous le préfixe")
    response = client_for().get(reverse("docs_base:catalogue"), follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == index.url
    assert "Sous le préfixe" in response.content.decode()


def test_navigation_entry_is_404_without_a_catalogue():
    home_page()
    assert client_for().get(reverse("docs_base:catalogue")).status_code == 404
