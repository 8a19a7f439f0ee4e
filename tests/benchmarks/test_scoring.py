"""The scoring maths (benchmarks.scoring): weighted totals, ranking, Bayesian mean, thresholds."""

from types import SimpleNamespace

import pytest

from benchmarks import scoring


def test_weighted_total_uses_the_weights():
    total = scoring.weighted_total({1: 5, 2: 1}, {1: 3, 2: 1})
    assert total.value == pytest.approx((3 * 5 + 1 * 1) / 4)
    assert total.coverage == 1.0


def test_zero_weight_ignores_the_criterion():
    assert scoring.weighted_total({1: 5, 2: 0}, {1: 2, 2: 0}).value == 5.0


def test_all_weights_zero_gives_no_total():
    total = scoring.weighted_total({1: 5, 2: 3}, {1: 0, 2: 0})
    assert total.value is None
    assert total.coverage == 0.0


def test_missing_score_is_left_out_and_lowers_coverage():
    total = scoring.weighted_total({1: 4, 2: None}, {1: 1, 2: 3})
    assert total.value == 4.0  # not (4 + 0) / 2, not the mean
    assert total.coverage == pytest.approx(0.25)


def test_nothing_scored_gives_no_total():
    assert scoring.weighted_total({}, {1: 3}).value is None


def test_rank_is_competition_ranking_and_skips_missing_totals():
    assert scoring.rank({1: 3.0, 2: 4.5, 3: 3.001, 4: None, 5: 1.0}) == {
        2: 1,
        1: 2,
        3: 2,  # equal once rounded to 2 decimals: same rank
        5: 4,
        4: None,
    }


def test_bayesian_mean_is_reproducible_with_the_stated_prior():
    assert scoring.PRIOR_MEAN == 3.0 and scoring.PRIOR_WEIGHT == 3
    # (3 × 3 + 5 + 5 + 4) / (3 + 3) = 23 / 6, the methodology page's example
    assert scoring.bayesian_mean([5, 5, 4]) == pytest.approx(23 / 6)
    assert round(scoring.bayesian_mean([5, 5, 4]), 2) == 3.83
    assert scoring.bayesian_mean([]) is None
    assert scoring.bayesian_mean([1], prior_mean=4, prior_weight=1) == 2.5


def _review(segment, value, recommend=True):
    return {"establishment_type": segment, "satisfaction": value, "would_recommend": recommend}


def test_aggregate_hidden_under_the_threshold():
    below = scoring.aggregate([_review("ch", 5), _review("ch", 5)], ["satisfaction"])
    assert below.count == 2 and not below.shown and below.overall is None
    at = scoring.aggregate([_review("ch", 5)] * 3, ["satisfaction"])
    assert at.shown and at.dimensions["satisfaction"] == pytest.approx(4.0)
    assert at.recommend_share == 1.0


def test_segments_have_their_own_threshold():
    reviews = [_review("ch", 4)] * 3 + [_review("ehpad", 2, recommend=False)] * 2
    overall, segments = scoring.segment_aggregates(reviews, ["satisfaction"])
    assert overall.shown and overall.count == 5
    assert overall.recommend_share == pytest.approx(0.6)
    assert segments["ch"].shown
    assert segments["ch"].dimensions["satisfaction"] == pytest.approx((9 + 12) / 6)
    assert not segments["ehpad"].shown and segments["ehpad"].count == 2


def test_parse_weights_keeps_defaults_for_refused_values():
    criteria = [SimpleNamespace(pk=pk, default_weight=3) for pk in (1, 2, 3, 4, 5)]
    query = {"w1": "7", "w2": "11", "w3": "abc", "w4": "-1", "w5": ""}
    weights, refused = scoring.parse_weights(criteria, query)
    assert weights == {1: 7, 2: 3, 3: 3, 4: 3, 5: 3}
    assert refused == [2, 3, 4]
