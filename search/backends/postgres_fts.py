"""PostgreSQL ``tsvector`` columns with GIN indexes, ranked by ``ts_rank_cd`` (see
``search.backends.fulltext``)."""

import zlib

from django.db import connection

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


class PostgresFullText:
    """A weighted ``tsvector`` of everything (GIN, ranked by ``ts_rank_cd``), and a small one of
    the title and tags (GIN) that a tier, autocomplete and rechecks read without TOAST."""

    WEIGHTS = [0.1, 0.2, 0.4, 1.0]  # D (body), C, B (tags), A (title)
    exact_limit = 500  # ranking reads each match's whole vector

    def prepare(self, entries, terms):
        """Each entry's column values, vectors included (the id comes with ``insert``)."""
        for entry, (title, tags, body) in zip(entries, terms, strict=True):
            entry.search_vector = tsvector(
                (title, "A"), (tags, "B"), (body, "D"), (_bucket(entry.key), "D")
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

    def write(self, rows) -> None:
        """Nothing: ``insert`` wrote the vectors with the rows."""

    def delete(self, ids) -> None:
        """The vectors live on the entry row: deleting the entry deletes them."""

    def clear(self) -> None:
        """Idem."""

    def analyze(self) -> None:
        """Merge what a rebuild left in the GIN indexes' pending lists (every query would read
        them otherwise) and refresh the planner's statistics."""
        with connection.cursor() as cursor:
            for index in ("portal_search_vector_gin", "portal_search_title_vector_gin"):
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            cursor.execute(f"ANALYZE {ENTRY}")
            cursor.execute(f"ANALYZE {FACET}")

    @staticmethod
    def expression(query, match_any=False) -> str:
        """A ``tsquery`` literal: lexemes quoted, taken as they are (terms are [a-z0-9]+)."""

        def phrase(stems):
            if isinstance(stems, Words):
                return "(" + " & ".join(f"'{stem}'" for stem in stems) + ")"
            return " <-> ".join(f"'{stem}'" for stem in stems)

        clauses = ["(" + " | ".join(sorted(map(phrase, c))) + ")" for c in query.clauses]
        return (" | " if match_any else " & ").join(clauses)

    def _tier(self, tier) -> str:
        """The condition on a row's vectors for ``tier`` (one parameter: the expression)."""
        everything = f"{ENTRY}.search_vector @@ q.query"
        title = f"{ENTRY}.title_vector @@ q.query"
        return {"title": title, "rest": f"{everything} AND NOT {title}"}.get(tier, everything)

    def matched(self, request, where, params, sample=False):
        """Visible, filtered entries the query matches, with a score; with ``sample``, only
        those of one bucket (one in SAMPLE_RATE) and no score."""
        weights = "{" + ",".join(map(str, self.WEIGHTS)) + "}"
        rank = f"ts_rank_cd('{weights}'::float4[], {ENTRY}.search_vector, q.query, 1)"
        query = "(q.query && %s::tsquery)" if sample else "q.query"
        score = "0" if sample else rank
        sql = (
            f"SELECT {ENTRY}.id AS id, {ENTRY}.kind AS kind, {ENTRY}.date AS date, "
            f"{score} AS score FROM {ENTRY}, CAST(%s AS tsquery) AS q(query) "
            f"WHERE {ENTRY}.search_vector @@ {query} AND {where}"
        )
        buckets = [SAMPLED_BUCKET] if sample else []
        return sql, [self.expression(request.query, request.match_any), *buckets, *params]

    def newest(self, request, where, params, tier, limit, offset, by_date) -> list[int]:
        order = f"{ENTRY}.date DESC NULLS LAST, {ENTRY}.id DESC" if by_date else f"{ENTRY}.id DESC"
        sql = (
            f"SELECT {ENTRY}.id FROM {ENTRY}, CAST(%s AS tsquery) AS q(query) "
            f"WHERE {self._tier(tier)} AND {where} ORDER BY {order} LIMIT %s OFFSET %s"
        )
        expression = self.expression(request.query, request.match_any)
        return [row[0] for row in fetch(sql, [expression, *params, limit, offset])]

    def newest_count(self, request, where, params, tier) -> int:
        sql = (
            f"SELECT COUNT(*) FROM {ENTRY}, CAST(%s AS tsquery) AS q(query) "
            f"WHERE {self._tier(tier)} AND {where}"
        )
        expression = self.expression(request.query, request.match_any)
        return fetch(sql, [expression, *params])[0][0]

    def title_prefix(self, terms, where, params, limit):
        """Visible titles matching ``terms`` [(term, is_prefix)], most downloaded first."""
        expression = " & ".join(f"'{term}':*A" if last else f"'{term}':A" for term, last in terms)
        sql = (
            f"SELECT {ENTRY}.title, {ENTRY}.url, {ENTRY}.kind FROM {ENTRY} "
            f"WHERE {ENTRY}.title_vector @@ CAST(%s AS tsquery) AND {where} "
            f"ORDER BY {ENTRY}.popularity DESC, {ENTRY}.title LIMIT %s"
        )
        return fetch(sql, [expression, *params, limit])
