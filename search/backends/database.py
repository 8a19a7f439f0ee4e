"""The embedded backend: the index lives in the portal's own database.

Entries, facet values and access fields are ordinary tables, filtered with the access model's
own ``access_q`` before anything is ranked or counted. Full-text matching and ranking are the
engine's: SQLite FTS5 with BM25, or PostgreSQL ``tsvector`` (GIN) with ``ts_rank_cd``. Both
store the terms of ``search.analysis`` (folded, stemmed), so French analysis is identical.
"""

import hashlib
import json
from collections import defaultdict
from itertools import islice

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, transaction

from portal.access import access_q
from search.analysis import index_text
from search.backends.base import (
    Backend,
    BackendResults,
    RawHit,
    SearchRequest,
    Suggestion,
    period_bounds,
)
from search.models import SearchEntry, SearchFacetValue

BATCH = 1000
MAX_INDEXED_CHARS = 400_000  # a tsvector holds at most 1 MB


def fingerprint(document) -> str:
    """What must match between content and index (popularity, a ranking hint that changes with
    every download, may lag until the next save or rebuild)."""
    payload = [
        document.kind,
        document.title,
        document.url,
        document.summary,
        document.body,
        list(document.tags),
        {name: list(values) for name, values in sorted(document.facets.items())},
        document.date.isoformat() if document.date else None,
        document.access_level,
        sorted(document.allowed_roles),
        document.establishment_id,
    ]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _entry(document) -> SearchEntry:
    return SearchEntry(
        key=document.key,
        kind=document.kind,
        title=document.title[:500],
        url=document.url[:500],
        summary=document.summary,
        body=document.body,
        tags=list(document.tags),
        facets={name: list(values) for name, values in document.facets.items()},
        date=document.date,
        popularity=document.popularity,
        access_level=document.access_level,
        allowed_roles=document.allowed_roles,
        establishment_id=document.establishment_id,
        fingerprint=fingerprint(document),
    )


def _terms(entry: SearchEntry) -> tuple[str, str, str]:
    return (
        index_text(entry.title),
        index_text(" ".join(entry.tags)),
        index_text(entry.body[:MAX_INDEXED_CHARS]),
    )


def filtered_entries(request: SearchRequest):
    """Entries the user may view that pass the request's filters (no text condition)."""
    entries = SearchEntry.objects.filter(access_q(request.user))
    if request.modules:
        entries = entries.filter(kind__in=sorted(request.modules))
    for name, values in sorted(request.facet_filters.items()):
        if values:
            entries = entries.filter(
                id__in=SearchFacetValue.objects.filter(name=name, value__in=sorted(values)).values(
                    "entry_id"
                )
            )
    if request.period:
        bounds = period_bounds()
        if request.period == "older":
            entries = entries.filter(date__lt=bounds["year"])
        else:
            entries = entries.filter(date__gte=bounds[request.period])
    return entries


class DatabaseBackend(Backend):
    name = "database"

    def __init__(self):
        self.engine = PostgresFullText() if connection.vendor == "postgresql" else SqliteFullText()

    # --- writing ------------------------------------------------------------------------
    def index(self, documents) -> None:
        with transaction.atomic():
            self.delete([document.key for document in documents])
            self._insert(documents)

    def delete(self, keys) -> None:
        if not keys:
            return
        with transaction.atomic():
            ids = list(SearchEntry.objects.filter(key__in=keys).values_list("id", flat=True))
            self.engine.delete(ids)
            SearchEntry.objects.filter(id__in=ids).delete()

    def rebuild(self, documents, progress=None) -> int:
        """Replace the whole index in one transaction: readers see the old index until then."""
        count = 0
        with transaction.atomic():
            self.engine.clear()
            SearchFacetValue.objects.all().delete()
            SearchEntry.objects.all().delete()
            iterator = iter(documents)
            while batch := list(islice(iterator, BATCH)):
                self._insert(batch)
                count += len(batch)
                if progress:
                    progress(count)
        self.engine.analyze()
        return count

    def _insert(self, documents) -> None:
        unique = {document.key: document for document in documents}
        entries = SearchEntry.objects.bulk_create(_entry(document) for document in unique.values())
        if connection.vendor != "postgresql" and entries and entries[0].pk is None:
            ids = dict(SearchEntry.objects.filter(key__in=unique).values_list("key", "id"))
            for entry in entries:
                entry.pk = entry.id = ids[entry.key]
        SearchFacetValue.objects.bulk_create(
            SearchFacetValue(entry=entry, name=name, value=value[:100])
            for entry in entries
            for name, values in entry.facets.items()
            for value in dict.fromkeys(values)
        )
        self.engine.write([(entry.id, *_terms(entry)) for entry in entries])

    def fingerprints(self) -> dict[str, str]:
        return dict(SearchEntry.objects.values_list("key", "fingerprint"))

    # --- reading ------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> BackendResults:
        results = BackendResults()
        where = _where(filtered_entries(request)) if request.query else None
        if where is None:
            return results
        rows = _one_statement(self.engine, request, *where)
        ranked = _in_order(request, [r for r in rows if r[0] == "hit"])
        kinds = [(r[1], int(r[2]), int(r[3] or 0), int(r[4] or 0)) for r in rows if r[0] == "kind"]
        results.module_counts, results.period_counts = _split_counts(kinds)
        results.total = sum(results.module_counts.values())
        results.facet_counts = _nest((r[1], r[2], int(r[3])) for r in rows if r[0] == "facet")
        by_id = SearchEntry.objects.defer("search_vector").in_bulk([i for i, _ in ranked])
        results.hits = [
            RawHit(
                key=entry.key,
                kind=entry.kind,
                title=entry.title,
                url=entry.url,
                summary=entry.summary,
                body=entry.body,
                date=entry.date,
                facets=entry.facets,
                score=score,
            )
            for entry_id, score in ranked
            if (entry := by_id.get(entry_id))
        ]
        return results

    def suggest(self, user, text, limit) -> list[Suggestion]:
        entries = SearchEntry.objects.filter(access_q(user))
        return [
            Suggestion(title=title, url=url, kind=kind)
            for title, url, kind in self.engine.title_prefix(text, entries, limit)
        ]


def _where(queryset):
    """The WHERE clause the ORM builds for ``queryset`` (None when it can match nothing)."""
    compiler = queryset.query.get_compiler(connection=connection)
    try:
        sql, params = queryset.query.where.as_sql(compiler, connection)
    except EmptyResultSet:
        return None
    except FullResultSet:
        return "1 = 1", []
    return (sql or "1 = 1"), list(params)


def _in_order(request, hit_rows):
    """(id, score) of the page's hits, in the statement's own ORDER BY order (the branches of a
    UNION keep no order)."""
    hits = [(int(i), float(score), date or "") for _tag, i, score, date, _ in hit_rows]
    hits.sort(key=lambda h: (-h[1], h[0]))  # score desc, then id
    if request.sort == "date":  # then newest first, undated last (the sort is stable)
        hits.sort(key=lambda h: (h[2] != "", h[2]), reverse=True)
    return [(i, score) for i, score, _date in hits]


def _one_statement(engine, request, where_sql, where_params):
    """Hits, counts per module and period, and facet counts, from one evaluation of the match.

    Rows: ("hit", id, score, date, -) · ("kind", kind, count, month, year) ·
    ("facet", name, value, count, -); every value as text, so that the branches unite.
    """
    facet = SearchFacetValue._meta.db_table
    matched_sql, matched_params = engine.matched(request, where_sql, where_params)
    order = "date DESC NULLS LAST, score DESC, id" if request.sort == "date" else "score DESC, id"
    bounds = period_bounds()
    text = "CAST(%s AS TEXT)" if connection.vendor == "sqlite" else "(%s)::text"

    def t(expression):
        return text % expression

    sql = (
        f"WITH m AS MATERIALIZED ({matched_sql}) "
        f"SELECT 'hit', {t('id')}, {t('score')}, {t('date')}, NULL FROM ("
        f"SELECT id, score, date FROM m ORDER BY {order} LIMIT %s OFFSET %s) AS page "
        f"UNION ALL SELECT 'kind', kind, {t('COUNT(*)')}, "
        f"{t('SUM(CASE WHEN date >= %s THEN 1 ELSE 0 END)')}, "
        f"{t('SUM(CASE WHEN date >= %s THEN 1 ELSE 0 END)')} FROM m GROUP BY kind"
    )
    params = [*matched_params, request.limit, request.offset, bounds["month"], bounds["year"]]
    if request.with_facets:
        sql += (
            f" UNION ALL SELECT 'facet', f.name, f.value, {t('COUNT(*)')}, NULL "
            f"FROM m JOIN {facet} AS f ON f.entry_id = m.id GROUP BY f.name, f.value"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class SqliteFullText:
    """FTS5 tables keyed by the entry id; BM25 weights title > tags > body."""

    TABLE = "portal_search_fts"
    TITLES = "portal_search_fts_titles"
    ENTRY = SearchEntry._meta.db_table
    FACET = SearchFacetValue._meta.db_table
    RANK = "bm25(portal_search_fts, 10.0, 5.0, 1.0)"  # lower is better: negated in matched()

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
        """Merge the FTS5 segments and refresh the planner's statistics after a rebuild."""
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.TABLE}({self.TABLE}) VALUES ('optimize')")
            cursor.execute(f"INSERT INTO {self.TITLES}({self.TITLES}) VALUES ('optimize')")
            cursor.execute(f"ANALYZE {self.ENTRY}")
            cursor.execute(f"ANALYZE {self.FACET}")

    @staticmethod
    def expression(query, match_any=False) -> str:
        def phrase(stems):
            return '"' + " ".join(stems) + '"'

        clauses = ["(" + " OR ".join(sorted(map(phrase, c))) + ")" for c in query.clauses]
        return (" OR " if match_any else " AND ").join(clauses)

    def matched(self, request, where_sql, where_params):
        """Visible, filtered entries the query matches, with a score (higher is better)."""
        entry = self.ENTRY
        sql = (
            f"SELECT {entry}.id AS id, {entry}.kind AS kind, {entry}.date AS date, "
            f"m.score AS score FROM (SELECT rowid AS id, -{self.RANK} AS score "
            f"FROM {self.TABLE} WHERE {self.TABLE} MATCH %s) AS m "
            f"JOIN {entry} ON {entry}.id = m.id WHERE {where_sql}"
        )
        return sql, [self.expression(request.query, request.match_any), *where_params]

    def title_prefix(self, text, entries, limit):
        expression = prefix_terms(text)
        where = _where(entries)
        if not expression or where is None:
            return []
        where_sql, where_params = where
        fts = " AND ".join(f'"{term}"' + ("*" if last else "") for term, last in expression)
        sql = (
            f"SELECT {self.ENTRY}.title, {self.ENTRY}.url, {self.ENTRY}.kind "
            f"FROM (SELECT rowid AS id, rank FROM {self.TITLES} WHERE {self.TITLES} MATCH %s) "
            f"AS m JOIN {self.ENTRY} ON {self.ENTRY}.id = m.id WHERE {where_sql} "
            f"ORDER BY m.rank LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [fts, *where_params, limit])
            return cursor.fetchall()


def prefix_terms(text):
    """The terms of an autocomplete input, the last one as a prefix: [(term, is_prefix)]."""
    from search.analysis import STOPWORDS, stem, words

    found = words(text)
    if not found:
        return []
    complete = [stem(word) for word in found[:-1] if word not in STOPWORDS]
    last = found[-1]
    return [(term, False) for term in complete] + [(min(stem(last), last, key=len), True)]


def _split_counts(rows):
    kinds = {kind: count for kind, count, _month, _year in rows}
    month = sum(row[2] or 0 for row in rows)
    year = sum(row[3] or 0 for row in rows)
    total = sum(kinds.values())
    return kinds, {"month": month, "year": year, "older": total - year}


def _nest(rows):
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for name, value, count in rows:
        counts[name][value] = count
    return dict(counts)


class PostgresFullText:
    """A weighted ``tsvector`` column with a GIN index, ranked by ``ts_rank_cd``."""

    WEIGHTS = [0.1, 0.2, 0.4, 1.0]  # D (body), C, B (tags), A (title)

    def write(self, rows) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {SearchEntry._meta.db_table} SET search_vector = "
                "setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'B') || "
                "setweight(to_tsvector('simple', %s), 'D') WHERE id = %s",
                [(title, tags, body, entry_id) for entry_id, title, tags, body in rows],
            )

    def delete(self, ids) -> None:
        """The vector lives on the entry row: deleting the entry deletes it."""

    def clear(self) -> None:
        """Idem."""

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")
            cursor.execute(f"ANALYZE {SearchFacetValue._meta.db_table}")

    @staticmethod
    def expression(query, match_any=False) -> str:
        def phrase(stems):
            return " <-> ".join(stems)

        clauses = ["(" + " | ".join(sorted(map(phrase, c))) + ")" for c in query.clauses]
        return (" | " if match_any else " & ").join(clauses)

    def matched(self, request, where_sql, where_params):
        entry = SearchEntry._meta.db_table
        weights = "{" + ",".join(map(str, self.WEIGHTS)) + "}"
        sql = (
            f"SELECT {entry}.id AS id, {entry}.kind AS kind, {entry}.date AS date, "
            f"ts_rank_cd('{weights}'::float4[], {entry}.search_vector, q.query, 1) AS score "
            f"FROM {entry}, to_tsquery('simple', %s) AS q(query) "
            f"WHERE {entry}.search_vector @@ q.query AND {where_sql}"
        )
        return sql, [self.expression(request.query, request.match_any), *where_params]

    def title_prefix(self, text, entries, limit):
        from django.contrib.postgres.search import SearchQuery

        terms = prefix_terms(text)
        if not terms:
            return []
        expression = " & ".join(f"{term}:*A" if last else f"{term}:A" for term, last in terms)
        query = SearchQuery(expression, search_type="raw", config="simple")
        return list(
            entries.filter(search_vector=query)
            .order_by("-popularity", "title")
            .values_list("title", "url", "kind")[:limit]
        )
