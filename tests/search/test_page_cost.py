"""What the search page costs follows the ten hits it shows, not the matches nor their length:
snippets read a bounded part of each body and stem only the words that may match, facets show a
bounded number of values, and the page reads as many queries whatever the number of matches."""

import re
from pathlib import Path

import django
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from search import backends, highlight, services, views
from search.analysis import STOPWORDS, fold, stem
from search.documents import SearchDocument
from tests.portal.factories import MemberFactory, home_page, standard_page
from tests.search.conftest import ask

TERM = frozenset({stem("sauvegarde")})


def test_stemming_keeps_the_first_two_letters_of_a_word():
    """What the snippet's shortcut relies on, checked on Django's French translations."""
    words = set()
    for po in Path(django.__file__).parent.rglob("fr/LC_MESSAGES/django.po"):
        words |= {fold(w) for w in re.findall(r"\w+", po.read_text(encoding="utf-8"))}
    words = {w for w in words if w.isalpha()} - STOPWORDS
    assert len(words) > 1500
    assert [w for w in sorted(words) if stem(w)[:2] != w[:2]] == []


def test_a_snippet_stems_only_the_words_beginning_like_a_query_term():
    body = " ".join(f"mot{n} chose{n} texte{n}" for n in range(300)) + " Sauvegardes testées"
    highlight._stem_of.cache_clear()
    snippet = highlight.snippet(body, "", TERM)
    assert "<mark>Sauvegardes</mark> testées" in snippet
    # "Sauvegardes" alone begins with "sa": the 900 other words are never stemmed.
    assert highlight._stem_of.cache_info().misses == 1


def test_a_snippet_reads_a_bounded_part_of_the_body():
    filler = "mot " * (highlight.MAX_SCANNED_CHARS // 4)
    far = highlight.snippet(filler + "sauvegarde", "Résumé du guide", TERM)
    assert str(far) == "Résumé du guide"
    near = highlight.snippet("Tester la sauvegarde " + filler, "Résumé", TERM)
    assert near.startswith("Tester la <mark>sauvegarde</mark> mot") and near.endswith(" …")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Sauvegarde", "<mark>Sauvegarde</mark>"),
        ("Une sauvegarde.", "Une <mark>sauvegarde</mark>."),
        (
            " ".join(["mot"] * 40) + " sauvegarde",
            "… " + " ".join(["mot"] * 4) + " <mark>sauvegarde</mark>",
        ),
        (
            "sauvegarde " + " ".join(["mot"] * 40),
            "<mark>sauvegarde</mark> " + " ".join(["mot"] * 31) + " …",
        ),
    ],
)
def test_the_window_around_the_terms(body, expected):
    assert highlight.snippet(body, "", TERM) == expected


def test_marks_are_unchanged_for_accents_case_and_stop_words():
    text = "Les SAUVEGARDES, la sauvegarde & l'été <script>"
    assert highlight.title(text, TERM) == (
        "Les <mark>SAUVEGARDES</mark>, la <mark>sauvegarde</mark> &amp; l&#x27;été &lt;script&gt;"
    )


@pytest.mark.django_db
def test_hits_carry_the_body_only_as_far_as_a_snippet_reads_it():
    body = "Tester la sauvegarde chaque semaine. " + "mot " * highlight.MAX_SCANNED_CHARS
    document = SearchDocument(
        key="long:1",
        kind="documents",
        title="Guide long",
        url="/long/",
        body=body,
        date=timezone.now(),
    )
    backends.get_database().rebuild([document])
    results = services.search(AnonymousUser(), services.SearchParams(query="sauvegarde"))
    [hit] = results.hits
    assert hit.snippet.startswith("Tester la <mark>sauvegarde</mark>")
    assert hit.snippet.endswith(" …")
    found = ask(backends.get_database(), AnonymousUser(), "sauvegarde")
    assert len(found.hits[0].body) == highlight.MAX_SCANNED_CHARS + 1


def test_facets_show_the_largest_values_and_every_selected_one():
    counts = {f"value{n:02d}": 100 - n for n in range(25)}
    values = services._values(counts, {}, {"value24"})
    assert [v.value for v in values] == [
        *(f"value{n:02d}" for n in range(services.MAX_FACET_VALUES)),
        "value24",
    ]
    assert values[-1].selected and values[-1].count == 76


@pytest.mark.django_db
def test_the_page_reads_as_many_queries_for_few_or_many_matches(client):
    home_page()
    for number in range(11):
        standard_page(title=f"Chiffrement n°{number}", slug=f"chiffrement-{number}")
    for number in range(45):
        standard_page(title=f"Sauvegardes n°{number}", slug=f"sauvegardes-{number}")
    counts = []
    for query, shown in (("chiffrement", 10), ("sauvegardes", 10)):
        # the second page fills the caches (entry count, weights per kind), and is no search
        # of its own in the statistics: the first page records the query in both cases
        client.get("/recherche/", {"q": query, "page": 2})
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/recherche/", {"q": query}).content.decode()
        assert page.count("<mark>") >= shown
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 20


def test_the_page_links_change_one_parameter_and_keep_the_others_in_order():
    """Built from one copy of the typed parameters for every link of the page."""
    typed = dict(QueryDict("q=ran%C3%A7ongiciel+PCA&module=pages&module=alerts&page=3").lists())
    rest = "q=ran%C3%A7ongiciel+PCA"
    assert views._toggle_url(typed, "module", "alerts") == f"?{rest}&module=pages"
    assert views._toggle_url(typed, "module", "forum") == (
        f"?{rest}&module=pages&module=alerts&module=forum"
    )
    assert views._toggle_url(typed, "period", "year") == (
        f"?{rest}&module=pages&module=alerts&period=year"
    )
    assert views._with(typed, page=4) == f"?{rest}&module=pages&module=alerts&page=4"
    assert views._with(typed, q="é à", literal=1) == (
        "?q=%C3%A9+%C3%A0&module=pages&module=alerts&page=3&literal=1"
    )
    assert typed["module"] == ["pages", "alerts"]  # never changed in place


@pytest.mark.django_db
def test_a_members_fresh_search_reads_no_layout_query_once_kept(client):
    """The site, the menu and the member's header are kept: a fresh query reads the search's
    queries and the statistics' write, nothing per page of the layout."""
    home_page()
    standard_page(title="Programme", slug="programme", show_in_menus=True)
    for number in range(12):
        standard_page(title=f"Sauvegardes n°{number}", slug=f"sauvegardes-{number}")
    client.force_login(MemberFactory())
    client.get("/recherche/", {"q": "programme"})  # keeps the layout's parts
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/recherche/", {"q": "sauvegardes"}).content.decode()
    assert page.count("<mark>") >= 10 and "Programme" in page
    tables = " ".join(q["sql"] for q in queries)
    for table in ("wagtailcore_site", "wagtailcore_page", "portal_standardpage", "auth_user"):
        assert table not in tables, table
    assert len(queries) <= 12
