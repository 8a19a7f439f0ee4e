"""The search page and its suggestions, as users reach them from the header box."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.access import AccessLevel, Role
from search import backends
from search.models import QueryStat, SynonymGroup
from tests.portal.factories import EstablishmentFactory, MemberFactory, home_page, standard_page

pytestmark = pytest.mark.django_db

CANARY = "zorglubine"


@pytest.fixture
def corpus():
    home_page()
    standard_page(
        title="Sauvegardes hors ligne", slug="sauvegardes", intro="Tester les sauvegardes"
    )
    standard_page(title="Rançongiciel : les premiers gestes", slug="rancongiciel")
    standard_page(
        title=f"Note interne {CANARY}",
        slug="note-rssi",
        intro=f"Procédure {CANARY} réservée, sauvegardes",
        access_level=AccessLevel.ROLES,
        allowed_roles={Role.RSSI},
    )


def html(client, **query):
    response = client.get("/recherche/", query)
    assert response.status_code == 200
    return response.content.decode()


def test_results_are_highlighted_with_their_section(client, corpus):
    page = html(client, q="sauvegarde")
    assert '<a href="/sauvegardes/"><mark>Sauvegardes</mark> hors ligne</a>' in page
    assert "Tester les <mark>sauvegardes</mark>" in page
    assert ">Pages</p>" in page
    assert "1 résultat pour « sauvegarde »" in page


def test_restricted_content_never_shows_to_those_without_access(client, corpus):
    caregiver = MemberFactory(profile__roles={Role.CAREGIVER})
    for user in (None, caregiver):
        if user:
            client.force_login(user)
        page = html(client, q="réservée")
        assert CANARY not in page and "Note interne" not in page
        assert "0 résultat" in page
        page = html(client, q="sauvegardes")
        assert CANARY not in page and "(2)" not in page


def test_restricted_content_shows_to_its_audience(client, corpus):
    client.force_login(
        MemberFactory(profile__roles={Role.RSSI}, profile__establishment=EstablishmentFactory())
    )
    assert f"Note interne <mark>{CANARY}</mark>" in html(client, q=CANARY)


def test_facet_links_filter_and_toggle(client, corpus):
    page = html(client, q="sauvegardes rançongiciel")  # no page has both: any word
    assert "contiennent au moins un" in page
    assert 'href="?q=sauvegardes+ran%C3%A7ongiciel&amp;module=pages"' in page
    filtered = html(client, q="sauvegardes", module="pages")
    assert 'aria-current="true"' in filtered
    assert "<mark>Sauvegardes</mark> hors ligne" in filtered
    assert "0 résultat" in html(client, q="sauvegardes", module="pages", period="older")


def test_a_misspelt_word_shows_the_corrected_results_and_a_literal_link(client, corpus):
    page = html(client, q="sauvgardes")
    assert "1 résultat pour « sauvegardes »" in page
    assert "Résultats pour <em>sauvegardes</em>." in page
    assert (
        '<a href="?q=sauvgardes&amp;literal=1&amp;page=1">Rechercher plutôt <em>sauvgardes' in page
    )
    assert "<mark>Sauvegardes</mark> hors ligne" in page


def test_empty_state_suggests_a_spelling_and_where_to_ask(client, corpus):
    page = html(client, q="sauvgardes", literal="1")
    assert "Vouliez-vous dire" in page and "?q=sauvegardes" in page
    assert "0 résultat" in page and reverse("legal:contact") in page


@pytest.mark.parametrize(
    "query",
    [
        {"q": 'NEAR("a" OR) AND * ^ "unbalanced'},
        {"q": "x" * 5000},
        {"q": "sauvegardes", "page": "abc"},
        {"q": "sauvegardes", "page": "-3"},
        {"q": "sauvegardes", "page": "99999"},
        {"q": "sauvegardes", "module": "nope", "period": "décennie", "sort": "drop table"},
        {"q": "\x00\u202e<script>alert(1)</script>"},
        {"q": ""},
    ],
)
def test_bad_input_never_fails(client, corpus, query):
    page = html(client, **query)
    assert "<script>alert" not in page


@pytest.mark.parametrize(
    "query, message",
    [
        ("sauvegardes " * 910, "seuls ses 200 premiers caractères ont été cherchés"),
        ("de la le et", "ne contient que des mots très courants ou de la ponctuation"),
        ("?!… — ;; « »", "ne contient que des mots très courants ou de la ponctuation"),
    ],
)
def test_bad_input_gets_a_french_message_and_records_nothing(client, corpus, query, message):
    page = html(client, q=query)
    assert message in page
    assert not QueryStat.objects.exists()


def test_words_in_another_script_are_ignored_and_said_so(client, corpus):
    page = html(client, q="rançongiciel шифровальщик 勒索软件")
    assert "Mots d’un autre alphabet ignorés : шифровальщик 勒索软件" in page
    assert "<mark>Rançongiciel</mark> : les premiers gestes" in page


def test_page_is_not_cached_and_query_count_is_bounded(
    client, corpus, django_assert_max_num_queries
):
    for number in range(25):  # more results than a page holds: the count stays the same
        standard_page(title=f"Sauvegardes n°{number}", slug=f"sauvegardes-{number}")
    # ranking reads the matches, their term positions and the terms' document counts; the
    # number of entries and the editors' weights per kind are cached after the first query;
    # PostgreSQL reads the matches with sequential scans off (two statements, and a savepoint
    # within the test's transaction)
    with django_assert_max_num_queries(20):
        response = client.get("/recherche/", {"q": "sauvegardes"})
    assert "no-store" in response["Cache-Control"]
    assert response.content.decode().count("<mark>Sauvegardes</mark>") >= 10


def test_suggestions_are_visible_titles_only(client, corpus):
    response = client.get(reverse("search:suggestions"), {"q": "note int"})
    assert response.json() == {"suggestions": []}
    client.force_login(MemberFactory(profile__roles={Role.RSSI}))
    found = client.get(reverse("search:suggestions"), {"q": "note int"}).json()["suggestions"]
    assert found == [{"title": f"Note interne {CANARY}", "url": "/note-rssi/", "section": "Pages"}]
    assert client.get(reverse("search:suggestions"), {"q": "sauveg"}).json()["suggestions"]


def test_synonyms_edited_in_the_admin_apply_at_once(client, corpus):
    assert "0 résultat" in html(client, q="stockage froid")
    SynonymGroup.objects.create(terms="sauvegarde hors ligne, stockage froid")
    assert "<mark>Sauvegardes</mark> <mark>hors</mark> <mark>ligne</mark>" in html(
        client, q="stockage froid"
    )


def test_queries_are_counted_without_user(client, corpus):
    html(client, q="Sauvegardes")
    html(client, q="sauvegardes", page="2")  # paging is not a new search
    html(client, q="introuvable")
    assert set(QueryStat.objects.values_list("query", "searches", "without_results")) == {
        ("sauvegardes", 1, 0),
        ("introuvable", 1, 1),
    }
    assert {f.name for f in QueryStat._meta.get_fields()} == {
        "id",
        "query",
        "day",
        "searches",
        "without_results",
    }


def test_statistics_report_is_for_editors_only(client, corpus):
    html(client, q="introuvable")
    url = reverse("search_statistics")
    member = MemberFactory(profile__roles={Role.CAREGIVER}, is_staff=True)
    client.force_login(member)
    assert client.get(url).status_code in (302, 403)
    editor = MemberFactory(profile__roles={Role.EDITOR}, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200 and "introuvable" in response.content.decode()


def test_elasticsearch_down_falls_back_to_the_database_and_says_so(client, corpus, settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens there
    backends.reset()
    try:
        page = html(client, q="sauvegardes")
    finally:
        backends.reset()
    assert "<mark>Sauvegardes</mark> hors ligne" in page
    assert "moteur de recherche principal est indisponible" in page
