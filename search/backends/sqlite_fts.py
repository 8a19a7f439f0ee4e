"""SQLite FTS5 tables keyed by the entry id, ranked by ``search.ranking`` (see
``search.backends.fulltext``)."""

from django.db import connection

from search import ranking
from search.analysis import Words
from search.backends import fulltext
from search.backends.fulltext import ENTRY, FACET, fetch
from search.models import SearchEntry


class SqliteFullText:
    """An FTS5 table keyed by the entry id: the analysed title, tags, summary and body, and the
    impact tokens (``search.ranking``) in a column of their own; a small one of titles for
    autocomplete."""

    TABLE = "portal_search_fts"
    TITLES = "portal_search_fts_titles"
    TEXT_COLUMNS = "{title tags summary body}"
    exact_limit = 2_000

    def prepare(self, entries, terms):
        """Each entry's analysed fields and impact tokens (no database access)."""
        return [
            (*texts, " ".join(ranking.impact_tokens([t.split() for t in texts], entry.length)))
            for entry, texts in zip(entries, terms, strict=True)
        ]

    def insert(self, entries, rows) -> None:
        """Entries, each value prepared as the ORM prepares it for saving (``pre_save``, then
        ``get_db_prep_save``) and written with one prepared statement (the ORM's bulk insert
        composes SQL around every value: a tenth of a rebuild); their ids read back by key;
        then their FTS5 rows."""
        fields = [
            f
            for f in SearchEntry._meta.concrete_fields
            if not f.primary_key and not getattr(f, "generated", False)
        ]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        values = [
            [f.get_db_prep_save(f.pre_save(entry, True), connection) for f in fields]
            for entry in entries
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {ENTRY} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})",
                values,
            )
        ids = dict(
            SearchEntry.objects.filter(key__in=[e.key for e in entries]).values_list("key", "id")
        )
        for entry in entries:
            entry.pk = entry.id = ids[entry.key]
            entry._state.adding, entry._state.db = False, connection.alias
        self.write([(entry.id, *row) for entry, row in zip(entries, rows, strict=True)])

    def write(self, rows) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.TABLE}(rowid, title, tags, summary, body, impact) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
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
    def expression(query, match_any=False, all_but_one=False) -> str:
        def phrase(stems):
            if isinstance(stems, Words):
                return "(" + " AND ".join(f'"{stem}"' for stem in stems) + ")"
            return '"' + " ".join(stems) + '"'

        clauses = ["(" + " OR ".join(sorted(map(phrase, c))) + ")" for c in query.clauses]
        if all_but_one and len(clauses) > 2:
            return " OR ".join(
                "(" + " AND ".join(clauses[:i] + clauses[i + 1 :]) + ")"
                for i in range(len(clauses))
            )
        return (" OR " if match_any or all_but_one else " AND ").join(clauses)

    def _expression(self, request) -> str:
        """The request's MATCH expression, on the text columns (not the impact tokens)."""
        expression = self.expression(request.query, request.match_any, request.all_but_one)
        return f"{self.TEXT_COLUMNS} : ({expression})"

    def matched(self, request, where, params, sample=False):
        """Visible, filtered entries the query matches (score 0: ``search.ranking`` scores);
        with ``sample``, only one match in SAMPLE_RATE (by id)."""
        one_in = f" AND rowid %% {int(fulltext.SAMPLE_RATE)} = 0" if sample else ""
        sql = (
            f"SELECT {ENTRY}.id AS id, {ENTRY}.kind AS kind, {ENTRY}.date AS date, "
            f"0 AS score FROM (SELECT rowid AS id FROM {self.TABLE} "
            f"WHERE {self.TABLE} MATCH %s{one_in}) AS m "
            f"JOIN {ENTRY} ON {ENTRY}.id = m.id WHERE {where}"
        )
        return sql, [self._expression(request), *params]

    def matching_ids(self, request, where, params, limit, by_key=False) -> list[int]:
        """Ids of up to ``limit`` visible, filtered matches (by key: whatever the indexing
        order, at the cost of reading every match)."""
        order = f" ORDER BY {ENTRY}.key" if by_key else ""
        sql = (
            f"SELECT {ENTRY}.id FROM {self.TABLE} CROSS JOIN {ENTRY} "
            f"ON {ENTRY}.id = {self.TABLE}.rowid WHERE {self.TABLE} MATCH %s AND {where}"
            f"{order} LIMIT %s"
        )
        return [row[0] for row in fetch(sql, [self._expression(request), *params, limit])]

    def titled(self, request, where, params, limit) -> list[int]:
        """Ids of up to ``limit`` visible, filtered entries whose title alone matches."""
        expression = self.expression(request.query, request.match_any, request.all_but_one)
        sql = (
            f"SELECT {ENTRY}.id FROM {self.TABLE} CROSS JOIN {ENTRY} "
            f"ON {ENTRY}.id = {self.TABLE}.rowid WHERE {self.TABLE} MATCH %s AND {where} "
            "LIMIT %s"
        )
        return [row[0] for row in fetch(sql, [f"title : ({expression})", *params, limit])]

    def champions(self, request, where, params, tokens, limit, by_key=False) -> list[int]:
        """Ids of up to ``limit`` visible, filtered matches holding one of the impact
        ``tokens`` (by key: at the cost of reading them all)."""
        impact = " OR ".join(f'"{token}"' for token in tokens)
        expression = f"impact : ({impact}) AND {self._expression(request)}"
        order = f" ORDER BY {ENTRY}.key" if by_key else ""
        sql = (
            f"SELECT {ENTRY}.id FROM {self.TABLE} CROSS JOIN {ENTRY} "
            f"ON {ENTRY}.id = {self.TABLE}.rowid WHERE {self.TABLE} MATCH %s AND {where}"
            f"{order} LIMIT %s"
        )
        return [row[0] for row in fetch(sql, [expression, *params, limit])]

    def candidates(self, ids, terms) -> list[ranking.Candidate]:
        """``ids`` as ``ranking.Candidate``, with their analysed fields: ``ranking.ordered``
        reads where ``terms`` occur in them, a body's positions only when they may matter."""
        ids, rows = list(ids), []
        for start in range(0, len(ids), 5000):  # within SQLite's limit on parameters
            chunk = ids[start : start + 5000]
            rows += fetch(
                f"SELECT {ENTRY}.id, {ENTRY}.key, {ENTRY}.kind, {ENTRY}.date, {ENTRY}.length, "
                f"f.title, f.tags, f.summary, f.body FROM {ENTRY} "
                f"CROSS JOIN {self.TABLE} AS f ON f.rowid = {ENTRY}.id "
                f"WHERE {ENTRY}.id IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
        return [ranking.Candidate(*row[:5], texts=row[5:]) for row in rows]

    def impact_tokens(self, ids, terms) -> dict[int, tuple[str, list[str]]]:
        """``ids`` -> (key, the impact tokens of ``terms`` they hold: at most one per term)."""
        ids, found = list(ids), {}
        for start in range(0, len(ids), 5000):  # within SQLite's limit on parameters
            chunk = ids[start : start + 5000]
            rows = fetch(
                f"SELECT {ENTRY}.id, {ENTRY}.key, f.impact FROM {ENTRY} "
                f"CROSS JOIN {self.TABLE} AS f ON f.rowid = {ENTRY}.id "
                f"WHERE {ENTRY}.id IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            for entry_id, key, impact in rows:
                found[entry_id] = (key, ranking.tokens_of(impact or "", terms))
        return found

    def newest(self, request, where, params, limit, offset) -> list[int]:
        """Ids of visible, filtered matches, newest first: the date index is walked and each
        entry looked up among the matches (``+`` keeps SQLite from doing the reverse, which
        would read every match)."""
        sql = (
            f"SELECT {ENTRY}.id FROM {ENTRY} WHERE {where} AND +{ENTRY}.id IN "
            f"(SELECT rowid FROM {self.TABLE} WHERE {self.TABLE} MATCH %s) "
            f"ORDER BY {ENTRY}.date DESC, {ENTRY}.id DESC LIMIT %s OFFSET %s"
        )
        values = [*params, self._expression(request), limit, offset]
        return [row[0] for row in fetch(sql, values)]

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
