"""SQLite FTS5 tables keyed by the entry id, ranked by BM25 (see ``search.backends.fulltext``)."""

from django.db import connection

from search.analysis import Words
from search.backends import fulltext
from search.backends.fulltext import ENTRY, FACET, fetch
from search.models import SearchEntry


class SqliteFullText:
    """FTS5 tables keyed by the entry id; BM25 weights title > tags > body."""

    TABLE = "portal_search_fts"
    TITLES = "portal_search_fts_titles"
    RANK = "bm25(portal_search_fts, 10.0, 5.0, 1.0)"  # lower is better: negated in matched()
    exact_limit = 2_000

    def prepare(self, entries, terms):
        """Nothing more to compute before writing."""
        return terms

    def insert(self, entries, terms) -> None:
        """Entries through the ORM (SQLite returns no ids from a bulk insert: they are read
        back), then their FTS5 rows."""
        SearchEntry.objects.bulk_create(entries)
        ids = dict(
            SearchEntry.objects.filter(key__in=[e.key for e in entries]).values_list("key", "id")
        )
        for entry in entries:
            entry.pk = entry.id = ids[entry.key]
        self.write([(entry.id, *texts) for entry, texts in zip(entries, terms, strict=True)])

    def write(self, rows) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.TABLE}(rowid, title, tags, body) VALUES (%s, %s, %s, %s)",
                rows,
            )
            cursor.executemany(
                f"INSERT INTO {self.TITLES}(rowid, title) VALUES (%s, %s)",
                [(row[0], row[1]) for row in rows],
            )

    def delete(self, ids) -> None:
        if not ids:
            return
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.TABLE} WHERE rowid IN ({marks})", ids)
            cursor.execute(f"DELETE FROM {self.TITLES} WHERE rowid IN ({marks})", ids)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.TABLE}")
            cursor.execute(f"DELETE FROM {self.TITLES}")

    def analyze(self) -> None:
        """After a rebuild: merge the FTS5 segments, refresh the planner's statistics, and
        copy the write-ahead log into the database file (read through memory mapping, where
        pages still in the log are not)."""
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.TABLE}({self.TABLE}) VALUES ('optimize')")
            cursor.execute(f"INSERT INTO {self.TITLES}({self.TITLES}) VALUES ('optimize')")
            cursor.execute(f"ANALYZE {ENTRY}")
            cursor.execute(f"ANALYZE {FACET}")
            if not connection.in_atomic_block:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @staticmethod
    def expression(query, match_any=False) -> str:
        def phrase(stems):
            if isinstance(stems, Words):
                return "(" + " AND ".join(f'"{stem}"' for stem in stems) + ")"
            return '"' + " ".join(stems) + '"'

        clauses = ["(" + " OR ".join(sorted(map(phrase, c))) + ")" for c in query.clauses]
        return (" OR " if match_any else " AND ").join(clauses)

    def _expression(self, request, tier=None) -> str:
        """The request's MATCH expression; tier "title" keeps the matches whose title or tags
        match, tier "rest" the others."""
        expression = self.expression(request.query, request.match_any)
        if tier == "title":
            return f"{{title tags}} : ({expression})"
        if tier == "rest":
            return f"({expression}) NOT ({{title tags}} : ({expression}))"
        return expression

    def matched(self, request, where, params, sample=False):
        """Visible, filtered entries the query matches, with a score (higher is better); with
        ``sample``, only one match in SAMPLE_RATE (by id) and no score."""
        score = "0" if sample else f"-{self.RANK}"
        one_in = f" AND rowid %% {int(fulltext.SAMPLE_RATE)} = 0" if sample else ""
        sql = (
            f"SELECT {ENTRY}.id AS id, {ENTRY}.kind AS kind, {ENTRY}.date AS date, "
            f"m.score AS score FROM (SELECT rowid AS id, {score} AS score "
            f"FROM {self.TABLE} WHERE {self.TABLE} MATCH %s{one_in}) AS m "
            f"JOIN {ENTRY} ON {ENTRY}.id = m.id WHERE {where}"
        )
        return sql, [self._expression(request), *params]

    def newest(self, request, where, params, tier, limit, offset, by_date) -> list[int]:
        """Ids of visible, filtered matches of ``tier``, newest first: by date (the date index
        is walked and each entry looked up among the matches; ``+`` keeps SQLite from doing
        the reverse, which would read every match), else by indexing order (the matches are
        read backwards until the page is full)."""
        if by_date:
            sql = (
                f"SELECT {ENTRY}.id FROM {ENTRY} WHERE {where} AND +{ENTRY}.id IN "
                f"(SELECT rowid FROM {self.TABLE} WHERE {self.TABLE} MATCH %s) "
                f"ORDER BY {ENTRY}.date DESC, {ENTRY}.id DESC LIMIT %s OFFSET %s"
            )
            values = [*params, self._expression(request, tier), limit, offset]
        else:
            sql = (
                f"SELECT {ENTRY}.id FROM {self.TABLE} CROSS JOIN {ENTRY} "
                f"ON {ENTRY}.id = {self.TABLE}.rowid WHERE {self.TABLE} MATCH %s AND {where} "
                f"ORDER BY {self.TABLE}.rowid DESC LIMIT %s OFFSET %s"
            )
            values = [self._expression(request, tier), *params, limit, offset]
        return [row[0] for row in fetch(sql, values)]

    def newest_count(self, request, where, params, tier) -> int:
        sql = (
            f"SELECT COUNT(*) FROM {ENTRY} WHERE {where} AND {ENTRY}.id IN "
            f"(SELECT rowid FROM {self.TABLE} WHERE {self.TABLE} MATCH %s)"
        )
        return fetch(sql, [*params, self._expression(request, tier)])[0][0]

    def title_prefix(self, terms, where, params, limit):
        """Visible titles matching ``terms`` [(term, is_prefix)], best BM25 first."""
        fts = " AND ".join(f'"{term}"' + ("*" if last else "") for term, last in terms)
        sql = (
            f"SELECT {ENTRY}.title, {ENTRY}.url, {ENTRY}.kind "
            f"FROM (SELECT rowid AS id, rank FROM {self.TITLES} WHERE {self.TITLES} MATCH %s) "
            f"AS m JOIN {ENTRY} ON {ENTRY}.id = m.id WHERE {where} "
            f"ORDER BY m.rank LIMIT %s"
        )
        return fetch(sql, [fts, *params, limit])
