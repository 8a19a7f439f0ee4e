"""Relevance set: French queries with their expected top-3 documents on a fixed corpus.

Reports recall@3, hit@1 (the best document first) and nDCG@10 per backend and category, through
``search.services.find`` (what the page asks: corrections and the any-word fallback included).
Targets on every backend, typos (corrected by the database backends, fuzzy on Elasticsearch),
English terms, acronyms and questions included: recall@3 >= 0.95, hit@1 >= 0.85.
With ``RELEVANCE_DETAILS=1``, every query is printed with its correction and its top 3.
"""

import math
import os
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from search.analysis import parse
from search.backends.base import SearchRequest
from search.documents import SearchDocument
from search.services import find, synonyms
from tests.search.conftest import index_corpus

RELEVANCE = tomllib.loads((Path(__file__).parent / "relevance.toml").read_text())
TARGET_RECALL_AT_3 = 0.95
TARGET_HIT_AT_1 = 0.85


def recall_at_3(ranked, relevant):
    return len(set(ranked[:3]) & set(relevant)) / min(len(relevant), 3)


def hit_at_1(ranked, relevant):
    return float(bool(ranked) and ranked[0] == relevant[0])


def ndcg_at_10(ranked, relevant):
    gains = {key: len(relevant) - i for i, key in enumerate(relevant)}  # the first is the best
    dcg = sum(gains.get(key, 0) / math.log2(i + 2) for i, key in enumerate(ranked[:10]))
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(gains.values(), reverse=True)))
    return dcg / ideal


def test_relevance_set(backend, capsys):
    documents = [
        SearchDocument(
            key=item["key"],
            kind=item["kind"],
            title=item["title"],
            url=f"/{item['key']}/",
            body=item["body"],
            tags=tuple(item.get("tags", ())),
            facets={"theme": (item["theme"],)},
        )
        for item in RELEVANCE["documents"]
    ]
    index_corpus(backend, documents)
    portal_synonyms = synonyms()
    scores = defaultdict(list)
    misses, details = [], []
    for case in RELEVANCE["queries"]:
        request = SearchRequest(
            query=parse(case["query"], portal_synonyms), user=AnonymousUser(), limit=10
        )
        answer = find(request)
        ranked = [hit.key for hit in answer.found.hits]
        relevant = case["relevant"]
        recall, first = recall_at_3(ranked, relevant), hit_at_1(ranked, relevant)
        scores[case["category"]].append((recall, first, ndcg_at_10(ranked, relevant)))
        if recall < 1 or not first:
            misses.append(f"  {case['query']!r}: expected {relevant}, got {ranked[:3]}")
        corrected = f" -> {answer.corrected!r}" if answer.corrected else ""
        details.append(
            f"  {case['category']:<16} {case['query']!r}{corrected}: recall@3 {recall:.2f}  "
            f"hit@1 {first:.0f}  top 3 {ranked[:3]}"
        )
    counted = [score for values in scores.values() for score in values]
    recall, first, ndcg = (sum(s[i] for s in counted) / len(counted) for i in range(3))
    with capsys.disabled():
        print(f"\nRelevance set on {backend.name} ({len(counted)} queries):")
        print(f"  recall@3 = {recall:.3f}   hit@1 = {first:.3f}   nDCG@10 = {ndcg:.3f}")
        for category, values in sorted(scores.items()):
            r, h, n = (sum(v[i] for v in values) / len(values) for i in range(3))
            print(
                f"  {category:<16} {len(values):>2} queries  recall@3 {r:.2f}  hit@1 {h:.2f}  "
                f"nDCG@10 {n:.2f}"
            )
        if misses:
            print("  not first, or not fully in the top 3:\n" + "\n".join(misses))
        if os.environ.get("RELEVANCE_DETAILS"):  # every query: what it became, its top 3
            print("\n".join(details))
    assert len(RELEVANCE["queries"]) >= 90
    assert recall >= TARGET_RECALL_AT_3
    assert first >= TARGET_HIT_AT_1


@pytest.mark.parametrize(
    "ranked, relevant, expected",
    [(["a", "b", "c"], ["c"], 1.0), (["a", "b", "c", "d"], ["d"], 0.0), (["b"], ["a", "b"], 0.5)],
)
def test_recall_at_3(ranked, relevant, expected):
    assert recall_at_3(ranked, relevant) == expected


def test_hit_at_1_is_the_best_document_first():
    assert hit_at_1(["a", "b"], ["a", "b"]) == 1.0
    assert hit_at_1(["b", "a"], ["a", "b"]) == 0.0
    assert hit_at_1([], ["a"]) == 0.0


def test_ndcg_is_one_for_the_ideal_order_only():
    assert ndcg_at_10(["a", "b"], ["a", "b"]) == 1.0
    assert ndcg_at_10(["b", "a"], ["a", "b"]) < 1.0
