"""Relevance set: French queries with their expected top-3 documents on a fixed corpus.

Reports recall@3 and nDCG@10 per backend and category; the target is recall@3 >= 0.9. Typos
count for Elasticsearch (fuzzy matching); the database backends answer them with a spelling
suggestion instead, so their typo queries are reported but not part of their target.
"""

import math
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from search.analysis import parse
from search.backends.base import SearchRequest
from search.documents import SearchDocument
from search.services import find, synonyms

RELEVANCE = tomllib.loads((Path(__file__).parent / "relevance.toml").read_text())
TARGET_RECALL_AT_3 = 0.9


def recall_at_3(ranked, relevant):
    return len(set(ranked[:3]) & set(relevant)) / min(len(relevant), 3)


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
    backend.rebuild(documents)
    portal_synonyms = synonyms()
    scores = defaultdict(list)
    misses = []
    for case in RELEVANCE["queries"]:
        request = SearchRequest(
            query=parse(case["query"], portal_synonyms), user=AnonymousUser(), limit=10
        )
        ranked = [hit.key for hit in find(request)[0].hits]
        recall = recall_at_3(ranked, case["relevant"])
        scores[case["category"]].append((recall, ndcg_at_10(ranked, case["relevant"])))
        if recall < 1:
            misses.append(f"  {case['query']!r}: expected {case['relevant']}, got {ranked[:3]}")
    counted = [
        score
        for category, values in scores.items()
        if backend.name == "elasticsearch" or category != "typo"
        for score in values
    ]
    recall = sum(r for r, _ in counted) / len(counted)
    ndcg = sum(n for _, n in counted) / len(counted)
    with capsys.disabled():
        print(f"\nRelevance set on {backend.name} ({len(counted)} queries counted):")
        print(f"  recall@3 = {recall:.3f}   nDCG@10 = {ndcg:.3f}")
        for category, values in sorted(scores.items()):
            r = sum(v for v, _ in values) / len(values)
            n = sum(v for _, v in values) / len(values)
            print(f"  {category:<16} {len(values):>2} queries  recall@3 {r:.2f}  nDCG@10 {n:.2f}")
        if misses:
            print("  not fully in the top 3:\n" + "\n".join(misses))
    assert len(RELEVANCE["queries"]) >= 40
    assert recall >= TARGET_RECALL_AT_3


@pytest.mark.parametrize(
    "ranked, relevant, expected",
    [(["a", "b", "c"], ["c"], 1.0), (["a", "b", "c", "d"], ["d"], 0.0), (["b"], ["a", "b"], 0.5)],
)
def test_recall_at_3(ranked, relevant, expected):
    assert recall_at_3(ranked, relevant) == expected


def test_ndcg_is_one_for_the_ideal_order_only():
    assert ndcg_at_10(["a", "b"], ["a", "b"]) == 1.0
    assert ndcg_at_10(["b", "a"], ["a", "b"]) < 1.0
