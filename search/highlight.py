"""Escaped snippets with the query's terms marked, computed the same way for every backend."""

import re
from bisect import bisect_left
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.analysis import STOPWORDS, fold, stem

_TOKEN = re.compile(r"\w+", re.UNICODE)
WINDOW_WORDS = 32


@lru_cache(maxsize=100_000)
def _stem_of(word: str) -> str:
    """The indexed term of a word as written ("" for a stop word)."""
    folded = fold(word)
    return "" if folded in STOPWORDS else stem(folded)


def _matches(word: str, stems: frozenset[str]) -> bool:
    return _stem_of(word) in stems


def _mark(text: str, stems: frozenset[str], start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    out, position = [], start
    for match in _TOKEN.finditer(text, start, end):
        if _matches(match.group(), stems):
            out.append(escape(text[position : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            position = match.end()
    out.append(escape(text[position:end]))
    return "".join(out)


def title(text: str, stems: frozenset[str]) -> SafeString:
    return mark_safe(_mark(text, stems))  # noqa: S308 (every part is escaped by _mark)


def snippet(body: str, fallback: str, stems: frozenset[str], length: int = WINDOW_WORDS):
    """The passage of ``body`` with the most distinct query terms, else the start of
    ``fallback``; always escaped."""
    words = _TOKEN.findall(body)
    hits = [i for i, word in enumerate(words) if _stem_of(word) in stems]
    if not hits:
        text = fallback or body
        words = text.split()
        short = " ".join(words[: length + 8])
        return mark_safe(escape(short) + (" …" if len(words) > length + 8 else ""))  # noqa: S308
    hit_stems = [_stem_of(words[i]) for i in hits]
    best, best_score = hits[0], -1
    for number, first in enumerate(hits):
        distinct = len(set(hit_stems[number : bisect_left(hits, first + length)]))
        if distinct > best_score:
            best, best_score = first, distinct
    start_index = max(0, best - 4)
    end_index = min(len(words), start_index + length)
    start, end = 0, len(body)
    for index, token in enumerate(_TOKEN.finditer(body)):  # offsets of the window only
        if index == start_index and start_index:
            start = token.start()
        if index == end_index - 1:
            end = token.end() if end_index < len(words) else len(body)
            break
    text = _mark(body, stems, start, end)
    prefix = "… " if start else ""
    suffix = " …" if end < len(body) else ""
    return mark_safe(prefix + " ".join(text.split()) + suffix)  # noqa: S308
