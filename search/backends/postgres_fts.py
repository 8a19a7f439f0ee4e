"""PostgreSQL ``tsvector`` columns with GIN indexes, ranked by ``search.ranking`` (see
``search.backends.fulltext``)."""

import zlib

from django.db import connection, transaction

from search import ranking
from search.analysis import Words
from search.backends import fulltext
from search.backends.fulltext import ENTRY, FACET, fetch
from search.models import SearchEntry

MAX_POSITION = 16383  # PostgreSQL's limits: the last position, a lexeme's length in bytes
MAX_LEXEME = 2046
_FIELDS = [SearchEntry._meta.pk] + [
    f for f in SearchEntry._meta.concrete_fields if f is not SearchEntry._meta.pk
]


SAMPLED_BUCKET = "'#b0'"


def _bucket(key) -> str:
    """Each vector's sample bucket, one of SAMPLE_RATE: a lexeme no analysed text can produce
    ("#" is never part of a term), so that sampling is an index intersection, not a read of
    every match."""
    return f"#b{zlib.crc32(key.encode()) % fulltext.SAMPLE_RATE}"


def impact_lexeme(token) -> str:
    """An impact token (``search.ranking``) as the vector holds it: "#" apart from every term
    (a word such as "sauvegardz100" in a text must not read as an impact token)."""
    return f"#{token}"


def tsvector(*fields) -> str:
    """A ``tsvector`` literal of already analysed fields, ((terms, weight), ...): PostgreSQL
    reads it as is (no parser, no dictionary), positions running on across fields, within
    PostgreSQL's limits (it drops the positions beyond 256 per lexeme itself)."""
    positions: dict[str, list[str]] = {}
    offset = 0
    for text, weight in fields:
        terms = text.split()
        for number, term in enumerate(terms, offset + 1):
            if len(term) <= MAX_LEXEME:
                position = number if number <= MAX_POSITION else MAX_POSITION
                positions.setdefault(term, []).append(f"{position}{weight}")
        offset += len(terms)
    return " ".join(f"'{term}':{','.join(where)}" for term, where in positions.items())


# The query, as an InitPlan: its value is unknown when the statement is planned, so the
# planner assumes a selective query and reads the GIN index. Given the query itself, it
# estimates a common word's matches (or many impact tokens) as so many that it reads the
# whole table instead, each vector from TOAST: ten to a hundred times slower here. (Turning
# sequential scans off for the statement did the same at the cost of four more round trips.)
QUERY = "(SELECT CAST(%s AS tsquery))"


GIN_INDEXES = ("portal_search_vector_gin", "portal_search_title_vector_gin")
FIELD_OF_WEIGHT = {"A": 0, "B": 1, "C": 2}  # search.ranking.FIELDS; D (the body) is unmarked
BODY = 3


def vector_positions(text) -> dict[str, list[tuple[int, int]]]:
    """(field, position) of each lexeme of a vector in PostgreSQL's text form, such as
    "'attaqu':1A 'rancongiciel':2A,3" (lexemes of terms: never a quote or a space)."""
    found = {}
    for item in (text or "").split():
        quoted, _, where = item.partition("':")
        found[quoted.strip("'")] = [
            (FIELD_OF_WEIGHT[p[-1]], int(p[:-1])) if p[-1] in FIELD_OF_WEIGHT else (BODY, int(p))
            for p in where.split(",")
            if p
        ]
    return found


class PostgresFullText:
    """A weighted ``tsvector`` of everything (GIN: title A, tags B, summary C, body D), with the
    sample bucket and the impact tokens (``search.ranking``) as lexemes of their own, and a
    small one of the title and tags (GIN) for autocomplete and titles.

    The impact tokens live in the same vector as the words, so that one GIN scan answers "holds
    one of these tokens and matches the query" without reading a vector: with them apart, the
    check read each token's page's whole vector from TOAST (hundreds of milliseconds on a low
    step of a common word), or every match of the query when the planner began there."""

    exact_limit = 500  # counting reads each match's row

    def prepare(self, entries, terms):
        """Each entry's column values, vectors included (the id comes with ``insert``)."""
        for entry, texts in zip(entries, terms, strict=True):
            title, tags, summary, body = texts
            tokens = ranking.impact_tokens([t.split() for t in texts], entry.length)
            entry.search_vector = " ".join(
                [
                    tsvector(
                        (title, "A"),
                        (tags, "B"),
                        (summary, "C"),
                        (body, "D"),
                        (_bucket(entry.key), "D"),
                    ),
                    *(f"'{impact_lexeme(token)}'" for token in tokens),
                ]
            )
            entry.title_vector = tsvector((title, "A"), (tags, "B"))
        return [
            [f.get_db_prep_save(f.pre_save(entry, True), connection) for f in _FIELDS[1:]]
            for entry in entries
        ]

    def insert(self, entries, rows) -> None:
        """Ids from the sequence, then every row in one statement sent for all (psycopg
        pipelines it): each row is written once, with its vectors."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{ENTRY}', 'id')) "
                "FROM generate_series(1, %s)",
                [len(entries)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            for entry, entry_id in zip(entries, ids, strict=True):
                entry.pk = entry.id = entry_id
            columns = ", ".join(f.column for f in _FIELDS)
            marks = ", ".join(["%s"] * len(_FIELDS))
            cursor.executemany(
                f"INSERT INTO {ENTRY} ({columns}) VALUES ({marks})",
                [[entry_id, *row] for entry_id, row in zip(ids, rows, strict=True)],
            )
        transaction.on_commit(self.merge_pending)

    def write(self, rows) -> None:
        """Nothing: ``insert`` wrote the vectors with the rows."""

    def delete(self, ids) -> None:
        """The vectors live on the entry row: deleting the entry deletes them."""

    def clear(self) -> None:
        """Idem."""

    def merge_pending(self) -> None:
        """Merge the GIN indexes' pending lists into the indexes. A write lands there first
        (fast, and a rebuild's rows are merged in bulk), but every query reads the whole list
        until it is merged, which PostgreSQL does only beyond 4 MB or at a vacuum: the entries
        of 68 live-indexed pages already doubled the time of the impact steps. Called once
        the rows are committed (after a rebuild, the first call merges, the others find the
        lists empty)."""
        with connection.cursor() as cursor:
            for index in GIN_INDEXES:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])

    def analyze(self) -> None:
        """Merge what a rebuild left in the GIN indexes' pending lists and refresh the
        planner's statistics."""
        self.merge_pending()
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {ENTRY}")
            cursor.execute(f"ANALYZE {FACET}")

    @staticmethod
    def expression(query, match_any=False, all_but_one=False, weight="") -> str:
        """A ``tsquery`` literal: lexemes quoted, taken as they are (terms are [a-z0-9]+);
        with ``weight`` ("A": the title), only lexemes of that weight match."""
        suffix = f":{weight}" if weight else ""

        def phrase(stems):
            if isinstance(stems, Words):
                return "(" + " & ".join(f"'{stem}'{suffix}" for stem in stems) + ")"
            return " <-> ".join(f"'{stem}'{suffix}" for stem in stems)

        clauses = ["(" + " | ".join(sorted(map(phrase, c))) + ")" for c in query.clauses]
        if all_but_one and len(clauses) > 2:
            return " | ".join(
                "(" + " & ".join(clauses[:i] + clauses[i + 1 :]) + ")" for i in range(len(clauses))
            )
        return (" | " if match_any or all_but_one else " & ").join(clauses)

    @classmethod
    def _expression(cls, request) -> str:
        return cls.expression(request.query, request.match_any, request.all_but_one)

    def matched(self, request, where, params, sample=False):
        """Visible, filtered entries the query matches (score 0: ``search.ranking`` scores);
        with ``sample``, only those of one bucket (one in SAMPLE_RATE)."""
        query = "(q.query && %s::tsquery)" if sample else "q.query"
        sql = (
            f"SELECT {ENTRY}.id AS id, {ENTRY}.kind AS kind, {ENTRY}.date AS date, "
            f"0 AS score FROM {ENTRY}, CAST(%s AS tsquery) AS q(query) "
            f"WHERE {ENTRY}.search_vector @@ {query} AND {where}"
        )
        buckets = [SAMPLED_BUCKET] if sample else []
        return sql, [self._expression(request), *buckets, *params]

    def matching_ids(self, request, where, params, limit, by_key=False) -> list[int]:
        """Ids of up to ``limit`` visible, filtered matches (by key: whatever the indexing
        order, at the cost of reading every match)."""
        order = f" ORDER BY {ENTRY}.key" if by_key else ""
        sql = (
            f"SELECT {ENTRY}.id FROM {ENTRY} "
            f"WHERE {ENTRY}.search_vector @@ {QUERY} AND {where}{order} LIMIT %s"
        )
        expression = self._expression(request)
        return [row[0] for row in fetch(sql, [expression, *params, limit])]

    def titled(self, request, where, params, limit) -> list[int]:
        """Ids of up to ``limit`` visible, filtered entries whose title alone matches (the
        title's lexemes weigh "A"), read from the small title vector: a weight is checked on
        the vector itself, and the whole one would be read from TOAST for every page holding
        the words anywhere."""
        sql = (
            f"SELECT {ENTRY}.id FROM {ENTRY} "
            f"WHERE {ENTRY}.title_vector @@ {QUERY} AND {where} LIMIT %s"
        )
        query = request.query
        expression = self.expression(query, request.match_any, request.all_but_one, "A")
        return [row[0] for row in fetch(sql, [expression, *params, limit])]

    def champions(self, request, where, params, tokens, limit, by_key=False) -> list[int]:
        """Ids of up to ``limit`` visible, filtered matches holding one of the impact
        ``tokens`` (by key: at the cost of reading them all). One GIN scan answers both, the
        query and the tokens as two conditions: the scan then steps through each one's
        matches in turn, skipping ahead in the other's lists. (As one condition, it checked
        every page holding one of the tokens against the whole expression, tokens included:
        40 ms for a low step of three words.) The subquery keeps the planner from walking the
        key index instead."""
        order = " ORDER BY key" if by_key else ""
        sql = (
            f"SELECT id FROM (SELECT {ENTRY}.id, {ENTRY}.key FROM {ENTRY} "
            f"WHERE {ENTRY}.search_vector @@ {QUERY} AND {ENTRY}.search_vector @@ {QUERY} "
            f"AND {where} OFFSET 0) AS c{order} LIMIT %s"
        )
        impact = " | ".join(f"'{impact_lexeme(token)}'" for token in tokens)
        expression = self._expression(request)
        return [row[0] for row in fetch(sql, [expression, impact, *params, limit])]

    def candidates(self, ids, terms) -> list[ranking.Candidate]:
        """``ids`` as ``ranking.Candidate``: where ``terms`` occur in each entry's vector.

        Each vector comes reduced to the terms' lexemes, as text (one row per entry): the
        vector without the terms lists every other lexeme, which are deleted in turn, in C
        (unnesting a whole vector to keep a few of its rows took three times as long, and a
        row per lexeme, with arrays to decode, as long again in Python)."""
        vector = f"{ENTRY}.search_vector"
        rows = fetch(
            f"SELECT {ENTRY}.id, {ENTRY}.key, {ENTRY}.kind, {ENTRY}.date, {ENTRY}.length, "
            f"ts_delete({vector}, tsvector_to_array(ts_delete({vector}, %s::text[])))::text "
            f"FROM {ENTRY} WHERE {ENTRY}.id = ANY(%s)",
            [sorted(terms), list(ids)],
        )
        return [ranking.Candidate(*row[:5], vector_positions(row[5])) for row in rows]

    def newest(self, request, where, params, limit, offset) -> list[int]:
        """Ids of visible, filtered matches, newest first."""
        sql = (
            f"SELECT {ENTRY}.id FROM {ENTRY}, CAST(%s AS tsquery) AS q(query) "
            f"WHERE {ENTRY}.search_vector @@ q.query AND {where} "
            f"ORDER BY {ENTRY}.date DESC NULLS LAST, {ENTRY}.id DESC LIMIT %s OFFSET %s"
        )
        expression = self._expression(request)
        return [row[0] for row in fetch(sql, [expression, *params, limit, offset])]

    def title_prefix(self, terms, where, params, limit):
        """Visible titles matching ``terms`` [(term, is_prefix)], most downloaded first."""
        expression = " & ".join(f"'{term}':*A" if last else f"'{term}':A" for term, last in terms)
        sql = (
            f"SELECT {ENTRY}.title, {ENTRY}.url, {ENTRY}.kind FROM {ENTRY} "
            f"WHERE {ENTRY}.title_vector @@ CAST(%s AS tsquery) AND {where} "
            f"ORDER BY {ENTRY}.popularity DESC, {ENTRY}.title LIMIT %s"
        )
        return fetch(sql, [expression, *params, limit])
