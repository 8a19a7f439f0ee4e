"""The short-lived cache of the search service's answer: shared within an audience only,
retired by any index write, statistics still counted on every search."""

import pytest
from django.urls import reverse
from django.utils import translation

from portal.access import AccessLevel, Role
from search import answer_cache, services
from search.models import QueryStat, SearchKindWeight, SynonymGroup
from search.services import SearchParams
from tests.portal.factories import (
    EstablishmentFactory,
    MemberFactory,
    client_for,
    home_page,
    standard_page,
)

pytestmark = pytest.mark.django_db

CANARY = "zorglubine"


@pytest.fixture
def corpus():
    home_page()
    standard_page(title="Sauvegardes hors ligne", slug="sauvegardes")
    standard_page(
        title=f"Sauvegardes internes {CANARY}",
        slug="note-rssi",
        access_level=AccessLevel.ROLES,
        allowed_roles={Role.RSSI},
    )


@pytest.fixture
def service_calls(monkeypatch):
    """How many times the search service itself answered (the real one is called)."""
    calls = []
    real = services.search

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "search", counted)
    return calls


def rssi():
    return MemberFactory(profile__roles={Role.RSSI}, profile__establishment=EstablishmentFactory())


def test_one_audience_shares_an_answer(corpus, service_calls):
    establishment = EstablishmentFactory()
    first, second = (
        MemberFactory(profile__roles={Role.RSSI}, profile__establishment=establishment)
        for _ in range(2)
    )
    answers = [answer_cache.search(user, SearchParams("sauvegardes")) for user in (first, second)]
    assert len(service_calls) == 1
    assert [hit.url for hit in answers[0].hits] == [hit.url for hit in answers[1].hits]
    assert answers[1].total == 2


@pytest.mark.parametrize("who", ["anonymous", "caregiver", "dpo"])
def test_another_audience_never_gets_a_restricted_answer(corpus, service_calls, who):
    assert CANARY in client_for(rssi()).get("/recherche/", {"q": "sauvegardes"}).content.decode()
    user = {
        "anonymous": None,
        "caregiver": MemberFactory(profile__roles={Role.CAREGIVER}),
        "dpo": MemberFactory(profile__roles={Role.DPO}),
    }[who]
    html = client_for(user).get("/recherche/", {"q": "sauvegardes"}).content.decode()
    assert CANARY not in html and "1 résultat" in html
    assert len(service_calls) == 2


def test_the_filters_page_and_language_are_part_of_the_key(corpus, service_calls):
    user = rssi()
    client = client_for(user)
    for query in ({"q": "sauvegardes"}, {"q": "sauvegardes", "page": 2}, {"q": "hors ligne"}):
        client.get("/recherche/", query)
    with translation.override("en"):
        english = reverse("search:results")
    assert english.startswith("/en/")
    client.get(english, {"q": "sauvegardes"})
    client.get("/recherche/", {"q": "sauvegardes", "sort": "date"})
    assert len(service_calls) == 5
    client.get("/recherche/", {"q": "sauvegardes"})
    assert len(service_calls) == 5


def test_any_index_write_retires_the_answers(corpus, service_calls):
    client = client_for(rssi())
    assert "2 résultats" in client.get("/recherche/", {"q": "sauvegardes"}).content.decode()
    standard_page(title="Sauvegardes testées", slug="testees")  # indexed live
    assert "3 résultats" in client.get("/recherche/", {"q": "sauvegardes"}).content.decode()
    SynonymGroup.objects.create(terms="sauvegarde, backup")
    client.get("/recherche/", {"q": "sauvegardes"})
    assert len(service_calls) == 3


def test_an_editors_content_weight_retires_the_answers_and_pages(corpus, service_calls):
    """A weight per kind of content changes the order: no answer or page ranked with the old
    weights is served once an editor saved or removed one."""
    client = client_for(None)
    client.get("/recherche/", {"q": "sauvegardes"})
    assert client.get("/recherche/", {"q": "sauvegardes"})["X-Page-Cache"] == "hit"
    assert len(service_calls) == 1
    weight = SearchKindWeight.objects.create(kind="pages", weight=2.0)
    assert client.get("/recherche/", {"q": "sauvegardes"}).get("X-Page-Cache") is None
    assert len(service_calls) == 2
    weight.delete()
    assert client.get("/recherche/", {"q": "sauvegardes"}).get("X-Page-Cache") is None
    assert len(service_calls) == 3


@pytest.mark.parametrize("member", [False, True])
def test_each_search_is_counted_even_from_the_page_cache(corpus, member):
    client = client_for(rssi() if member else None)
    responses = [client.get("/recherche/", {"q": "Sauvegardes~"}) for _ in range(3)]
    assert [r.get("X-Page-Cache") for r in responses] == [None, "hit", "hit"]
    client.get("/recherche/", {"q": "sauvegardes", "page": 2})  # later pages are not counted
    client.get("/recherche/", {"q": "de la"})  # nor searches without a word to search
    client.get("/recherche/", {"q": "de la"})
    assert list(QueryStat.objects.values_list("query", "searches")) == [("sauvegardes~", 3)]


def test_an_index_write_retires_the_cached_search_pages(corpus):
    for client in (client_for(None), client_for(rssi())):
        client.get("/recherche/", {"q": "sauvegardes"})
        assert client.get("/recherche/", {"q": "sauvegardes"})["X-Page-Cache"] == "hit"
    standard_page(title="Sauvegardes testées", slug="testees")
    anonymous = client_for(None).get("/recherche/", {"q": "sauvegardes"})
    assert anonymous.get("X-Page-Cache") is None and "2 résultats" in anonymous.content.decode()


def test_a_cached_search_page_reads_a_bounded_number_of_queries(
    corpus, django_assert_max_num_queries
):
    client = client_for(rssi())
    client.get("/recherche/", {"q": "sauvegardes"})
    # Session, user, statistics, unread notifications, site (the answer comes from the cache).
    with django_assert_max_num_queries(6):
        client.get("/recherche/", {"q": "sauvegardes"})
