"""The database backend's bounded answers: beyond the exact limit, counts come from a sample,
and beyond ``ranking.EXACT_RANKING`` matches the page from the candidates the impact lists
give, without scoring every match. The limits are lowered here so that a small corpus takes
that path; everything the exact path promises about permissions must still hold."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from portal.access import AccessLevel, Role
from search import backends, ranking, services
from search.backends import fulltext
from search.backends.postgres_fts import PostgresFullText
from search.backends.sqlite_fts import SqliteFullText
from search.documents import SearchDocument
from tests.portal.factories import EstablishmentFactory, MemberFactory
from tests.search.conftest import ask, params

CANARY = "zorglubium"
NOW = timezone.now()
PUBLIC_IN_TITLE = 12
PUBLIC_IN_BODY = 20
RESTRICTED = 30


def doc(number, title, body, days, **fields):
    return SearchDocument(
        key=f"bounded:{number}",
        kind="documents" if number % 2 else "rex",
        title=title,
        url=f"/bounded/{number}/",
        body=body,
        date=NOW - datetime.timedelta(days=days),
        facets={"theme": ("backups" if number % 3 else "governance",)},
        **fields,
    )


def limit(monkeypatch, exact):
    for engine in (SqliteFullText, PostgresFullText):
        monkeypatch.setattr(engine, "exact_limit", exact)


@pytest.fixture
def bounded(monkeypatch):
    limit(monkeypatch, 8)


@pytest.fixture
def people(db):
    hospital = EstablishmentFactory()
    return {
        "anonymous": AnonymousUser(),
        "caregiver": MemberFactory(
            profile__roles={Role.CAREGIVER}, profile__establishment=hospital
        ),
        "rssi": MemberFactory(profile__roles={Role.RSSI}, profile__establishment=hospital),
    }


@pytest.fixture
def corpus(db, monkeypatch):
    """Indexed in one go, in this order: ids, hence indexing order, follow the numbers.
    Samples are one match in four here (one in 64 in production)."""
    monkeypatch.setattr(fulltext, "SAMPLE_RATE", 4)
    documents, number = [], 0
    for i in range(PUBLIC_IN_TITLE):
        number += 1
        documents.append(doc(number, f"Sauvegarde hors ligne {i}", "Procédure.", days=i))
    for i in range(PUBLIC_IN_BODY):
        number += 1
        documents.append(
            doc(number, f"Fiche réflexe {i}", "Vérifier la sauvegarde du serveur.", days=40 + i)
        )
    for i in range(RESTRICTED):
        number += 1
        documents.append(
            doc(
                number,
                f"Sauvegarde {CANARY} {i}",
                f"La sauvegarde {CANARY} du SIH.",
                days=i,
                access_level=AccessLevel.ROLES,
                allowed_roles=frozenset({Role.RSSI}),
            )
        )
    backends.get_database().rebuild(documents)
    return documents


def keys(found):
    return [hit.key for hit in found.hits]


def every_page(user, **options):
    pages, offset = [], 0
    while True:
        found = ask(backends.get_database(), user, "sauvegarde", offset=offset, **options)
        if not found.hits:
            return pages, found
        pages.append(found)
        offset += 10


def test_large_result_sets_are_estimated_and_bounded(bounded, corpus, people):
    found = ask(backends.get_database(), people["caregiver"], "sauvegarde")
    assert found.estimated
    visible = PUBLIC_IN_TITLE + PUBLIC_IN_BODY
    assert 0.5 * visible <= found.total <= 1.5 * visible  # from a sample of one in 4
    assert set(found.module_counts) <= {"documents", "rex"}
    assert set(found.facet_counts["theme"]) <= {"backups", "governance"}


def ranked_by_impact(monkeypatch):
    """Few enough matches are all scored: lower the bound so that the impact lists choose."""
    monkeypatch.setattr(ranking, "EXACT_RANKING", 4)
    monkeypatch.setattr(ranking, "CANDIDATES", 6)


def test_pages_are_ranked_by_relevance_then_date_never_indexing_order(
    bounded, corpus, people, monkeypatch
):
    ranked_by_impact(monkeypatch)
    pages, _found = every_page(people["caregiver"])
    order = [key for page in pages for key in keys(page)]
    in_title = [f"bounded:{n}" for n in range(1, PUBLIC_IN_TITLE + 1)]  # newest first
    in_body = [
        f"bounded:{n}" for n in range(PUBLIC_IN_TITLE + 1, PUBLIC_IN_TITLE + PUBLIC_IN_BODY + 1)
    ]
    assert order == in_title + in_body  # every visible match once, title matches first


def test_the_answer_is_the_same_whatever_the_indexing_order(bounded, corpus, people, monkeypatch):
    ranked_by_impact(monkeypatch)
    before = [keys(page) for page in every_page(people["caregiver"])[0]]
    backends.get_database().rebuild(list(reversed(corpus)))  # ids, hence rowids, reversed
    assert [keys(page) for page in every_page(people["caregiver"])[0]] == before


def test_date_sort_walks_dates_newest_first(bounded, corpus, people):
    pages, _found = every_page(people["caregiver"], sort="date")
    dates = [hit.date for page in pages for hit in page.hits]
    assert len(dates) == PUBLIC_IN_TITLE + PUBLIC_IN_BODY
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("who", ["anonymous", "caregiver"])
def test_restricted_matches_stay_out_of_estimates_and_pages(bounded, corpus, people, who):
    pages, _found = every_page(people[who], sort="relevance")
    for page in pages:
        assert page.estimated
        assert all(CANARY not in hit.title + hit.body for hit in page.hits)
        assert page.total <= 1.5 * (PUBLIC_IN_TITLE + PUBLIC_IN_BODY)
    assert not ask(backends.get_database(), people[who], CANARY).total


def test_the_positive_control_sees_restricted_matches(bounded, corpus, people):
    found = ask(backends.get_database(), people["rssi"], "sauvegarde")
    assert found.estimated
    assert found.total > 1.5 * (PUBLIC_IN_TITLE + PUBLIC_IN_BODY)
    assert any(CANARY in hit.title for hit in found.hits)


def test_few_visible_matches_among_many_are_counted_exactly(monkeypatch, corpus, people):
    limit(monkeypatch, 40)  # 62 matches, 32 visible to a caregiver
    found = ask(backends.get_database(), people["caregiver"], "sauvegarde")
    assert not found.estimated
    assert found.total == PUBLIC_IN_TITLE + PUBLIC_IN_BODY
    assert found.module_counts == {"documents": 16, "rex": 16}


def test_a_filter_applies_to_estimates_and_pages(bounded, corpus, people):
    found = ask(
        backends.get_database(),
        people["caregiver"],
        "sauvegarde",
        facet_filters={"theme": frozenset({"governance"})},
    )
    assert found.hits
    assert all(hit.facets["theme"] == ["governance"] for hit in found.hits)
    assert set(found.facet_counts["theme"]) == {"governance"}


def test_the_page_says_the_numbers_are_estimates(bounded, corpus, people):
    results = services.search(people["caregiver"], params("sauvegarde"), record=False)
    assert results.estimated
    assert results.total == services._rounded(results.total)


@pytest.mark.parametrize(("count", "shown"), [(7, 7), (99, 99), (184, 180), (56_202, 56_000)])
def test_estimates_are_rounded_to_two_significant_digits(count, shown):
    assert services._rounded(count) == shown


def test_the_search_page_says_about_and_shows_no_restricted_count(bounded, corpus, client):
    page = client.get("/recherche/", {"q": "sauvegarde"}).content.decode()
    assert "Environ" in page and "les nombres sont estimés" in page
    assert CANARY not in page
    page = client.get("/recherche/", {"q": "sauvegarde", "sort": "date"}).content.decode()
    assert "Environ" in page and "viennent en premier" not in page


@pytest.mark.parametrize("limit_value", [8, 40])
def test_answers_do_not_depend_on_restricted_matches(monkeypatch, corpus, people, limit_value):
    """Whether to estimate, the sample and the estimates depend on visible matches alone: the
    caregiver's answer is the same once the restricted matches are gone from the index."""
    limit(monkeypatch, limit_value)

    def answer():
        found = ask(backends.get_database(), people["caregiver"], "sauvegarde")
        return (found.estimated, found.total, found.module_counts, found.facet_counts, keys(found))

    before = answer()
    backends.get_database().delete([d.key for d in corpus if CANARY in d.title])
    assert answer() == before
