"""French analysis shared by the database backends: the same chain at index and query time.

lower case -> accent folding -> elision (l', d', qu'...) -> stop words -> Snowball French stem.
Queries are parsed into clauses (all must match); each clause is a set of alternatives, a tuple
of stems (a phrase when longer than one), so that synonyms and quoted phrases compile to every
backend's own syntax.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

import snowballstemmer

MAX_QUERY_LENGTH = 200
MAX_CLAUSES = 12

_ELISION = re.compile(
    r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['\u2019]", re.IGNORECASE
)
_WORD = re.compile(r"[a-z0-9]+")
_TOKEN = re.compile(r"[\w\u0300-\u036f]+")  # combining marks stay in their word
_QUOTED = re.compile(r'"([^"]*)"')

STOPWORDS = frozenset(
    (  # noqa: SIM905 (a word list reads better as text)
        "a au aux avec ce ces cet cette d dans de des du elle elles en est et etre eu il ils "
        "je la le les leur leurs lui ma mais me meme mes moi mon ne nos notre nous on ont ou "
        "par pas pour qu que qui sa se ses son sont sur ta te tes toi ton tu un une vos votre "
        "vous y l s c n j m t jusqu lorsqu puisqu quoiqu an and are as at be by for from in is "
        "it of on or that the this to with"
    ).split()
)

# Words that make a query a question (« que faire en cas de… », « comment reconnaître… »): a
# query drops them when other words remain, so that they neither exclude nor outrank the page
# about its subject. Query side only: indexed text keeps them.
QUESTION_WORDS = frozenset(
    (  # noqa: SIM905
        "comment quoi pourquoi quand quel quelle quels quelles lequel laquelle faire fait cas "
        "faut dois doit peut puis peux faudrait agir reagir eviter est ce ces what how why when "
        "should do does can"
    ).split()
)

_stemmers = threading.local()  # a Snowball stemmer keeps state while it works: one per thread


def _strip_accents(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Lower-case Latin letters with diacritics -> without (computed once; the common fast path).
_FOLD = {ord(c): _strip_accents(c) for c in map(chr, range(0xC0, 0x250)) if c.islower()}
_FOLD |= {ord("œ"): "oe", ord("æ"): "ae", ord("\u2019"): "'"}


def fold(text: str) -> str:
    """Lower case without accents (œ and æ spelt out), apostrophes normalised."""
    folded = text.lower().translate(_FOLD)
    return folded if folded.isascii() else _strip_accents(folded)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    stemmer = getattr(_stemmers, "french", None)
    if stemmer is None:
        stemmer = _stemmers.french = snowballstemmer.stemmer("french")
    return stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """Folded words without elided articles, stop words included."""
    return _WORD.findall(_ELISION.sub(" ", fold(text)))


@lru_cache(maxsize=200_000)
def _token_words(token: str) -> tuple[tuple[str, str], ...]:
    """(word, term) of one lower-case token as written, stop words removed (folding may split
    a token, e.g. at "_")."""
    return tuple((word, stem(word)) for word in _WORD.findall(fold(token)) if word not in STOPWORDS)


@lru_cache(maxsize=200_000)
def _token_text(token: str) -> str:
    """The terms of one token, space separated ("" for a stop word)."""
    return " ".join(term for _word, term in _token_words(token))


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFC", text).lower())


def terms(text: str) -> list[str]:
    """The indexed terms of a text: folded, stemmed, stop words removed. Tokens are analysed
    once each and remembered (a text repeats its vocabulary); an elided article is a token of
    its own, and a stop word."""
    return [term for token in _tokens(text) for _word, term in _token_words(token)]


def index_text(text: str) -> str:
    """What the full-text index stores for a text: its terms, in order, space separated."""
    return " ".join(terms(text))


def analyse(text: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """``index_text(text)`` and, from the same reading, its words: folded word -> (term, the
    word as first written, accents kept)."""
    tokens = _tokens(text)
    found: dict[str, tuple[str, str]] = {}
    for token in dict.fromkeys(tokens):
        pairs = _token_words(token)
        for word, term in pairs:
            found.setdefault(word, (term, token if len(pairs) == 1 else word))
    return " ".join(filter(None, map(_token_text, tokens))), found


class Words(tuple):
    """An alternative matched by its terms anywhere in a document (a plain tuple is a phrase):
    the words as typed, when a synonym group knows them as a phrase, so that the group widens
    what they find and never narrows it."""

    __slots__ = ()


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[frozenset[tuple[str, ...]], ...]  # AND of (OR of phrases)
    text: str
    searched: str = ""  # the text without question words (what a text-reading engine gets)
    typed: tuple[tuple[str, ...], ...] = ()  # per clause, the alternative the user typed

    def __bool__(self):
        return bool(self.clauses)

    @property
    def stems(self) -> frozenset[str]:
        """Every stem any alternative contains (what the highlighter marks)."""
        return frozenset(s for clause in self.clauses for phrase in clause for s in phrase)


class Synonyms:
    """Groups of equivalent phrases, matched on their stems."""

    def __init__(self, groups: list[list[str]]):
        self._by_phrase: dict[tuple[str, ...], frozenset[tuple[str, ...]]] = {}
        self.words: dict[str, str] = {}  # folded word -> as written: what a typo may be of
        for group in groups:
            for phrase in group:
                self.words |= {w: spelling for w, (_t, spelling) in analyse(phrase)[1].items()}
            phrases = frozenset(tuple(terms(phrase)) for phrase in group) - {()}
            for phrase in phrases:
                previous = self._by_phrase.get(phrase, frozenset())
                self._by_phrase[phrase] = previous | phrases
        self.longest = max((len(phrase) for phrase in self._by_phrase), default=0)

    def alternatives(self, phrase: tuple[str, ...]) -> frozenset[tuple[str, ...]] | None:
        return self._by_phrase.get(phrase)

    @cached_property
    def _variants(self) -> dict[str, set[str]]:
        from search.spelling import variants  # cycle: spelling imports this module

        found: dict[str, set[str]] = {}
        for word in self.words:
            for variant in variants(word):
                found.setdefault(variant, set()).add(word)
        return found

    def neighbours(self, keys) -> set[str]:
        """The synonyms' words sharing one of ``keys`` (``search.spelling.variants``)."""
        return set().union(*(self._variants.get(key, ()) for key in keys))


NO_SYNONYMS = Synonyms([])


def parse(query: str, synonyms: Synonyms = NO_SYNONYMS) -> ParsedQuery:
    query = query[:MAX_QUERY_LENGTH]
    clauses: list[frozenset] = []
    typed: list[tuple[str, ...]] = []
    for phrase in _QUOTED.findall(query):
        stems = tuple(terms(phrase))
        if stems:
            clauses.append(frozenset({stems}))
            typed.append(stems)
    pairs = [
        pair
        for token in _tokens(_QUOTED.sub(" ", query).replace('"', " "))
        for pair in _token_words(token)
    ]
    question = bool(clauses) or any(word not in QUESTION_WORDS for word, _term in pairs)
    free = [term for word, term in pairs if not (question and word in QUESTION_WORDS)]
    position = 0
    while position < len(free):
        for length in range(min(synonyms.longest, len(free) - position), 0, -1):
            span = tuple(free[position : position + length])
            group = synonyms.alternatives(span)
            if group:
                clauses.append(group - {span} | {Words(span)} if length > 1 else group)
                typed.append(Words(span) if length > 1 else span)
                position += length
                break
        else:
            clauses.append(frozenset({(free[position],)}))
            typed.append((free[position],))
            position += 1
    unique: dict[frozenset, tuple[str, ...]] = {}
    for clause, form in zip(clauses, typed, strict=True):
        unique.setdefault(clause, form)  # a repeated clause keeps its first typed form
    kept = list(unique.items())[:MAX_CLAUSES]
    searched = query.strip()
    if question:  # outside quotes, without the question words
        searched = " ".join(
            "".join(
                part if part.startswith('"') else _TOKEN.sub(_unless_question_word, part)
                for part in re.split(r'("[^"]*")', query)
            ).split()
        )
    return ParsedQuery(
        clauses=tuple(clause for clause, _form in kept),
        text=query.strip(),
        searched=searched,
        typed=tuple(form for _clause, form in kept),
    )


def ignored_words(text: str) -> list[str]:
    """The words of ``text`` the analysis cannot read (other scripts than Latin), as typed."""
    return [
        token
        for token in _TOKEN.findall(text)
        if any(c.isalpha() for c in token) and not _WORD.search(fold(token))
    ]


def _unless_question_word(match) -> str:
    return " " if fold(match.group()) in QUESTION_WORDS else match.group()
