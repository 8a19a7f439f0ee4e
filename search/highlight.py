"""Escaped snippets with the query's terms marked, computed the same way for every backend.

The work is bounded per hit: a snippet reads at most ``MAX_SCANNED_CHARS`` of a body (an
attachment's text runs to 400,000), and stems only the distinct words that begin like one of
the query's terms (French stemming only ever changes a word's ending: a term keeps the first two
letters of its folded word), so a page of ten hits costs the same whatever their length.
"""

import re
from bisect import bisect_left
from functools import lru_cache
from itertools import compress, count, islice
from operator import itemgetter

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.analysis import STOPWORDS, fold, stem

_TOKEN = re.compile(r"\w+", re.UNICODE)
WINDOW_WORDS = 32
MAX_SCANNED_CHARS = 50_000
PREFIX = 2  # letters a term shares with its folded word
_START = itemgetter(slice(0, PREFIX))


@lru_cache(maxsize=100_000)
def _stem_of(word: str) -> str:
    """The indexed term of a word as written ("" for a stop word)."""
    folded = fold(word)
    return "" if folded in STOPWORDS else stem(folded)


@lru_cache(maxsize=10_000)
def _prefix(start: str) -> str:
    """The first letters of a word's folded form, from its first ``PREFIX`` characters (no
    word character folds to nothing)."""
    return fold(start)[:PREFIX]


def _matching(words, stems: frozenset[str]) -> set[str]:
    """The distinct ``words`` (as written) whose term is one of ``stems`` (the loops over
    every word run in C: ``map``, ``compress``)."""
    prefixes = {term[:PREFIX] for term in stems}
    distinct = list(set(words))
    starts = {start for start in set(map(_START, distinct)) if _prefix(start) in prefixes}
    candidates = compress(distinct, map(starts.__contains__, map(_START, distinct)))
    return {word for word in candidates if _stem_of(word) in stems}


def _mark(text: str, stems: frozenset[str], start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    matching = _matching(_TOKEN.findall(text, start, end), stems)
    out, position = [], start
    for match in _TOKEN.finditer(text, start, end):
        if match.group() in matching:
            out.append(escape(text[position : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            position = match.end()
    out.append(escape(text[position:end]))
    return "".join(out)


def title(text: str, stems: frozenset[str]) -> SafeString:
    return mark_safe(_mark(text, stems))  # noqa: S308 (every part is escaped by _mark)


def snippet(body: str, fallback: str, stems: frozenset[str], length: int = WINDOW_WORDS):
    """The passage of ``body`` (its first ``MAX_SCANNED_CHARS``) with the most distinct query
    terms, else the start of ``fallback``; always escaped."""
    cut = len(body) > MAX_SCANNED_CHARS
    body = body[:MAX_SCANNED_CHARS]
    words = _TOKEN.findall(body)
    matching = _matching(words, stems)
    hits = list(compress(count(), map(matching.__contains__, words)))
    if not hits:
        text = fallback or body
        words = text.split()
        short = " ".join(words[: length + 8])
        more = cut and not fallback or len(words) > length + 8
        return mark_safe(escape(short) + (" …" if more else ""))  # noqa: S308
    hit_stems = [_stem_of(words[i]) for i in hits]
    best, best_score = hits[0], -1
    for number, first in enumerate(hits):
        distinct = len(set(hit_stems[number : bisect_left(hits, first + length)]))
        if distinct > best_score:
            best, best_score = first, distinct
    start_index = max(0, best - 4)
    end_index = min(len(words), start_index + length)
    window = islice(_TOKEN.finditer(body), start_index, end_index)  # skipped in C
    first = next(window)
    last = next(islice(window, max(0, end_index - start_index - 2), None), first)
    start = first.start() if start_index else 0
    end = last.end() if end_index < len(words) else len(body)
    text = _mark(body, stems, start, end)
    prefix = "… " if start else ""
    suffix = " …" if end < len(body) or cut else ""
    return mark_safe(prefix + " ".join(text.split()) + suffix)  # noqa: S308
