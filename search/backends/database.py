"""The embedded backend: the index lives in the portal's own database.

Entries, facet values and access fields are ordinary tables, filtered with the access model's
own ``access_q`` before anything is ranked or counted. Full-text matching is the engine's
(``search.backends.fulltext``); ranking is ``search.ranking``'s, the same on both engines.

The work a query costs is bounded, and what is exact is decided by the visible matches
themselves (read up to ``exact_limit`` + 1), never by an estimate. Up to ``exact_limit``
matches, every count is exact; beyond, counts are estimated from a uniform sample of the
visible matches (one in ``fulltext.SAMPLE_RATE``; the page says "about"). By relevance, up to
``ranking.EXACT_RANKING`` matches are all scored; beyond, the candidates scored are those the
impact lists rank highest (see ``search.ranking``), never the most recent ones. By date, the
newest matches come first either way.
"""

from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from itertools import islice

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.functions import Substr

from portal.access import access_q
from search import highlight, ranking, spelling
from search.analysis import analyse
from search.backends import fulltext
from search.backends.base import (
    Backend,
    BackendResults,
    RawHit,
    SearchRequest,
    Suggestion,
    period_bounds,
)
from search.backends.fulltext import FACET, prefix_terms, where_sql
from search.backends.postgres_fts import PostgresFullText
from search.backends.sqlite_fts import SqliteFullText
from search.entries import entry_from_document
from search.models import (
    KIND_WEIGHTS_KEY,
    SearchEntry,
    SearchFacetValue,
    SearchKindWeight,
    SearchTerm,
)

BATCH = 1000
ENTRY_COUNT_KEY = "search:entry-count"
MAX_INDEXED_CHARS = 400_000  # a tsvector holds at most 1 MB


def analysed_entry(entry: SearchEntry):
    """The indexed text of the title, tags, summary and body (``ranking.FIELDS``), and their
    words (``analysis.analyse``)."""
    texts, found = [], {}
    fields = (entry.title, " ".join(entry.tags), entry.summary, entry.body[:MAX_INDEXED_CHARS])
    for text in fields:
        indexed, words = analyse(text)
        texts.append(indexed)
        found = words | found  # the first spelling seen wins
    return tuple(texts), found


def filtered_entries(request: SearchRequest):
    """Entries the user may view that pass the request's filters (no text condition)."""
    entries = SearchEntry.objects.filter(access_q(request.user, families=True))
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
            vocabulary = spelling.Vocabulary()
            self._write(self._prepare(documents), vocabulary)
            vocabulary.write()
        cache.delete(ENTRY_COUNT_KEY)

    def delete(self, keys) -> None:
        if not keys:
            return
        with transaction.atomic():
            entries = list(
                SearchEntry.objects.filter(key__in=keys).only(
                    "id",
                    "title",
                    "tags",
                    "summary",
                    "body",
                    "access_level",
                    "allowed_roles",
                    "establishment_id",
                    "establishment_families",
                )
            )
            vocabulary = spelling.Vocabulary()
            for entry in entries:
                vocabulary.add(entry, analysed_entry(entry)[1], sign=-1)
            ids = [entry.id for entry in entries]
            self.engine.delete(ids)
            SearchEntry.objects.filter(id__in=ids).delete()
            vocabulary.write()
        cache.delete(ENTRY_COUNT_KEY)

    def rebuild(self, documents, progress=None) -> int:
        """Replace the whole index in one transaction: readers see the old index until then.

        Documents are read here (sources may query the database). With a database server,
        a worker thread analyses each batch while the server writes the previous one; SQLite
        works in this process, so there is nothing to overlap."""
        count, pending, vocabulary = 0, None, spelling.Vocabulary()
        with transaction.atomic(), ThreadPoolExecutor(max_workers=1) as worker:
            self.engine.clear()
            spelling.clear()
            SearchFacetValue.objects.all().delete()
            SearchEntry.objects.all().delete()
            iterator = iter(documents)
            while True:
                batch = list(islice(iterator, BATCH))
                prepared = self._submit(worker, batch) if batch else None
                if pending:
                    count += self._write(pending.result(), vocabulary)
                    if progress:
                        progress(count)
                if not prepared:
                    break
                pending = prepared
            vocabulary.write()
        self.engine.analyze()
        spelling.analyze()
        cache.delete(ENTRY_COUNT_KEY)
        return count

    def _submit(self, worker, batch) -> Future:
        if connection.vendor == "postgresql":
            return worker.submit(self._prepare, batch)
        done = Future()
        done.set_result(self._prepare(batch))
        return done

    def _prepare(self, documents):
        """Entries and their analysed text, as the engine writes them (no database access)."""
        unique = {document.key: document for document in documents}
        entries = [entry_from_document(document) for document in unique.values()]
        analysed = [analysed_entry(entry) for entry in entries]
        for entry, (texts, _words) in zip(entries, analysed, strict=True):
            entry.length = len(texts[3].split())
        rows = self.engine.prepare(entries, [texts for texts, _words in analysed])
        return entries, rows, [found for _texts, found in analysed]

    def _write(self, prepared, vocabulary) -> int:
        """Write prepared entries; count their words into ``vocabulary``."""
        entries, rows, found = prepared
        for entry, words in zip(entries, found, strict=True):
            vocabulary.add(entry, words)
        self.engine.insert(entries, rows)
        _insert_rows(
            FACET,
            ("entry_id", "name", "value"),
            [
                (entry.id, name, value[:100])
                for entry in entries
                for name, values in entry.facets.items()
                for value in dict.fromkeys(values)
            ],
        )
        return len(entries)

    def fingerprints(self) -> dict[str, str]:
        return dict(SearchEntry.objects.values_list("key", "fingerprint"))

    # --- reading ------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> BackendResults:
        results = BackendResults()
        where = where_sql(filtered_entries(request)) if request.query else None
        if where is None:
            return results
        limit = self.engine.exact_limit
        matches = self.engine.matching_ids(request, *where, max(limit, ranking.EXACT_RANKING) + 1)
        by_date = request.sort == "date"
        if len(matches) <= limit:  # the visible matches themselves decide: no estimate
            rows = _statement(self.engine.matched(request, *where), request, hits=by_date)
            _read_counts(rows, results, scale=1)
            dated = _in_order(request, [r for r in rows if r[0] == "hit"]) if by_date else None
        else:
            rows = _statement(self.engine.matched(request, *where, sample=True), request)
            _read_counts(rows, results, scale=fulltext.SAMPLE_RATE)
            results.estimated = True
            dated = None
        if by_date:
            ranked = dated
            if ranked is None:
                ranked = [
                    (entry_id, 0.0)
                    for entry_id in self.engine.newest(
                        request, *where, request.limit, request.offset
                    )
                ]
            else:
                ranked = ranked[request.offset : request.offset + request.limit]
        else:
            ranked = self._ranked(request, where, matches, complete=len(matches) <= limit)
        fields = ("key", "kind", "title", "url", "summary", "date", "facets")
        # The body as far as a snippet reads it, and one character more to tell it was cut
        # (an attachment's text runs to hundreds of thousands of characters).
        body = Substr("body", 1, highlight.MAX_SCANNED_CHARS + 1)
        by_id = {
            row["id"]: row
            for row in SearchEntry.objects.filter(id__in=[i for i, _ in ranked]).values(
                "id", *fields, body_start=body
            )
        }
        results.hits = [
            RawHit(**{name: row[name] for name in fields}, body=row["body_start"], score=score)
            for entry_id, score in ranked
            if (row := by_id.get(entry_id))
        ]
        return results

    def _ranked(self, request, where, matches, complete):
        """(id, score) of the page's hits by relevance (``search.ranking``): every visible
        match when they are few, else the candidates the impact lists give (``complete``:
        ``matches`` holds every visible match)."""
        end = request.offset + request.limit
        if len(matches) <= ranking.EXACT_RANKING:
            candidates = matches
        else:
            candidates = self._candidates(request, where, end, matches if complete else None)
        ordered = self.score(request, candidates, end)
        return [(s.id, s.score) for s in ordered[request.offset : end]]

    def _candidates(self, request, where, end, matches=None) -> list[int]:
        """The candidates to score. For any word, coverage ranks first: the pages matching
        every word, then those missing at most one, then any, each tier taken whole when small
        and from the impact lists otherwise, until there are enough (a page matching every
        word but weighing each little holds no impact token: the lists alone would miss it)."""
        wanted = ranking.candidates_wanted(request.query, end)
        if not request.match_any:
            return self._champions(request, where, wanted, self._lists(request, matches))
        found: dict[int, None] = {}
        tiers = [replace(request, match_any=False)]
        if len(request.query.clauses) > 2:
            tiers.append(replace(request, match_any=False, all_but_one=True))
        for tier in tiers:
            matches = self.engine.matching_ids(tier, *where, wanted + 1)
            if len(matches) > wanted:
                matches = self._champions(tier, where, wanted)
            found |= dict.fromkeys(matches)
            if len(found) >= wanted:
                return list(found)
        lists = self._lists(request, matches)
        return list(found | dict.fromkeys(self._champions(request, where, wanted, lists)))

    def _lists(self, request, matches):
        """Where ``_champions`` reads the impact lists: the engine, one query per step; or,
        when every visible match is known and they are few (``IN_MEMORY_MATCHES``), their
        impact tokens read at once (``ImpactLists``: the same answers, without a query per
        step, each of which reads every token of its levels)."""
        if (
            matches is None
            or len(matches) > IN_MEMORY_MATCHES
            or not hasattr(self.engine, "impact_tokens")
        ):
            return self.engine
        terms = ranking.query_terms(request.query)
        return ImpactLists(self.engine.impact_tokens(matches, terms))

    def _champions(self, request, where, wanted, lists=None) -> list[int]:
        """Matches holding a query term's impact token, the highest levels first, until there
        are enough (each step whole, or cut in key order: never indexing order)."""
        lists = lists or self.engine
        terms = ranking.query_terms(request.query)
        found = dict.fromkeys(self._rare_alternatives(request, where, wanted))
        found |= dict.fromkeys(self._titled(request, where, wanted))
        for high, low in ranking.LEVEL_STEPS:
            tokens = ranking.level_tokens(terms, high, low)
            step = lists.champions(request, *where, tokens, ranking.MAX_STEP_ROWS + 1)
            crowded = len(step) > ranking.MAX_STEP_ROWS or len(found) + len(step) > 2 * wanted
            if crowded and high - low < ranking.FINE_STEP_SPLIT:
                step = []  # level by level, the highest first (each candidate costs scoring)
                for single in range(high, low - 1, -1):
                    level = ranking.level_tokens(terms, single, single)
                    step += self._step(request, where, level, lists)
                    if len(found | dict.fromkeys(step)) >= wanted:
                        break
            elif len(step) > ranking.MAX_STEP_ROWS:
                step = self._step(request, where, tokens, lists)
            found |= dict.fromkeys(step)
            if len(found) >= wanted:
                return list(found)
        # Too few pages weigh the words much: the other matches, in key order.
        extra = lists.matching_ids(request, *where, wanted, by_key=True)
        return list(found | dict.fromkeys(extra))

    def _titled(self, request, where, wanted) -> list[int]:
        """Pages whose title holds every word, when they are few (at most ``wanted``): a
        page's score sums its words' weights, and with proximity in the title these pages
        score above many that weigh one word more (where the impact lists put them)."""
        if len(request.query.clauses) < 2 or request.match_any:
            return []
        ids = self.engine.titled(request, *where, wanted + 1)
        return ids if len(ids) <= wanted else []

    def _step(self, request, where, tokens, lists) -> list[int]:
        """The matches holding one of ``tokens``, cut in key order when too many (rare; never
        rowid order)."""
        step = lists.champions(request, *where, tokens, ranking.MAX_STEP_ROWS + 1)
        if len(step) > ranking.MAX_STEP_ROWS:
            step = lists.champions(request, *where, tokens, ranking.MAX_STEP_ROWS, by_key=True)
        return step

    def _rare_alternatives(self, request, where, wanted) -> list[int]:
        """Every match of a synonym that few pages hold (at most ``wanted``): a clause's score
        sums its alternatives' occurrences (``ranking.clause_idf``) while the impact lists
        weigh each term alone, so a page naming both "rançongiciel" and the rarer
        "ransomware" stands below pages naming the common one more often."""
        found: dict[int, None] = {}
        clauses = request.query.clauses
        for index, clause in enumerate(clauses):
            if len(clause) < 2:
                continue
            for alternative in sorted(clause):
                narrowed = (*clauses[:index], frozenset({alternative}), *clauses[index + 1 :])
                query = replace(request.query, clauses=narrowed)
                ids = self.engine.matching_ids(replace(request, query=query), *where, wanted + 1)
                if len(ids) <= wanted:
                    found |= dict.fromkeys(ids)
        return list(found)

    def score(self, request, ids, end=None) -> list:
        """``ids`` best first (``ranking.ordered``: with ``end``, the first ``end`` only)."""
        if not ids:
            return []
        terms = ranking.query_terms(request.query)
        candidates = self.engine.candidates(ids, terms)
        return ranking.ordered(candidates, request.query, _idfs(terms), kind_weights(), end)

    def suggest(self, user, text, limit) -> list[Suggestion]:
        terms = prefix_terms(text)
        where = where_sql(SearchEntry.objects.filter(access_q(user, families=True)))
        if not terms or where is None:
            return []
        return [
            Suggestion(title=title, url=url, kind=kind)
            for title, url, kind in self.engine.title_prefix(terms, *where, limit)
        ]


IN_MEMORY_MATCHES = 600  # up to this many visible matches, their impact tokens are read at once


class ImpactLists:
    """The impact lists of a known set of visible matches (id -> (key, impact tokens of the
    query's terms)), answering ``champions`` and ``matching_ids`` by key as the engine does
    for the request they were read for: matches in id order (the engine's index order), or in
    key order, cut at ``limit``."""

    def __init__(self, tokens_of):
        self.keys = {entry_id: key for entry_id, (key, _tokens) in tokens_of.items()}
        self.holding: dict[str, list[int]] = defaultdict(list)
        for entry_id in sorted(tokens_of):
            for token in tokens_of[entry_id][1]:
                self.holding[token].append(entry_id)

    def champions(self, request, where, params, tokens, limit, by_key=False) -> list[int]:
        found = sorted({i for token in tokens for i in self.holding.get(token, ())})
        if by_key:
            found.sort(key=self.keys.__getitem__)
        return found[:limit]

    def matching_ids(self, request, where, params, limit, by_key=False) -> list[int]:
        order = self.keys.__getitem__ if by_key else None
        return sorted(self.keys, key=order)[:limit]


def entry_count() -> int:
    count = cache.get(ENTRY_COUNT_KEY)
    if count is None:
        count = SearchEntry.objects.count()
        cache.set(ENTRY_COUNT_KEY, count, 3600)
    return count


def kind_weights() -> dict[str, float]:
    """The editors' weight per kind of content (``SearchKindWeight``)."""
    weights = cache.get(KIND_WEIGHTS_KEY)
    if weights is None:
        weights = dict(SearchKindWeight.objects.values_list("kind", "weight"))
        cache.set(KIND_WEIGHTS_KEY, weights, 3600)
    return weights


def _idfs(terms) -> dict[str, float]:
    """Each term's idf, from the vocabulary kept with the index (documents per word, every
    audience: the same for every user)."""
    total = entry_count()
    rows = SearchTerm.objects.filter(term__in=sorted(terms)).values_list("term", "documents")
    documents: dict[str, int] = dict.fromkeys(terms, 0)
    for term, count in rows:
        documents[term] += count
    return {term: ranking.idf(min(count, total), total) for term, count in documents.items()}


def _insert_rows(table, columns, rows, per_statement=500) -> None:
    """Several rows per INSERT: the ORM's per-object cost, or one statement per row, would
    dominate a rebuild."""
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                + ", ".join([row_sql] * len(chunk)),
                [value for row in chunk for value in row],
            )


def _in_order(request, hit_rows):
    """(id, score) of the page's hits, in the statement's own ORDER BY order (the branches of a
    UNION keep no order)."""
    hits = [(int(i), float(score), date or "") for _tag, i, score, date, _ in hit_rows]
    hits.sort(key=lambda h: (-h[1], h[0]))  # score desc, then id
    if request.sort == "date":  # then newest first, undated last (the sort is stable)
        hits.sort(key=lambda h: (h[2] != "", h[2]), reverse=True)
    return [(i, score) for i, score, _date in hits]


def _statement(matched, request, hits=False):
    """Counts per module and period and facet counts (and with ``hits``, the page's hits) from
    one evaluation of ``matched``.

    Rows: ("hit", id, score, date, -) · ("kind", kind, count, month, year) ·
    ("facet", name, value, count, -); every value as text, so that the branches unite.
    """
    matched_sql, matched_params = matched
    bounds = period_bounds()
    text = "CAST(%s AS TEXT)" if connection.vendor == "sqlite" else "(%s)::text"

    def t(expression):
        return text % expression

    branches, params = [], [*matched_params]
    if hits:
        order = (
            "date DESC NULLS LAST, score DESC, id" if request.sort == "date" else "score DESC, id"
        )
        branches.append(
            f"SELECT 'hit', {t('id')}, {t('score')}, {t('date')}, NULL FROM ("
            f"SELECT id, score, date FROM m ORDER BY {order} LIMIT %s OFFSET %s) AS page"
        )
        params += [request.limit, request.offset]
    branches.append(
        f"SELECT 'kind', kind, {t('COUNT(*)')}, "
        f"{t('SUM(CASE WHEN date >= %s THEN 1 ELSE 0 END)')}, "
        f"{t('SUM(CASE WHEN date >= %s THEN 1 ELSE 0 END)')} FROM m GROUP BY kind"
    )
    params += [bounds["month"], bounds["year"]]
    if request.with_facets:
        branches.append(  # CROSS JOIN keeps SQLite from reading every facet row to probe m
            f"SELECT 'facet', f.name, f.value, {t('COUNT(*)')}, NULL "
            f"FROM m CROSS JOIN {FACET} AS f WHERE f.entry_id = m.id GROUP BY f.name, f.value"
        )
    sql = f"WITH m AS MATERIALIZED ({matched_sql}) " + " UNION ALL ".join(branches)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _read_counts(rows, results, scale):
    def scaled(value):
        return round(int(value or 0) * scale)

    kinds = [(r[1], scaled(r[2]), scaled(r[3]), scaled(r[4])) for r in rows if r[0] == "kind"]
    results.module_counts, results.period_counts = _split_counts(kinds)
    results.total = sum(results.module_counts.values())
    results.facet_counts = _nest((r[1], r[2], scaled(r[3])) for r in rows if r[0] == "facet")


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
