"""How the database backend ranks by relevance, on SQLite and PostgreSQL alike.

One formula, computed here from the query's term positions in each candidate (which the engine
returns), so that both engines rank the same way:

- each clause of the query (a word, its synonyms, a phrase) scores ``idf × weight``, BM25 style:
  the short fields (title, tags, summary) count the word once, the body's occurrences
  saturate, normalised by its length, and fields weigh title > tags > summary > body; a
  clause scores at least what the word as typed scores alone, with its own idf (a synonym
  widens what a word finds, never lowers the pages naming it);
- consecutive query words found next to each other (or close) add a proximity boost, weighted
  as the field where they stand together;
- pages matching more of the query's clauses rank above pages matching fewer (coverage);
- an editor-set prior per kind of content multiplies the score (``SearchKindWeight``);
- the date breaks ties only, then the key: the order never depends on indexing order.

Which pages are scored is bounded without looking at dates: when a query's visible matches are
few (``EXACT_RANKING``), every one; beyond, the candidates come from **impact lists** kept with
the index. At indexing, each (term, page) pair whose weight reaches
``CHAMPION_MIN`` is written as an impact token ``<term>z<level>`` (``level`` grows with the
term's weight in that page, on a log scale), so that the engine's own index lists a term's best
pages level by level; the backend reads levels from the highest down until it holds enough
candidates that match the whole query, then scores them here. By any word, the pages
matching every word, then those missing one, are taken first (coverage ranks first). The
levels depend on the page alone, so the candidates — and the answer — are the same whatever
order pages were indexed in.
"""

import math
from bisect import insort
from collections import Counter
from dataclasses import dataclass, field, replace

from search.analysis import Words

FIELDS = ("title", "tags", "summary", "body")
WEIGHTS = (10.0, 5.0, 2.0, 1.0)  # in FIELDS order
K1 = 1.2
B = 0.75
AVERAGE_LENGTH = 300  # terms in a body: a constant, so that weights never depend on the corpus
PROXIMITY = 0.5  # share of the two words' idf added when side by side, × the field's weight
NEAR = 3  # positions apart that still count as close (half the boost)
CHAMPION_MIN = 1.2  # weight from which a (term, page) pair gets an impact token
LEVEL_RATIO = 1.05  # below a title's weight (levels 0 to 43)
# From a title's weight up (levels 44 to 109): a title, a summary and a saturated body put
# thousands of pages within a few per cent of each other, where the exact order is decided.
FINE_RATIO = 1.01
FINE_FROM = 44
TOP_LEVEL = 120  # 21.3: above any page (the step reading it spans few levels)
# Levels read per step, highest first: each step is one query, until enough candidates match.
# A page's title alone weighs 10 (level 44), with tags, summary and body at most 19.2 (level
# 109): five fine levels per step there (a step holding too many is read level by level).
LEVEL_STEPS = (
    (TOP_LEVEL, 110),
    *((n, max(n - 4, FINE_FROM)) for n in range(109, FINE_FROM - 1, -5)),
    *((n, n) for n in range(FINE_FROM - 1, 39, -1)),
    (39, 35),
    (34, 25),
    (24, 0),
)
EXACT_RANKING = 120  # up to this many visible matches, every one is scored
CANDIDATES = 80  # beyond, at least this many candidates per word (and three pages' worth)
# Each word beyond the first adds this share of CANDIDATES: the impact levels order pages by
# one term's weight while a page's score sums every term's, so with more words the best pages
# stand lower in the lists (3 words: 160 candidates).
CANDIDATES_PER_EXTRA_WORD = 0.5
MAX_STEP_ROWS = 300  # a step holding more is cut in key order (deterministic)
FINE_STEP_SPLIT = 10  # a crowded step spanning fewer levels is read level by level


def _saturated(count: float, norm: float = 1.0) -> float:
    return count * (K1 + 1) / (count + K1 * norm) if count else 0.0


def body_norm(length: int) -> float:
    return 1 - B + B * max(length, 1) / AVERAGE_LENGTH


def weight(counts, length: int) -> float:
    """Counts per field (FIELDS order, see ``counted``) -> the weight of a term in a page,
    before idf: each field's count saturated (BM25), the body's normalised by its length,
    then weighted by field."""
    norms = (1.0, 1.0, 1.0, body_norm(length))
    return sum(w * _saturated(c, n) for w, c, n in zip(WEIGHTS, counts, norms, strict=True))


def counted(per_alternative) -> list[int]:
    """The counts ``weight`` takes, from where each alternative of a clause occurs (lists of
    (field, position)): in the short fields (title, tags, summary), how many alternatives
    stand there, each once however often repeated (a title names its subject or not:
    "Sauvegarde : sauvegarder les serveurs" is no more about backups than "Sauvegardes : la
    règle 3-2-1", while tags naming both "rançongiciel" and "ransomware" name it twice); in
    the body, every occurrence."""
    body = len(FIELDS) - 1
    fields = [{f for f, _p in occurrences} for occurrences in per_alternative]
    return [
        *(sum(index in present for present in fields) for index in range(body)),
        len({o for occurrences in per_alternative for o in occurrences if o[0] == body}),
    ]


def level(value: float) -> int:
    if value >= WEIGHTS[0]:
        fine = FINE_FROM + int(math.log(value / WEIGHTS[0]) / math.log(FINE_RATIO))
        return min(TOP_LEVEL, fine)
    return min(FINE_FROM - 1, int(math.log(value / CHAMPION_MIN) / math.log(LEVEL_RATIO)))


def impact_tokens(field_terms, length: int) -> list[str]:
    """The impact tokens of one page: ``field_terms`` are its analysed fields (FIELDS order,
    lists of terms), ``length`` its body's number of terms. A term's weight depends only on
    the short fields holding it and its count in the body, so each such combination is
    weighed once per page; and a term found in the body alone is weighed only from the count
    at which it reaches CHAMPION_MIN (``_least_body_count``)."""
    *short_fields, body = field_terms
    shorts = [set(terms) for terms in short_fields]
    counts = Counter(body)
    least = _least_body_count(length)
    levels: dict[tuple, int | None] = {}
    terms = dict.fromkeys(term for terms in short_fields for term in terms)
    terms |= {term: None for term, count in counts.items() if count >= least}
    tokens = []
    for term in terms:
        key = (*(int(term in present) for present in shorts), counts.get(term, 0))
        if key not in levels:
            value = weight(key, length)
            levels[key] = level(value) if value >= CHAMPION_MIN else None
        if (found := levels[key]) is not None:
            tokens.append(f"{term}z{found:03d}")
    return tokens


def _least_body_count(length: int) -> int:
    """The fewest occurrences from which a term found in a body of ``length`` terms alone
    weighs CHAMPION_MIN (the weight grows with the count; BM25 puts it near 1.44 × the body's
    norm, checked here with ``weight`` itself)."""
    least = max(1, math.floor((K1 * CHAMPION_MIN / (K1 + 1 - CHAMPION_MIN)) * body_norm(length)))
    while least > 1 and weight((0, 0, 0, least - 1), length) >= CHAMPION_MIN:
        least -= 1
    while weight((0, 0, 0, least), length) < CHAMPION_MIN:
        least += 1
    return least


def tokens_of(impact: str, terms) -> list[str]:
    """The impact tokens of ``terms`` in a page's ``impact_tokens`` (space separated): at
    most one per term."""
    padded, found = f" {impact} ", []
    for term in terms:
        start = padded.find(f" {term}z")
        while start >= 0:
            end = start + len(term) + 5
            if padded[end - 3 : end].isdigit() and padded[end] == " ":
                found.append(padded[start + 1 : end])
                break
            start = padded.find(f" {term}z", start + 1)
    return found


def level_tokens(terms, high: int, low: int) -> list[str]:
    return [f"{term}z{lvl:03d}" for term in sorted(terms) for lvl in range(low, high + 1)]


def idf(documents: int, total: int) -> float:
    return math.log(1 + (total - documents + 0.5) / (documents + 0.5))


@dataclass
class Candidate:
    """A page to score: the positions of the query's terms, per field; or, from an engine that
    returns the analysed fields instead (``texts``, FIELDS order), read from them on demand
    (``ordered`` reads a body's positions only for the pages that may reach the page)."""

    id: int
    key: str
    kind: str
    date: object  # as the engine returns it (comparable within one engine)
    length: int  # body terms
    positions: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # (field, pos)
    texts: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Scored:
    id: int
    coverage: int
    score: float


def _occurrences(positions, alternative) -> list[tuple[int, int]]:
    """(field, position) where ``alternative`` occurs: a term, a phrase (consecutive terms), or
    ``Words`` (all its terms anywhere, see ``_words_occurrences``)."""
    if len(alternative) == 1:
        return positions.get(alternative[0], [])
    if isinstance(alternative, Words):
        return _words_occurrences(positions, alternative)
    first, *rest = alternative
    sets = [set(positions.get(term, ())) for term in rest]
    return [
        (f, p)
        for f, p in positions.get(first, ())
        if all((f, p + i) in found for i, found in enumerate(sets, 1))
    ]


def _words_occurrences(positions, words) -> list[tuple[int, int]]:
    """Where ``Words`` occur: in each field holding all of them, as often as the rarest there;
    scattered over several fields, in the weakest field that holds one of them and no better
    one ("faux" in a title and "ordre de virement" in the body count as the body's, never as
    the title's)."""
    found = [positions.get(term, []) for term in words]
    if not all(found):
        return []
    per_field = [{f for f, _p in occurrences} for occurrences in found]
    together = sorted(set.intersection(*per_field))
    if together:
        return [
            o
            for f in together
            for o in min(([o for o in occ if o[0] == f] for occ in found), key=len)
        ]
    best = [min(fields) for fields in per_field]  # FIELDS order: the strongest first
    weakest = max(best)
    return [o for o in found[best.index(weakest)] if o[0] == weakest]


def clause_idf(clause, idfs) -> float:
    """A clause's alternatives (a word and its synonyms) count as one term, with the idf of the
    most common (the clause is at least that common); a phrase's is its words' sum."""
    return min(sum(idfs.get(t, 0.0) for t in dict.fromkeys(alt)) for alt in clause)


class _Clauses:
    """A query's clauses with what scoring them needs that depends on no page: each clause's
    idf and its typed alternative's own (computed once per query, not once per page)."""

    def __init__(self, query, idfs):
        self.clauses = query.clauses
        self.typed = query.typed or (None,) * len(query.clauses)
        self.idf = [clause_idf(clause, idfs) for clause in self.clauses]
        self.own_idf = [
            clause_idf((typed,), idfs) if len(clause) > 1 and typed is not None else 0.0
            for clause, typed in zip(self.clauses, self.typed, strict=True)
        ]


def _clause_value(found, clauses, index, length) -> float:
    """``idf × weight`` of a clause's occurrences (``found``: per alternative), every
    alternative counted as one term; and at least what the typed alternative alone scores
    with its own idf: a synonym group widens what a word finds, never lowers the pages naming
    the word as typed (a query for the rare "cryptolocker" ranks the page naming it above those
    naming the common "rançongiciel")."""
    value = clauses.idf[index] * weight(counted(found.values()), length)
    own = found.get(clauses.typed[index]) if len(found) > 1 else None
    if own:
        value = max(value, clauses.own_idf[index] * weight(counted([own]), length))
    return value


def _clause_score(candidate, clauses, index) -> tuple[float, list[tuple[int, int]]]:
    """The clause's value (``_clause_value``) and where it occurs."""
    found = {alt: _occurrences(candidate.positions, alt) for alt in clauses.clauses[index]}
    occurrences = sorted({o for where in found.values() for o in where})
    if not occurrences:
        return 0.0, []
    return _clause_value(found, clauses, index, candidate.length), occurrences


def _proximity(first, second, idf_first, idf_second) -> float:
    """Boost for two consecutive clauses found side by side in the query's order (or, half,
    within NEAR either way) in one field, weighted as that field is ("courriels frauduleux"
    in a title says more than the two words side by side somewhere in a body, and more than
    "frauduleux : courriels"); the best such pair counts."""
    if not first or not second:
        return 0.0
    following = {}
    for f, p in second:
        following.setdefault(f, []).append(p)
    best = 0.0
    for f, p in first:
        for q in following.get(f, ()):
            if q != p and abs(q - p) <= NEAR:
                share = PROXIMITY if q - p == 1 else PROXIMITY / 2
                best = max(best, share * WEIGHTS[f] / WEIGHTS[-1])
    return best * (idf_first + idf_second)


def score(candidate, query, idfs, prior: float = 1.0) -> Scored:
    return _score(candidate, _Clauses(query, idfs), prior)


def _score(candidate, clauses, prior) -> Scored:
    parts = [_clause_score(candidate, clauses, index) for index in range(len(clauses.clauses))]
    total = sum(value for value, _where in parts)
    idf = clauses.idf
    for i in range(len(parts) - 1):
        total += _proximity(parts[i][1], parts[i + 1][1], idf[i], idf[i + 1])
    coverage = sum(1 for value, _where in parts if value > 0)
    return Scored(candidate.id, coverage, total * prior)


BODY = len(FIELDS) - 1


def _profile(texts, wanted) -> tuple[dict[str, list], dict[str, int]]:
    """What ``_bound`` reads of a page: the short fields' positions (``field_positions``), and
    each wanted term's count in the body."""
    spaced = _spaced(texts[BODY])
    counts = {term: count for term in wanted if (count := spaced.count(f" {term} "))}
    return field_positions(texts[:BODY], wanted), counts


def _words_bound(positions, counts, words):
    """``_words_occurrences`` from short fields' positions and body counts: (short-field
    occurrences, the term whose body occurrences count, how many)."""
    found = [(positions.get(term, []), counts.get(term, 0)) for term in words]
    if not all(short or count for short, count in found):
        return [], None, 0
    per_field = [{f for f, _p in short} | ({BODY} if count else set()) for short, count in found]
    together = sorted(set.intersection(*per_field))
    if together:
        short = []
        term, most = None, 0
        for f in together:
            if f == BODY:  # the first of the rarest there, as ``min`` picks it
                most = min(count for _short, count in found)
                term = words[[count for _short, count in found].index(most)]
            else:
                short += min(([o for o in occ if o[0] == f] for occ, _count in found), key=len)
        return short, term, most
    best = [min(fields) for fields in per_field]
    weakest = max(best)
    chosen = best.index(weakest)
    if weakest == BODY:
        return [], words[chosen], found[chosen][1]
    return [o for o in found[chosen][0] if o[0] == weakest], None, 0


def _bound(candidate, positions, counts, clauses, prior) -> tuple[Scored, bool]:
    """An upper bound of ``score`` from the short fields' positions and the body's counts
    (``_profile``), and whether it is the score itself. A body's positions only matter to a
    phrase found there and to the proximity of two consecutive clauses both found there: the
    bound counts every phrase the body's counts of its words allow, and the best proximity a
    body gives (side by side), unless a short field already gives more. Every other part is
    computed as ``score`` computes it, from the same counts (``counted``: alternatives per
    short field, distinct body occurrences; the same floating-point operations, so that an
    exact bound is the very score)."""
    exact = True
    length = candidate.length
    values, shorts, in_body = [], [], []
    for index, clause in enumerate(clauses.clauses):
        per_alternative = {}
        for alternative in clause:
            if len(alternative) == 1:
                term = alternative[0]
                short, key, count = positions.get(term, []), term, counts.get(term, 0)
            elif isinstance(alternative, Words):
                short, key, count = _words_bound(positions, counts, alternative)
            else:  # a phrase: in the body, as often as its rarest word at most
                short = _occurrences(positions, alternative)
                key, count = alternative, min(counts.get(term, 0) for term in alternative)
                exact = exact and not count
            per_alternative[alternative] = (short, key, count)
        body = {key: count for _short, key, count in per_alternative.values() if count}
        occurrences = {o for short, _key, _count in per_alternative.values() for o in short}
        if occurrences or body:
            value = clauses.idf[index] * weight(_counted(per_alternative.values(), body), length)
            own = per_alternative.get(clauses.typed[index]) if len(clause) > 1 else None
            if own and (own[0] or own[2]):
                mine = {own[1]: own[2]} if own[2] else {}
                own_value = weight(_counted([own], mine), length)
                value = max(value, clauses.own_idf[index] * own_value)
        else:
            value = 0.0
        values.append(value)
        shorts.append(list(occurrences))
        in_body.append(bool(body))
    total = sum(values)
    idf = clauses.idf
    for i in range(len(values) - 1):
        near = _proximity(shorts[i], shorts[i + 1], idf[i], idf[i + 1])
        if in_body[i] and in_body[i + 1]:
            most = PROXIMITY * WEIGHTS[BODY] / WEIGHTS[-1] * (idf[i] + idf[i + 1])
            if most > near:
                near, exact = most, False
        total += near
    coverage = sum(1 for value in values if value > 0)
    return Scored(candidate.id, coverage, total * prior), exact


def _counted(per_alternative, body) -> list[int]:
    """``counted`` from (short-field occurrences, body key, body count) per alternative: the
    body's distinct occurrences are each term's (or phrase's) count once."""
    fields = [{f for f, _p in short} for short, _key, _count in per_alternative]
    return [
        *(sum(index in present for present in fields) for index in range(BODY)),
        sum(body.values()),
    ]


def ordered(candidates, query, idfs, priors, end=None) -> list[Scored]:
    """Best first: coverage, then score, then the newest, then the key (never indexing order).

    With ``end``, the first ``end`` are exact and in order, and a page that ranks below them
    may be left out: a candidate given as ``texts`` is bounded first (``_bound``: its short
    fields and its body's counts, no body position), and its body's positions are read and
    scored only when its bound is not its score and may reach the first ``end`` (best bound
    first, until the ``end``-th score found ranks above every bound left)."""
    by_id = {c.id: c for c in candidates}
    dates = sorted({c.date for c in candidates if c.date is not None}, reverse=True)
    recency = {date: rank for rank, date in enumerate(dates)}  # undated: last

    def order(s):
        return (
            -s.coverage,
            -round(s.score, 9),
            recency.get(by_id[s.id].date, len(dates)),
            by_id[s.id].key,
        )

    clauses = _Clauses(query, idfs)
    wanted = query_terms(query)
    settled, bounded = [], []
    for candidate in candidates:
        prior = priors.get(candidate.kind, 1.0)
        if candidate.texts is None:
            settled.append(_score(candidate, clauses, prior))
            continue
        bound, exact = _bound(candidate, *_profile(candidate.texts, wanted), clauses, prior)
        (settled if exact else bounded).append(bound)
    settled.sort(key=order)
    bounded.sort(key=order)
    for bound in bounded:
        if end is not None and len(settled) >= end:
            last = settled[end - 1]
            if (-last.coverage, -round(last.score, 9)) < (-bound.coverage, -round(bound.score, 9)):
                break
        candidate = by_id[bound.id]
        positions = field_positions(candidate.texts, wanted)
        prior = priors.get(candidate.kind, 1.0)
        exact = _score(replace(candidate, positions=positions), clauses, prior)
        insort(settled, exact, key=order)
    return settled


def candidates_wanted(query, end: int) -> int:
    """How many candidates to score for a page ending at ``end`` (see CANDIDATES)."""
    words = max(1, len(query.clauses))
    return max(round(CANDIDATES * (1 + CANDIDATES_PER_EXTRA_WORD * (words - 1))), 3 * end)


def query_terms(query) -> set[str]:
    return {term for clause in query.clauses for alternative in clause for term in alternative}


def field_positions(field_texts, wanted) -> dict[str, list[tuple[int, int]]]:
    """(field, position) of each wanted term in analysed field texts (FIELDS order). A field
    holding one of the terms only needs their number (no phrase or proximity can form there):
    it is counted without splitting the text, its positions numbered below zero."""
    found: dict[str, list[tuple[int, int]]] = {}
    for index, text in enumerate(field_texts):
        present = [term for term in wanted if text and term in text]
        if not present:
            continue
        if len(present) > 1:
            for position, term in enumerate(text.split()):
                if term in wanted:
                    found.setdefault(term, []).append((index, position))
            continue
        term = present[0]
        count = _spaced(text).count(f" {term} ")
        if count:
            found.setdefault(term, []).extend((index, -1 - k) for k in range(count))
    return found


def _spaced(text: str) -> str:
    """``text`` with two spaces between terms and one at each end: ``str.count`` of " term "
    then counts every occurrence (with one space, two in a row would share theirs)."""
    return f" {text.replace(' ', '  ')} "
