"""Relevance ranking of the database backend (``search.ranking``), on the suite's engine:
field weights, proximity, coverage, the editors' weight per kind, impact tokens."""

import datetime
from dataclasses import replace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from search import backends, ranking
from search.analysis import parse, terms
from search.backends.base import SearchRequest
from search.backends.database import DatabaseBackend
from search.documents import SearchDocument
from search.models import SearchKindWeight
from search.services import find
from tests.search.conftest import ask

NOW = timezone.now()
FILLER = " ".join(["Le service tient son registre à jour chaque semaine."] * 6)


def doc(key, title="Note", body=FILLER, kind="documents", days=10, **fields):
    return SearchDocument(
        key=key,
        kind=kind,
        title=title,
        url=f"/{key}/",
        body=body,
        date=NOW - datetime.timedelta(days=days),
        **fields,
    )


def ranked(text, user=None, **options):
    found = ask(backends.get_database(), user or AnonymousUser(), text, **options)
    return [hit.key for hit in found.hits]


@pytest.fixture
def index(db):
    def build(*documents):
        backends.get_database().rebuild(list(documents))

    return build


def test_fields_weigh_title_then_tags_then_summary_then_body(index):
    index(
        doc("body", body=f"{FILLER} Zéphyrin.", days=1),
        doc("summary", summary="Zéphyrin.", days=2),
        doc("tags", tags=("zéphyrin",), days=3),
        doc("title", title="Note zéphyrin", days=4),  # the oldest: dates only break ties
    )
    assert ranked("zephyrin") == ["title", "tags", "summary", "body"]


def test_words_side_by_side_rank_above_scattered_ones(index):
    index(
        doc("scattered", body=f"Inventaire annuel. {FILLER} Logiciel.", days=1),
        doc("together", body=f"Inventaire logiciel annuel. {FILLER}", days=2),
    )
    assert ranked("inventaire logiciel") == ["together", "scattered"]


def test_pages_matching_more_words_come_first_then_those_matching_fewer(index):
    index(
        doc("all", body=f"{FILLER} Inventaire, logiciel et imprimante.", days=3),
        doc("two", title="Inventaire logiciel", days=1),
        doc("one", title="Imprimante", days=2),
    )
    request = SearchRequest(
        query=parse("inventaire logiciel imprimante"), user=AnonymousUser(), limit=10
    )
    answer = find(request)
    assert [hit.key for hit in answer.found.hits] == ["all", "two", "one"]
    assert not answer.any_word  # some pages match every word: no "none contains them all"


def test_the_editors_weight_per_kind_orders_equal_pages(index):
    index(
        doc("guide", title="Inventaire", kind="documents", days=5),
        doc("post", title="Inventaire", kind="forum", days=1),
    )
    assert ranked("inventaire") == ["post", "guide"]  # equal: the newest first
    weight = SearchKindWeight.objects.create(kind="forum", weight=0.5)
    assert ranked("inventaire") == ["guide", "post"]
    weight.weight = 2.0
    weight.save()
    assert ranked("inventaire") == ["post", "guide"]
    weight.delete()
    SearchKindWeight.objects.create(kind="documents", weight=1.5)
    assert ranked("inventaire") == ["guide", "post"]


@pytest.mark.parametrize(
    ("kind", "weight", "field"),
    [("nonexistent", 1.0, "kind"), ("documents", 10.0, "weight"), ("forum", 0.1, "weight")],
)
def test_kind_weights_are_checked(db, kind, weight, field):
    with pytest.raises(ValidationError) as error:
        SearchKindWeight(kind=kind, weight=weight).full_clean()
    assert field in error.value.message_dict


def test_a_kind_weight_in_range_is_accepted(db):
    SearchKindWeight(kind="forum", weight=0.5).full_clean()


def test_impact_levels_depend_on_the_page_alone():
    fields = [["sauvegard"], [], [], ["sauvegard", "serveur"] + ["mot"] * 50]
    tokens = ranking.impact_tokens(fields, length=52)
    assert tokens == ranking.impact_tokens(fields, length=52)
    levels = {term: int(lvl) for term, lvl in (token.rsplit("z", 1) for token in tokens)}
    assert levels["sauvegard"] > levels["serveur"]  # in the title as well as the body
    assert levels["mot"] > levels["serveur"]
    once_in_a_long_body = ranking.impact_tokens([[], [], [], ["serveur"] + ["mot"] * 600], 601)
    assert not [t for t in once_in_a_long_body if t.startswith("serveurz")]  # not a champion


def test_broad_queries_rank_from_the_impact_lists_as_exact_scoring_does(index, monkeypatch):
    """Beyond EXACT_RANKING matches, the candidates come from the impact lists: with pages
    whose weights differ widely, the top of the list is the same as scoring every match."""
    pages = [doc(f"body:{n:02d}", body=f"{FILLER} Inventaire.", days=n) for n in range(30)]
    pages += [doc(f"title:{n}", title=f"Inventaire {n}", days=40 + n) for n in range(5)]
    index(*pages)
    exact = ranked("inventaire")
    monkeypatch.setattr(ranking, "EXACT_RANKING", 3)
    monkeypatch.setattr(ranking, "CANDIDATES", 5)
    assert ranked("inventaire") == exact
    assert exact[:5] == [f"title:{n}" for n in range(5)]


def test_a_weak_page_matching_every_word_stays_first_when_many_match_any(index, monkeypatch):
    """By relevance, the few pages matching every word come first even when the pages
    matching any word are too many to be all scored and the every-word page holds no impact
    token (each word once in a long body): coverage ranks first, whatever the candidates."""
    weak = f"{FILLER * 2} Inventaire. {FILLER * 2} Logiciel. {FILLER * 2}"
    pages = [doc("both", body=weak, days=50)]
    pages += [doc(f"inventaire:{n:02d}", title=f"Inventaire {n}", days=n) for n in range(40)]
    pages += [doc(f"logiciel:{n:02d}", title=f"Logiciel {n}", days=n) for n in range(40)]
    index(*pages)
    weak_terms = terms(weak)
    tokens = ranking.impact_tokens([["not"], [], [], weak_terms], len(weak_terms))
    assert not [t for t in tokens if t.startswith(("inventairz", "logicielz"))]
    monkeypatch.setattr(ranking, "EXACT_RANKING", 10)
    monkeypatch.setattr(ranking, "CANDIDATES", 12)
    request = SearchRequest(query=parse("inventaire logiciel"), user=AnonymousUser(), limit=10)
    answer = find(request)
    assert [hit.key for hit in answer.found.hits][0] == "both"
    second = find(replace(request, offset=10))
    assert "both" not in [hit.key for hit in second.found.hits]


def test_a_weak_page_missing_one_word_of_three_comes_before_pages_with_one(index, monkeypatch):
    weak = f"{FILLER * 2} Inventaire. {FILLER * 2} Logiciel. {FILLER * 2}"
    pages = [doc("two", body=weak, days=50)]
    for word in ("Inventaire", "Logiciel", "Imprimante"):
        pages += [doc(f"{word}:{n:02d}", title=f"{word} {n}", days=n) for n in range(30)]
    index(*pages)
    monkeypatch.setattr(ranking, "EXACT_RANKING", 10)
    monkeypatch.setattr(ranking, "CANDIDATES", 12)
    text = "inventaire logiciel imprimante"
    request = SearchRequest(query=parse(text), user=AnonymousUser(), limit=10)
    answer = find(request)
    assert answer.any_word
    assert [hit.key for hit in answer.found.hits][0] == "two"


def test_more_words_score_more_candidates(monkeypatch):
    """A page's score sums each word's weight while the impact levels order pages by one word's
    weight: each word beyond the first adds candidates (never fewer than three pages' worth)."""
    monkeypatch.setattr(ranking, "CANDIDATES", 80)
    wanted = [ranking.candidates_wanted(parse(text), 10) for text in ("a1", "a1 b2", "a1 b2 c3")]
    assert wanted == [80, 120, 160]
    assert ranking.candidates_wanted(parse("a1"), 100) == 300


def test_a_page_naming_a_rare_synonym_too_is_scored_among_many_matches(index, monkeypatch):
    """A clause sums its synonyms' occurrences, the impact lists weigh each term alone: the
    page naming the common word once and its rare synonym too stands below pages naming the
    common word twice in those lists, yet scores above them. Every match of a rare synonym is
    a candidate."""
    from search.models import SynonymGroup

    SynonymGroup.objects.create(terms="inventaire, stocktake")
    pages = [
        doc(f"common:{n:02d}", title=f"Inventaire {n}", summary="Inventaire.", days=n)
        for n in range(30)
    ]
    pages.append(doc("both", title="Inventaire", tags=("stocktake",), days=50))
    index(*pages)
    assert ranked("inventaire")[0] == "both"  # every match scored
    monkeypatch.setattr(ranking, "EXACT_RANKING", 3)
    monkeypatch.setattr(ranking, "CANDIDATES", 5)
    assert ranked("inventaire")[0] == "both"
    assert ranked("stocktake")[0] == "both"


def test_a_word_repeated_in_a_title_counts_once(index):
    """Short fields name a page's subject or not: a title repeating the word weighs no more
    than a title naming it once, and a tag then decides."""
    index(
        doc("repeated", title="Sauvegarde : sauvegarder les sauvegardes", days=1),
        doc("tagged", title="Sauvegardes : la règle 3-2-1", tags=("sauvegarde",), days=2),
    )
    assert ranked("sauvegarde") == ["tagged", "repeated"]
    assert ranking.counted([[(0, 0), (0, 2), (3, 5), (3, 9)]]) == [1, 0, 0, 2]
    assert ranking.counted([[(1, 0)], [(1, 1), (1, 3)]]) == [0, 2, 0, 0]  # two synonyms tagged


def test_the_word_as_typed_ranks_above_its_common_synonym(index, db):
    """A synonym group widens what a word finds and never lowers the pages naming the word as
    typed: the rare word, once in a title, outranks the common one in title and tags."""
    from search.models import SynonymGroup

    SynonymGroup.objects.create(terms="rançongiciel, cryptolocker")
    pages = [
        doc(f"common:{n}", title=f"Rançongiciel {n}", tags=("rançongiciel",), days=n)
        for n in range(5)
    ]
    index(doc("typed", title="Un cryptolocker chiffre les fichiers", days=30), *pages)
    assert ranked("cryptolocker")[0] == "typed"
    assert ranked("rançongiciel")[-1] == "typed"  # the common word typed: the usual order


def test_words_scattered_over_fields_count_in_the_weakest(index):
    """A synonym known as a phrase matches its words anywhere; a title holding one of them
    does not make the page a title match."""
    from search.models import SynonymGroup

    SynonymGroup.objects.create(terms="faux ordre de virement, FOVI")
    index(
        doc("scattered", title="Faux départ", body=f"{FILLER} Un ordre de virement.", days=1),
        doc("together", tags=("FOVI",), body=f"{FILLER} Un faux ordre de virement.", days=2),
    )
    assert ranked("faux ordre de virement") == ["together", "scattered"]


def test_words_side_by_side_in_a_title_weigh_as_the_title_does(index):
    """The proximity boost weighs as the field where the words stand together: the page
    titled with both words side by side outranks one naming them apart in more fields."""
    index(
        doc("title", title="Courriels frauduleux", days=3),
        doc(
            "apart",
            title="Courriels",
            tags=("frauduleux",),
            summary="Courriels signalés par le service comptable comme frauduleux.",
            body=f"Courriels. {FILLER} Frauduleux. {FILLER} Courriels. {FILLER} Frauduleux.",
            days=1,
        ),
    )
    assert ranked("courriel frauduleux") == ["title", "apart"]


def test_a_crowded_step_of_the_impact_lists_is_read_level_by_level(index, monkeypatch):
    """Pages naming a word in their title and summary crowd a few per cent of weight: a step
    holding too many is read level by level, the highest first, rather than cut in key
    order (which would keep two "a:" pages, then take the next step's, and miss the best)."""
    index(
        doc("z:best", title="Inventaire", summary="Inventaire.", body=FILLER + " Inventaire." * 6),
        *(
            doc(
                f"a:{i}",
                title="Inventaire",
                summary="Inventaire.",
                body=FILLER + " Inventaire." * n,
            )
            for i, n in enumerate((1, 2, 3, 3))
        ),
    )
    monkeypatch.setattr(ranking, "EXACT_RANKING", 1)
    monkeypatch.setattr(ranking, "CANDIDATES", 1)
    monkeypatch.setattr(ranking, "MAX_STEP_ROWS", 2)
    assert ranked("inventaire", limit=1) == ["z:best"]
    monkeypatch.setattr(ranking, "FINE_STEP_SPLIT", 0)  # the step cut in key order instead
    assert ranked("inventaire", limit=1) != ["z:best"]


def test_a_page_titled_with_every_word_is_scored_among_many_matches(index, monkeypatch):
    """The impact lists order pages by one word's weight while a score sums every word's:
    the page titled with both words stands low in each list yet scores first, so the pages
    whose title holds every word are candidates when they are few."""
    strong = [
        doc(
            f"a:{n:02d}",
            title=f"Inventaire {n}",
            summary="Inventaire.",
            body=f"{FILLER} Inventaire. {FILLER} Imprimante." + " Inventaire." * 6,
        )
        for n in range(12)
    ]
    index(*strong, doc("z:titled", title="Inventaire imprimante"))
    assert ranked("inventaire imprimante")[0] == "z:titled"  # every match scored
    monkeypatch.setattr(ranking, "EXACT_RANKING", 3)
    monkeypatch.setattr(ranking, "CANDIDATES", 4)
    assert ranked("inventaire imprimante", limit=1) == ["z:titled"]
    monkeypatch.setattr(DatabaseBackend, "_titled", lambda *args: [])  # the lists alone
    assert ranked("inventaire imprimante", limit=1) != ["z:titled"]


def test_words_side_by_side_in_the_query_order_rank_above_the_reverse(index):
    index(
        doc("reversed", title="Frauduleux : courriels", days=1),
        doc("in order", title="Courriels frauduleux", days=2),
    )
    assert ranked("courriel frauduleux") == ["in order", "reversed"]
    assert ranked("frauduleux courriel") == ["reversed", "in order"]


def test_bounds_leave_the_first_pages_as_scoring_every_body_gives_them(monkeypatch):
    """A page given as its analysed fields is bounded from its short fields and its body's
    counts (``ranking._bound``): a bound is never below the score, is the score when the body's
    positions cannot matter, and the first ``end`` pages are those (and in the order) that
    reading every body's positions gives; a one-word query reads no body's positions."""
    import random

    from search.analysis import Synonyms

    rng = random.Random(7)
    vocabulary = [
        "mot",
        "passe",
        "password",
        "serveur",
        "sauvegarde",
        "réseau",
        "registre",
        "semaine",
        "service",
    ]
    weights = [3, 3, 1, 4, 2, 6, 8, 8, 8]

    def text(low, high):
        return " ".join(terms(" ".join(rng.choices(vocabulary, weights, k=rng.randint(low, high)))))

    pages = [
        ranking.Candidate(
            n,
            f"page:{n:03d}",
            "documents",
            n % 17,
            0,
            texts=(text(0, 4), text(0, 2), text(0, 9), text(0, 90)),
        )
        for n in range(300)
    ]
    for page in pages:
        page.length = len(page.texts[3].split())
    synonyms = Synonyms([["mot de passe", "password"]])
    idfs = {term: 1.0 + n / 3 for n, term in enumerate(terms(" ".join(vocabulary)))}
    read = []
    original = ranking.field_positions
    monkeypatch.setattr(
        ranking,
        "field_positions",
        lambda texts, wanted: read.append(len(texts)) or original(texts, wanted),
    )
    for text_ in (
        "serveur",
        "password",
        "mot de passe serveur",
        "réseau sauvegarde",
        '"passe serveur" réseau',
    ):
        query = parse(text_, synonyms)
        wanted = ranking.query_terms(query)
        clauses = ranking._Clauses(query, idfs)
        for page in pages:
            exact = ranking.score(
                replace(page, positions=original(page.texts, wanted)), query, idfs
            )
            bound, is_exact = ranking._bound(
                page, *ranking._profile(page.texts, wanted), clauses, 1.0
            )
            assert (bound.coverage, bound.score) >= (exact.coverage, exact.score)
            assert bound.score >= exact.score
            if is_exact:
                assert bound == exact
        read.clear()
        fast = ranking.ordered(pages, query, idfs, {}, end=10)[:10]
        every = [
            replace(page, texts=None, positions=original(page.texts, wanted)) for page in pages
        ]
        assert fast == ranking.ordered(every, query, idfs, {})[:10]
        if text_ == "serveur":
            assert len(fast) == 10 and ranking.BODY + 1 not in read
        else:
            assert read.count(ranking.BODY + 1) < len(pages)


@pytest.mark.parametrize("length", [1, 40, 177, 178, 300, 3000, 100_000])
def test_impact_tokens_are_those_of_weighing_every_term(length):
    """Each (short fields, body count) combination is weighed once and body-only terms below
    the count that reaches CHAMPION_MIN are skipped: the tokens are still exactly those of
    weighing every term of the page, in the order first met."""
    body = [f"t{n}" for n in range(1, 40) for _ in range(n)]
    body = (body + ["filler"] * length)[:length]
    fields = [["titl", "t3", "t3"], ["tag", "t1"], ["summ", "t2", "titl"], body]

    def weighed(term):
        short = [int(term in terms) for terms in fields[:3]]
        return ranking.weight([*short, body.count(term)], len(body))

    seen = list(dict.fromkeys(term for terms in fields for term in terms))
    expected = [
        f"{term}z{ranking.level(weighed(term)):03d}"
        for term in seen
        if weighed(term) >= ranking.CHAMPION_MIN
    ]
    assert ranking.impact_tokens(fields, len(body)) == expected


def test_impact_lists_read_at_once_give_the_candidates_the_steps_give(index, monkeypatch):
    """When every visible match is known and they are few, their impact tokens are read at
    once (``ImpactLists``) instead of one query per step: the same candidates, in the same
    order, whether steps are taken whole, level by level, or cut in key order."""
    from search.backends import database
    from search.backends.fulltext import where_sql

    # Keys in another order than indexing (ids), so that a cut in key order differs.
    pages = [doc(f"m:{99 - n}", body=f"{FILLER} Inventaire. " * (1 + n % 4)) for n in range(40)]
    pages += [doc(f"a:{99 - n}", title=f"Inventaire logiciel {n}") for n in range(12)]
    pages += [doc(f"b:{99 - n}", body=f"{FILLER} Inventaire logiciel.", days=n) for n in range(9)]
    index(*pages)
    database_ = backends.get_database()
    if not hasattr(database_.engine, "impact_tokens"):
        pytest.skip("the engine reads every step with a query")
    monkeypatch.setattr(ranking, "MAX_STEP_ROWS", 7)
    for text, any_word in (
        ("inventaire", False),
        ("inventaire logiciel", False),
        ("logiciel", True),
    ):
        request = SearchRequest(query=parse(text), user=AnonymousUser(), match_any=any_word)
        where = where_sql(database.filtered_entries(request))
        matches = database_.engine.matching_ids(request, *where, 1000)
        for end in (3, 10, 30):
            steps = database_._candidates(request, where, end)
            lists = database_._lists(request, matches)
            assert isinstance(lists, database.ImpactLists)
            assert database_._candidates(request, where, end, matches) == steps
            assert database_._champions(request, where, end, lists) == database_._champions(
                request, where, end
            )


def test_a_rebuild_writes_entries_as_the_orm_saves_them(index):
    """Entries are written with one prepared statement, each value prepared as the ORM
    prepares it: they read back as saved (JSON, role sets, dates, ``auto_now``)."""
    from search.entries import entry_from_document
    from search.models import SearchEntry

    document = doc(
        "full",
        title="Note complète",
        summary="Résumé",
        tags=("sauvegarde", "réseau"),
        facets={"theme": ("backups", "network")},
        access_level="roles",
        allowed_roles=frozenset({"rssi", "dsi"}),
        popularity=3,
    )
    before = timezone.now()
    index(document)
    stored = SearchEntry.objects.get(key="full")
    expected = entry_from_document(document)
    for name in ("title", "url", "summary", "body", "tags", "facets", "date", "popularity"):
        assert getattr(stored, name) == getattr(expected, name), name
    assert (stored.access_level, stored.allowed_roles) == ("roles", {"rssi", "dsi"})
    assert stored.length == len(terms(FILLER)) and stored.indexed_at >= before
