"""French analysis: the terms both database engines index and query, and PostgreSQL's vectors."""

import threading

import pytest
from django.db import connection

from search.analysis import stem, terms
from search.backends.postgres_fts import MAX_POSITION, tsvector, vector_positions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L'attaque d'un rançongiciel", ["attaqu", "rancongiciel"]),
        ("jusqu'à lorsqu'il qu'elle", []),  # elided words and stop words
        ("Sauvegardes HORS-LIGNE", ["sauvegard", "hor", "lign"]),
        ("cyber_attaque 3-2-1", ["cyb", "attaqu", "3", "2", "1"]),
        ("Œuvre, ÉTÉ", ["oeuvr", "ete"]),
        ("e\u0301te\u0301 İstanbul", ["ete", "istanbul"]),  # decomposed accents, dotted I
        ("ﬁchier ＲÉＳＥＡＵ", ["fichi", "reseau"]),  # compatibility forms fold like letters
    ],
)
def test_terms(text, expected):
    assert terms(text) == expected


def test_stemming_is_safe_across_threads():
    words = [f"sauvegardes{n}" for n in range(300)] + ["rançongiciels"] * 50
    expected = [stem.__wrapped__(word) for word in words]
    results, errors = {}, []

    def work(number):
        try:
            results[number] = [stem.__wrapped__(word) for word in words]
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all(found == expected for found in results.values())


def test_vector_literal_keeps_positions_and_weights():
    literal = tsvector(("attaqu rancongiciel", "A"), ("", "B"), ("rancongiciel isol", "D"))
    assert literal == "'attaqu':1A 'rancongiciel':2A,3D 'isol':4D"


def test_vector_literal_stays_within_postgresql_limits():
    long_body = " ".join(["mot"] * (MAX_POSITION + 10) + ["x" * 3000, "fin"])
    literal = tsvector(("titre", "A"), (long_body, "D"))
    assert "x" * 3000 not in literal
    assert f"'fin':{MAX_POSITION}D" in literal


@pytest.mark.django_db
def test_postgresql_reads_the_literals_as_is():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: this run is on SQLite (the CI runs it on PostgreSQL)")
    long_body = " ".join(["mot"] * (MAX_POSITION + 10) + ["x" * 3000, "fin"])
    literal = tsvector(("plan continu", "A"), ("pca", "B"), (long_body, "D"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CAST(%s AS tsvector) @@ CAST(%s AS tsquery), "
            "CAST(%s AS tsvector) @@ CAST(%s AS tsquery), length(CAST(%s AS tsvector))",
            [literal, "'plan' <-> 'continu'", literal, "'pca':B", literal],
        )
        phrase, weighted, lexemes = cursor.fetchone()
    assert phrase and weighted
    assert lexemes == 5  # plan, continu, pca, mot, fin


def test_positions_read_from_a_vector_as_postgresql_writes_it():
    # title A, tags B, summary C, body D (unmarked): search.ranking.FIELDS
    assert vector_positions("'attaqu':1A 'pca':2B,5 'plan':3C 'isol'") == {
        "attaqu": [(0, 1)],
        "pca": [(1, 2), (3, 5)],
        "plan": [(2, 3)],
        "isol": [],
    }
    assert vector_positions(None) == {}


@pytest.mark.django_db
def test_postgresql_writes_vectors_as_the_positions_reader_reads_them():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: this run is on SQLite (the CI runs it on PostgreSQL)")
    literal = tsvector(("plan continu", "A"), ("pca", "B"), ("plan", "C"), ("mot plan", "D"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT CAST(%s AS tsvector)::text", [literal])
        (text,) = cursor.fetchone()
    assert vector_positions(text) == {
        "plan": [(0, 1), (2, 4), (3, 6)],
        "continu": [(0, 2)],
        "pca": [(1, 3)],
        "mot": [(3, 5)],
    }
