"""The spelling vocabulary is kept with the database index, per audience; corrections."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from portal.access import AccessLevel, Role
from search import backends
from search.models import SearchTerm, SearchTermVariant
from search.spelling import distance, variants
from tests.search.conftest import params
from tests.search.test_contract import doc

pytestmark = pytest.mark.django_db


def vocabulary():
    return sorted(SearchTerm.objects.values_list("word", "term", "audience", "documents"))


DOCUMENTS = [
    doc("a", "Sauvegardes hors ligne", "Tester la restauration des sauvegardes."),
    doc("b", "Hameçonnage : reconnaître un courriel", "Le courriel frauduleux imite."),
    doc(
        "c",
        "Note interne zorglubium",
        "Sauvegardes zorglubium.",
        access_level=AccessLevel.ROLES,
        allowed_roles={Role.RSSI},
    ),
]


def test_index_and_delete_keep_the_vocabulary_a_rebuild_writes():
    database = backends.get_database()
    for document in DOCUMENTS:
        database.index([document])
    database.index([doc("a", "Sauvegardes chiffrées", "Chiffrer les sauvegardes.")])
    database.delete(["b"])
    live = vocabulary()
    final = [doc("a", "Sauvegardes chiffrées", "Chiffrer les sauvegardes."), DOCUMENTS[2]]
    database.rebuild(final)
    assert live == vocabulary()
    assert ("sauvegardes", "sauvegard", "public||None", 1) in live
    assert ("zorglubium", "zorglubium", "roles|,rssi,|None", 1) in live
    assert not [row for row in live if row[0] in ("hameconnage", "restauration")]
    assert SearchTermVariant.objects.filter(variant="zorglubum", word="zorglubium").exists()


def test_the_migration_fills_the_vocabulary_of_entries_already_indexed():
    backends.get_database().rebuild(DOCUMENTS)
    expected = vocabulary()
    SearchTerm.objects.all().delete()
    SearchTermVariant.objects.all().delete()
    migration = importlib.import_module("search.migrations.0005_spelling_vocabulary")
    migration.fill(apps, None)
    assert vocabulary() == expected
    assert SearchTermVariant.objects.filter(word="zorglubium").count() == 11


@pytest.mark.parametrize(
    "typed, word, expected",
    [
        ("ransomwre", "ransomware", 1),  # an omitted letter
        ("phising", "phishing", 1),
        ("hamecconage", "hameconnage", 2),  # the doubled consonant misplaced
        ("sauvegarde", "sauvegrade", 1),  # swapped letters
        ("chiffremnet", "chiffrement", 1),
        ("abc", "xyz", 3),
    ],
)
def test_distance(typed, word, expected):
    assert distance(typed, word) == expected
    if expected <= 2 and typed != "hamecconage":
        assert variants(typed) & variants(word)


def test_a_misplaced_double_letter_meets_its_word_on_a_variant():
    assert variants("hamecconage") & variants("hameconnage") == {"hameconage"}


@pytest.fixture
def indexed():
    backends.get_database().rebuild(
        [
            doc("servers", "Sauvegarde des serveurs", "Copier les serveurs chaque nuit."),
            doc("encrypted", "Sauvegardes chiffrées", "Chiffrer chaque copie."),
            doc("phishing", "Reconnaître l'hameçonnage", "Un courriel frauduleux."),
        ]
    )


def test_words_that_match_are_never_corrected(indexed):
    from django.contrib.auth.models import AnonymousUser

    from search import services

    anonymous = AnonymousUser()
    found = services.search(anonymous, params("serveur chiffrees"), record=False)
    assert (found.corrected, found.any_word) == ("", True)  # both match, not together
    assert services.spelling.correct(anonymous, "phishing", services.synonyms()) == ""
    found = services.search(anonymous, params("chiffrees serveurz"), record=False)
    assert found.corrected == "chiffrees serveurs"  # the typed text, its typo replaced
    assert found.any_word  # no page has both: any word of the corrected query
    assert sorted(hit.url for hit in found.hits) == ["/encrypted/", "/servers/"]
    found = services.search(anonymous, params("Serveurz"), record=False)
    assert (found.corrected, found.total) == ("serveurs", 1)


def test_the_literal_search_keeps_the_typed_words(indexed):
    from django.contrib.auth.models import AnonymousUser

    from search import services

    found = services.search(AnonymousUser(), params("serveurz", literal=True), record=False)
    assert (found.corrected, found.total, found.suggestion) == ("", 0, "serveurs")


def test_the_seeded_synonyms_merge_into_the_editors_groups_once():
    from django.apps import apps

    from search.models import SynonymGroup

    migration = importlib.import_module("search.migrations.0006_security_vocabulary_synonyms")
    mfa = SynonymGroup.objects.get(terms__startswith="MFA,")
    assert {"2FA", "two-factor authentication", "double authentification"} <= set(mfa.term_list())
    mfa.terms = "MFA, double authentification, mon terme"  # an editor's own version
    mfa.save()
    before = SynonymGroup.objects.count()
    migration.forward(apps, None)
    migration.forward(apps, None)
    assert SynonymGroup.objects.count() == before  # merged into the groups, once
    terms = SynonymGroup.objects.get(pk=mfa.pk).term_list()
    assert terms[:3] == ["MFA", "double authentification", "mon terme"]
    assert "two factor authentication" in terms
    cnil = [g.term_list() for g in SynonymGroup.objects.all() if "CNIL" in g.term_list()]
    assert cnil == [["CNIL", "Commission nationale de l'informatique et des libertés"]]


def test_deleting_many_entries_reads_them_in_a_bounded_number_of_queries(
    django_assert_max_num_queries,
):
    database = backends.get_database()
    database.index(
        [
            doc(f"n{n}", f"Note {n}", "Sauvegardes.", summary="Résumé quinquennal.")
            for n in range(30)
        ]
    )
    assert SearchTerm.objects.filter(word="quinquennal").exists()  # a summary's word
    with django_assert_max_num_queries(15):
        database.delete([f"n{n}" for n in range(30)])
    assert not SearchTerm.objects.exists()


IMPACT_LEXEME = "^#.+z[0-9]{3}$"  # search.backends.postgres_fts.impact_lexeme


def _impact_tokens() -> dict[str, str]:
    """Each entry's impact tokens as the database index stores them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT key, array_to_string(ARRAY(SELECT lexeme FROM unnest(search_vector) "
                "WHERE lexeme ~ %s ORDER BY lexeme), ' ') FROM portal_search_searchentry",
                [IMPACT_LEXEME],
            )
            return dict(cursor.fetchall())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.key, f.impact FROM portal_search_fts f "
            "JOIN portal_search_searchentry e ON e.id = f.rowid"
        )
        return {key: str(tokens) for key, tokens in cursor.fetchall()}


def test_the_impact_levels_migration_indexes_entries_already_indexed_again():
    backends.get_database().rebuild(DOCUMENTS)
    expected = _impact_tokens()
    assert all(expected.values())
    if connection.vendor == "postgresql":  # the tokens of the older code, or none
        _drop_impact_lexemes()
    else:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE portal_search_fts SET impact = ''")
    assert not any(_impact_tokens().values())
    migration = importlib.import_module("search.migrations.0009_impact_levels_reindex")
    migration.reindex(apps, None)
    assert _impact_tokens() == expected


def _drop_impact_lexemes():
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE portal_search_searchentry SET search_vector = ts_delete(search_vector, "
            "ARRAY(SELECT lexeme FROM unnest(search_vector) WHERE lexeme ~ %s))",
            [IMPACT_LEXEME],
        )


def test_the_migration_moving_impact_tokens_into_the_search_vector_indexes_entries_again():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: this run is on SQLite (the CI runs it on PostgreSQL)")
    backends.get_database().rebuild(DOCUMENTS)
    expected = _impact_tokens()
    assert all(expected.values())
    _drop_impact_lexemes()  # their own vector held them before
    assert not any(_impact_tokens().values())
    migration = importlib.import_module("search.migrations.0010_impact_tokens_in_search_vector")
    migration.reindex(apps, connection.schema_editor())
    assert _impact_tokens() == expected
