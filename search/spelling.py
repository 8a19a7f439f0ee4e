"""Spelling corrections from the vocabulary of what the user may view.

The database backend keeps the vocabulary with its index (on index, delete and rebuild, never
per query): ``SearchTerm`` counts, per word and per audience (an entry's access fields), the
documents holding the word in their title, tags or body, so that ``access_q`` filters words as
it filters entries; ``SearchTermVariant`` leads from each word, and from each form of it with
one letter deleted, to the word. Two words meet on a variant when deleting at most one letter
from each makes them equal (an omitted, added, wrong or swapped letter, a doubled letter in the
wrong place): finding a typed word's neighbours is an index lookup, not a scan.

A typed word is corrected only when its term matches nothing the user may view (a word that
matches, alone or through a synonym, is kept), to the closest visible word, the most common
among equally close ones.
"""

from collections import Counter

from django.db import connection

from portal.access import access_q
from search.analysis import _TOKEN, MAX_QUERY_LENGTH, STOPWORDS, fold, parse, stem, words
from search.backends.fulltext import fetch, where_sql
from search.models import SearchTerm, SearchTermVariant

MIN_LENGTH = 4  # shorter words are neither corrected nor offered: too many neighbours
MAX_LENGTH = 40
TERM = SearchTerm._meta.db_table
VARIANT = SearchTermVariant._meta.db_table


def audience(entry) -> tuple:
    """The access fields of an entry (what a term row of its words carries)."""
    roles = SearchTerm._meta.get_field("allowed_roles").get_prep_value(entry.allowed_roles)
    families = SearchTerm._meta.get_field("establishment_families").get_prep_value(
        getattr(entry, "establishment_families", frozenset())  # absent in old migrations
    )
    return entry.access_level, roles, entry.establishment_id, families


def audience_name(key: tuple) -> str:
    """The stored audience key (without families when there are none, as before they were)."""
    return "|".join(map(str, key if key[3] else key[:3]))


def kept(word: str) -> bool:
    return len(word) <= MAX_LENGTH and not word.isdigit()


def variants(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def distance(a: str, b: str) -> int:
    """Edits from ``a`` to ``b``: insertions, deletions, substitutions, adjacent swaps."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        previous2, previous = previous, row
    return previous[-1]


def allowed_distance(word: str) -> int:
    return 1 if len(word) < 7 else 2


class Vocabulary:
    """Document counts per (word, audience), to add to the stored vocabulary or take from it."""

    def __init__(self):
        self.counts: Counter = Counter()
        self.words: dict[str, tuple[str, str]] = {}  # word -> (term, spelling)

    def add(self, entry, found: dict[str, tuple[str, str]], sign: int = 1) -> None:
        """Count one entry's words (``search.analysis.analyse``); ``sign=-1`` takes it away."""
        key = audience(entry)
        for word, known in found.items():
            if kept(word):
                self.counts[word, key] += sign
                self.words.setdefault(word, (known[0][:MAX_LENGTH], known[1][:MAX_LENGTH]))

    def write(self) -> None:
        """Apply the counts: one upsert per row, then drop the words no document holds any
        more, and give new words their variants."""
        rows = [
            (word, *self.words[word], audience_name(key), *key, count)
            for (word, key), count in sorted(self.counts.items(), key=str)
            if count
        ]
        columns = (
            "word, term, spelling, audience, access_level, allowed_roles, establishment_id, "
            "establishment_families, documents"
        )
        _upsert(
            f"INSERT INTO {TERM} ({columns}) VALUES {{values}} ON CONFLICT (word, audience) "  # noqa: S608 (constant names, bound values)
            f"DO UPDATE SET documents = {TERM}.documents + excluded.documents",
            rows,
        )
        if any(count < 0 for count in self.counts.values()):
            SearchTerm.objects.filter(documents__lte=0).delete()
        added = sorted({word for (word, _key), count in self.counts.items() if count > 0})
        known = set()
        for start in range(0, len(added), 500):
            chunk = added[start : start + 500]
            known.update(
                SearchTermVariant.objects.filter(word__in=chunk, variant__in=chunk).values_list(
                    "word", flat=True
                )
            )
        _upsert(
            f"INSERT INTO {VARIANT} (variant, word) VALUES {{values}} "  # noqa: S608 (idem)
            "ON CONFLICT (variant, word) DO NOTHING",
            [
                (variant, word)
                for word in added
                if word not in known and len(word) >= MIN_LENGTH
                for variant in sorted(variants(word))
            ],
        )


def analyze() -> None:
    """Refresh the planner's statistics of the vocabulary (after a rebuild: without them,
    PostgreSQL reads the whole term table to filter a few words)."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TERM}")
        cursor.execute(f"ANALYZE {VARIANT}")


def clear() -> None:
    SearchTerm.objects.all().delete()
    SearchTermVariant.objects.all().delete()


def _upsert(sql, rows, per_statement=200) -> None:
    if not rows:
        return
    row_sql = "(" + ", ".join(["%s"] * len(rows[0])) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                sql.format(values=", ".join([row_sql] * len(chunk))),
                [value for row in chunk for value in row],
            )


# --- correcting a query -----------------------------------------------------------------------


def correct(user, text: str, synonyms) -> str:
    """``text`` with each word that matches nothing ``user`` may view replaced by its closest
    visible word; "" when no word needs it or none has a close visible word."""
    query = parse(text, synonyms)
    typed = list(dict.fromkeys(w for w in words(text[:MAX_QUERY_LENGTH]) if w not in STOPWORDS))
    where = where_sql(SearchTerm.objects.filter(access_q(user, families=True)))
    if not query or not typed or where is None:
        return ""
    wanted = sorted(query.stems | {stem(word) for word in typed})
    known = {
        term
        for (term,) in fetch(
            f"SELECT DISTINCT term FROM {TERM} WHERE term IN ({', '.join(['%s'] * len(wanted))}) "  # noqa: S608 (idem)
            f"AND {where[0]}",
            [*wanted, *where[1]],
        )
    }
    matched = {  # the terms of clauses that match something visible as they are
        term
        for clause in query.clauses
        if any(all(term in known for term in phrase) for phrase in clause)
        for phrase in clause
        for term in phrase
    }
    unknown = {
        word: variants(word)
        for word in typed
        if MIN_LENGTH <= len(word) <= MAX_LENGTH
        and not word.isdigit()
        and stem(word) not in known | matched
    }
    if not unknown:
        return ""
    keys = sorted(set().union(*unknown.values()))
    candidates = {  # word -> (documents, spelling): visible words sharing a variant
        word: (documents, spelling)
        for word, documents, spelling in fetch(
            f"SELECT {TERM}.word, SUM({TERM}.documents), MAX({TERM}.spelling) FROM {VARIANT} "  # noqa: S608 (idem)
            f"JOIN {TERM} ON {TERM}.word = {VARIANT}.word "
            f"WHERE {VARIANT}.variant IN ({', '.join(['%s'] * len(keys))}) AND {where[0]} "
            f"GROUP BY {TERM}.word",
            [*keys, *where[1]],
        )
    }
    replacements = {}
    for word, keys in unknown.items():
        close = dict(candidates)
        for candidate in synonyms.neighbours(keys):  # the editors' vocabulary, not content
            close.setdefault(candidate, (0, synonyms.words[candidate]))
        scored = sorted(
            (distance(word, candidate), -documents, candidate, spelling)
            for candidate, (documents, spelling) in close.items()
            if variants(candidate) & keys
        )
        if scored and scored[0][0] <= allowed_distance(word):
            replacements[word] = scored[0][3]
    if not replacements:
        return ""
    return _TOKEN.sub(lambda m: replacements.get(fold(m.group()), m.group()), text)
