"""The scoring maths: weighted totals of the editors' grid and member review aggregates.

Pure functions over plain values (no database), so that they are tested exactly and that the
methodology page and the comparison's script state and apply the same method.

* Editors' grid: each criterion is scored 0 to 5. A solution's weighted total is
  ``sum(weight × score) / sum(weight)`` over the criteria it was scored on: a missing score is
  left out (neither 0 nor the mean) and the share of the weight actually scored is shown as the
  coverage. A weight of 0 ignores the criterion; all weights at 0 give no total.
* Member reviews: each dimension is rated 1 to 5. A dimension's score is a Bayesian mean
  ``(PRIOR_WEIGHT × PRIOR_MEAN + sum of ratings) / (PRIOR_WEIGHT + n)``: a handful of reviews
  cannot push a solution to the top or the bottom. Nothing is shown under ``MIN_REVIEWS``
  reviews, overall and in each segment (establishment type).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MIN_SCORE, MAX_SCORE = 0, 5
MIN_WEIGHT, MAX_WEIGHT = 0, 10
PRIOR_MEAN = 3.0
PRIOR_WEIGHT = 3
MIN_REVIEWS = 3

METHOD = {
    "min_score": MIN_SCORE,
    "max_score": MAX_SCORE,
    "min_weight": MIN_WEIGHT,
    "max_weight": MAX_WEIGHT,
    "prior_mean": PRIOR_MEAN,
    "prior_weight": PRIOR_WEIGHT,
    "min_reviews": MIN_REVIEWS,
}


@dataclass(frozen=True)
class Total:
    value: float | None  # 0 to 5, None when nothing weighted was scored
    coverage: float  # share of the total weight that was scored, 0 to 1


def weighted_total(scores: Mapping[int, int | None], weights: Mapping[int, int]) -> Total:
    """``scores``: criterion -> score or None (not assessed); ``weights``: criterion -> weight."""
    total_weight = sum(weight for weight in weights.values() if weight > 0)
    scored_weight = 0
    points = 0.0
    for criterion, weight in weights.items():
        score = scores.get(criterion)
        if weight <= 0 or score is None:
            continue
        scored_weight += weight
        points += weight * score
    if not scored_weight:
        return Total(None, 0.0)
    return Total(points / scored_weight, scored_weight / total_weight)


def mean(values: Iterable[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return sum(present) / len(present) if present else None


def rank(totals: Mapping[int, float | None]) -> dict[int, int | None]:
    """Competition ranking ("1, 2, 2, 4") on totals rounded to 2 decimals (what readers see);
    a solution without a total has no rank."""
    ordered = sorted(
        ((round(value, 2), key) for key, value in totals.items() if value is not None),
        key=lambda pair: -pair[0],
    )
    ranks: dict[int, int | None] = {key: None for key in totals}
    previous, position = None, 0
    for index, (value, key) in enumerate(ordered, start=1):
        if value != previous:
            position, previous = index, value
        ranks[key] = position
    return ranks


def bayesian_mean(
    ratings: Iterable[int], prior_mean: float = PRIOR_MEAN, prior_weight: int = PRIOR_WEIGHT
) -> float | None:
    ratings = list(ratings)
    if not ratings:
        return None
    return (prior_weight * prior_mean + sum(ratings)) / (prior_weight + len(ratings))


@dataclass
class Aggregate:
    count: int
    shown: bool  # at least MIN_REVIEWS reviews
    dimensions: dict[str, float | None] = field(default_factory=dict)
    recommend_share: float | None = None  # 0 to 1

    @property
    def overall(self) -> float | None:
        return mean(self.dimensions.values()) if self.shown else None


def aggregate(reviews: list[Mapping], dimensions: Iterable[str]) -> Aggregate:
    """``reviews``: mappings with one rating per dimension and ``would_recommend``."""
    count = len(reviews)
    if count < MIN_REVIEWS:
        return Aggregate(count=count, shown=False)
    return Aggregate(
        count=count,
        shown=True,
        dimensions={name: bayesian_mean(r[name] for r in reviews) for name in dimensions},
        recommend_share=sum(1 for r in reviews if r["would_recommend"]) / count,
    )


def segment_aggregates(
    reviews: list[Mapping], dimensions: Iterable[str], segment: str = "establishment_type"
) -> tuple[Aggregate, dict[str, Aggregate]]:
    """The aggregate over all reviews, and one per segment value (each with its threshold)."""
    dimensions = list(dimensions)
    by_segment: dict[str, list] = {}
    for review in reviews:
        by_segment.setdefault(review[segment], []).append(review)
    return aggregate(reviews, dimensions), {
        key: aggregate(rows, dimensions) for key, rows in sorted(by_segment.items())
    }


def parse_weights(criteria: Iterable, query: Mapping) -> tuple[dict[int, int], list[int]]:
    """The reader's weights from the URL (``w<criterion id>=n``), defaults elsewhere.

    Returns the weights and the criteria whose value was refused (not a whole number from
    MIN_WEIGHT to MAX_WEIGHT): those keep their default weight.
    """
    weights, refused = {}, []
    for criterion in criteria:
        raw = query.get(f"w{criterion.pk}")
        weights[criterion.pk] = criterion.default_weight
        if raw is None or raw == "":
            continue
        try:
            value = int(str(raw).strip())
        except ValueError:
            refused.append(criterion.pk)
            continue
        if not MIN_WEIGHT <= value <= MAX_WEIGHT:
            refused.append(criterion.pk)
            continue
        weights[criterion.pk] = value
    return weights, refused
