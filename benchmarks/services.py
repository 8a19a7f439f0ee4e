"""Business rules of the benchmarks: what a reader may see, the review rules, the comparison.

Everything restricted goes through ``portal.access``: categories and solutions through
``visible_to`` / ``can_view``; review texts and member aggregates are for approved members only,
and only over solutions they may view.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from benchmarks import notifications, scoring
from benchmarks.models import (
    DIMENSIONS,
    AnssiLabel,
    Assessment,
    BenchmarkCategoryPage,
    BenchmarkIndexPage,
    CriterionGroup,
    PurchasingChannel,
    ReportReason,
    Review,
    ReviewReport,
    ReviewStatus,
    ReviewVersion,
    SizeBand,
    SolutionPage,
    anonymous_signature,
)
from portal.access import Role, can_view, is_approved_member, membership_of
from portal.accounts.models import Establishment, EstablishmentType
from portal.modules import HomeItem

MIN_COMPARED, MAX_COMPARED = 2, 4
# Who may write a review for their establishment (roles granted by a person, never declared).
REVIEWER_ROLES = (Role.DIRECTOR, Role.RSSI, Role.DSI)
# Who sees the name of a reviewing establishment that did not opt in.
REGIONAL_STAFF_ROLES = frozenset(
    {Role.ARS_REFERENT, Role.EDITOR, Role.MODERATOR, Role.REGIONAL_ADMIN}
)
DIMENSION_NAMES = [name for name, _label in DIMENSIONS]


class ReviewError(Exception):
    """A review rule refused the action; the message is for the member."""


# --- Pages and lists ---------------------------------------------------------------------------


def index_page() -> BenchmarkIndexPage | None:
    return BenchmarkIndexPage.objects.live().order_by("path").first()


def can_view_solution(user, solution) -> bool:
    return can_view(user, solution) and can_view(user, solution.get_parent().specific)


def is_regional_staff(user) -> bool:
    member = membership_of(user)
    return member.is_superuser or bool(member.roles & REGIONAL_STAFF_ROLES)


def _solutions_with_details(queryset):
    return queryset.prefetch_related(
        "channels",
        "prices",
        Prefetch("assessments", queryset=Assessment.objects.select_related("criterion")),
    )


def published_reviews(user, solutions):
    """Published reviews of these solutions, for approved members only (else none)."""
    if not is_approved_member(user):
        return Review.objects.none()
    ids = [solution.pk for solution in solutions if can_view(user, solution)]
    return Review.objects.filter(status=ReviewStatus.PUBLISHED, solution_id__in=ids)


def member_aggregates(user, solutions) -> dict[int, "MemberFigures"]:
    """Per solution: the aggregate over all reviews and per establishment type (one query)."""
    rows = published_reviews(user, solutions).values(
        "solution_id", "establishment_type", "would_recommend", *DIMENSION_NAMES
    )
    by_solution: dict[int, list] = {solution.pk: [] for solution in solutions}
    for row in rows:
        by_solution[row["solution_id"]].append(row)
    labels = dict(EstablishmentType.choices)
    figures = {}
    for solution_id, reviews in by_solution.items():
        overall, segments = scoring.segment_aggregates(reviews, DIMENSION_NAMES)
        figures[solution_id] = MemberFigures(
            overall=overall,
            segments=[(str(labels.get(key, key)), value) for key, value in segments.items()],
        )
    return figures


@dataclass
class MemberFigures:
    overall: scoring.Aggregate
    segments: list  # (establishment type label, Aggregate)


def filter_solutions(solutions, query) -> tuple:
    """The category page's filters (HDS, CaRE, label, channel); unknown values are ignored."""
    applied = {}
    if query.get("hds") == "1":
        solutions, applied["hds"] = solutions.filter(hds_hosting=True), "1"
    if query.get("care") == "1":
        solutions, applied["care"] = solutions.filter(care_eligible=True), "1"
    if query.get("label") == "any":
        solutions = solutions.exclude(anssi_label=AnssiLabel.NONE)
        applied["label"] = "any"
    channel = query.get("channel", "")

    if channel in PurchasingChannel.values:
        solutions = solutions.filter(channels__channel=channel).distinct()
        applied["channel"] = channel
    return solutions, applied


def category_context(user, category, query=None) -> dict:
    query = query or {}
    criteria = list(category.criteria.all())
    solutions, applied = filter_solutions(SolutionPage.objects.visible(user, category), query)
    solutions = list(_solutions_with_details(solutions).order_by("title"))
    weights = {criterion.pk: criterion.default_weight for criterion in criteria}
    for solution in solutions:
        scores = {a.criterion_id: a.score for a in solution.assessments.all()}
        solution.total = scoring.weighted_total(scores, weights)
    figures = member_aggregates(user, solutions) if is_approved_member(user) else {}
    for solution in solutions:
        solution.member_figures = figures.get(solution.pk)

    index = category.get_parent().specific
    return {
        "compare_url": compare_url(index, category),
        "criteria": criteria,
        "criteria_by_group": group_criteria(criteria),
        "solutions": solutions,
        "filters": applied,
        "channel_choices": PurchasingChannel.choices,
        "is_member": is_approved_member(user),
        "min_compared": MIN_COMPARED,
        "max_compared": MAX_COMPARED,
        "min_reviews": scoring.MIN_REVIEWS,
        "index": index,
    }


def compare_url(index, category) -> str:
    return index.url + index.reverse_subpage("compare", args=[category.slug])


def group_criteria(criteria) -> list:
    labels = dict(CriterionGroup.choices)
    groups: dict[str, list] = {code: [] for code in CriterionGroup.values}
    for criterion in criteria:
        groups.setdefault(criterion.group, []).append(criterion)
    return [(code, labels.get(code, code), rows) for code, rows in groups.items() if rows]


def solution_context(user, solution) -> dict:
    category = solution.get_parent().specific
    criteria = list(category.criteria.all())
    assessments = {
        a.criterion_id: a for a in solution.assessments.select_related("criterion").all()
    }
    weights = {criterion.pk: criterion.default_weight for criterion in criteria}
    total = scoring.weighted_total({k: a.score for k, a in assessments.items()}, weights)
    grid = [
        (label, [(criterion, assessments.get(criterion.pk)) for criterion in rows])
        for _code, label, rows in group_criteria(criteria)
    ]
    alternatives = list(
        SolutionPage.objects.visible(user, category).exclude(pk=solution.pk).order_by("title")[:8]
    )
    index = category.get_parent().specific
    context = {
        "category": category,
        "compare_url": compare_url(index, category),
        "review_url": index.url + index.reverse_subpage("review", args=[solution.pk]),
        "grid": grid,
        "total": total,
        "alternatives": alternatives,
        "is_member": is_approved_member(user),
        "min_reviews": scoring.MIN_REVIEWS,
        "index": index,
        "dimensions": DIMENSIONS,
    }
    if is_approved_member(user):
        reviews = list(
            published_reviews(user, [solution])
            .select_related("establishment")
            .annotate(report_count=Count("reports"))
        )
        staff = is_regional_staff(user)
        for review in reviews:
            review.reviewer = reviewer_label(review, staff)
            review.report_url = index.url + index.reverse_subpage("report_review", args=[review.pk])
        context["reviews"] = reviews
        context["figures"] = member_aggregates(user, [solution])[solution.pk]
        context["can_review"] = can_review(user)
        context["report_reasons"] = ReportReason.choices
        context["own_review"] = own_review(user, solution)
    return context


# --- Reviews -----------------------------------------------------------------------------------


def reviewer_roles(user) -> list[str]:
    """The reviewer roles the member was granted (never what they declared)."""
    member = membership_of(user)
    return [role for role in REVIEWER_ROLES if role in member.roles] if member.approved else []


def can_review(user) -> bool:
    member = membership_of(user)
    if not member.approved or member.establishment_id is None or not reviewer_roles(user):
        return False
    return Establishment.objects.filter(pk=member.establishment_id, validated=True).exists()


def own_review(user, solution) -> Review | None:
    member = membership_of(user)
    if not member.approved or member.establishment_id is None:
        return None
    return Review.objects.filter(
        solution=solution, establishment_id=member.establishment_id
    ).first()


REVIEW_CONTENT_FIELDS = (
    "author_role",
    "show_establishment_name",
    "used_since",
    "usage_scale",
    "no_conflict",
    "conflict_statement",
    *DIMENSION_NAMES,
    "pros",
    "cons",
    "would_recommend",
)


def _snapshot(review) -> dict:
    data = {}
    for name in REVIEW_CONTENT_FIELDS:
        value = getattr(review, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


@transaction.atomic
def save_review(user, solution, data: dict) -> Review:
    """Create or update the establishment's review of ``solution`` (one per establishment).

    An update keeps the previous content as a version and goes back to moderation.
    """
    if not can_review(user):
        raise ReviewError(_("Only the director, RSSI or DSI of a member establishment may review."))
    if not solution.live or not can_view_solution(user, solution):
        raise ReviewError(_("This solution cannot be reviewed."))
    role = data.get("author_role")
    if role not in reviewer_roles(user):
        raise ReviewError(_("Choose one of the roles you were granted."))
    establishment = Establishment.objects.get(pk=membership_of(user).establishment_id)
    review = (
        Review.objects.select_for_update()
        .filter(solution=solution, establishment=establishment)
        .first()
    )
    if review is None:
        review = Review(solution=solution, establishment=establishment)
    else:
        ReviewVersion.objects.create(
            review=review, version=review.version, data=_snapshot(review), status=review.status
        )
        review.version += 1
    for name in REVIEW_CONTENT_FIELDS:
        if name in data:
            setattr(review, name, data[name])
    review.author = user
    review.establishment_type = establishment.kind
    review.department = establishment.department
    review.status = ReviewStatus.PENDING
    review.published_at = None
    review.moderation_note = ""
    review.full_clean(exclude=["author"])
    review.save()
    return review


def moderate(review, status: str, note: str = "") -> Review:
    if status not in ReviewStatus.values:
        raise ReviewError(_("Unknown decision."))
    review.status = status
    review.moderation_note = note
    review.published_at = timezone.now() if status == ReviewStatus.PUBLISHED else None
    review.save()
    notifications.tell_author(review)
    return review


def reviews_for_moderation():
    return Review.objects.filter(
        Q(status=ReviewStatus.PENDING) | Q(reports__resolved=False)
    ).distinct()


def visible_review_or_404(user, review_id) -> Review:
    """A published review the member may read (approved, solution visible), else 404."""
    review = (
        Review.objects.filter(pk=review_id, status=ReviewStatus.PUBLISHED)
        .select_related("solution")
        .first()
    )
    if (
        review is None
        or not is_approved_member(user)
        or not can_view_solution(user, review.solution)
    ):
        raise Http404
    return review


def report_review(user, review, reason: str, comment: str = "") -> ReviewReport:
    if not is_approved_member(user) or not can_view_solution(user, review.solution):
        raise ReviewError(_("This review cannot be reported."))
    if ReviewReport.objects.filter(review=review, reporter=user).exists():
        raise ReviewError(_("You have already reported this review: the moderators will see it."))
    report = ReviewReport(review=review, reporter=user, reason=reason, comment=comment)
    report.full_clean()
    report.save()
    return report


def reviewer_label(review, regional_staff: bool) -> str:
    """The anonymised signature, with the establishment's name when it opted in, or for
    regional staff."""
    signature = anonymous_signature(review)
    if review.show_establishment_name or regional_staff:
        return f"{signature} — {review.establishment.name}"
    return signature


# --- Comparison --------------------------------------------------------------------------------


@dataclass
class Cell:
    value: str
    best: bool = False
    score: float | None = None


@dataclass
class Row:
    label: str
    cells: list
    differs: bool = False
    criterion: object = None
    weight: int | None = None
    group: str = ""


@dataclass
class Comparison:
    category: object
    solutions: list = field(default_factory=list)
    criteria: list = field(default_factory=list)
    weights: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    attribute_rows: list = field(default_factory=list)
    criterion_rows: list = field(default_factory=list)
    member_rows: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)
    ranks: dict = field(default_factory=dict)
    group_means: dict = field(default_factory=dict)  # solution id -> [(group label, mean)]
    is_member: bool = False
    selectable: list = field(default_factory=list)
    selected_ids: list = field(default_factory=list)
    generated_at: object = None

    @property
    def ok(self) -> bool:
        return not self.errors and len(self.solutions) >= MIN_COMPARED

    @property
    def ranking(self) -> list:
        ranked = [s for s in self.solutions if self.ranks.get(s.pk) is not None]
        unranked = [s for s in self.solutions if self.ranks.get(s.pk) is None]
        return sorted(ranked, key=lambda s: (self.ranks[s.pk], s.title)) + unranked

    def query_string(self) -> str:
        pairs = [("s", s.pk) for s in self.solutions]
        pairs += [(f"w{c.pk}", self.weights[c.pk]) for c in self.criteria]
        return urlencode(pairs)

    @property
    def weight_rows(self) -> list:
        return [(criterion, self.weights[criterion.pk]) for criterion in self.criteria]


def _format_score(value) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}".replace(".", ",")


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _selected_ids(query) -> tuple[list[int], bool]:
    ids, bad = [], False
    for raw in query.getlist("s") if hasattr(query, "getlist") else query.get("s", []):
        try:
            value = int(raw)
        except (TypeError, ValueError):
            bad = True
            continue
        if value not in ids:
            ids.append(value)
    return ids, bad


def find_category(user, index, slug):
    """The category with this slug under the index, if the reader may view it; else 404."""
    category = BenchmarkCategoryPage.objects.live().public().child_of(index).filter(slug=slug)
    category = category.first()
    if category is None or not can_view(user, category):
        raise Http404
    return category


def compare(user, index, category_slug, query) -> Comparison:
    category = find_category(user, index, category_slug)
    comparison = Comparison(category=category, is_member=is_approved_member(user))
    comparison.generated_at = timezone.now()
    comparison.criteria = list(category.criteria.all())
    comparison.weights, refused = scoring.parse_weights(comparison.criteria, query)
    if refused:
        names = ", ".join(c.name for c in comparison.criteria if c.pk in refused)
        comparison.errors.append(
            _(
                "Weights must be whole numbers from %(min)s to %(max)s: the default weight was "
                "kept for %(names)s."
            )
            % {"min": scoring.MIN_WEIGHT, "max": scoring.MAX_WEIGHT, "names": names}
        )
    selectable = SolutionPage.objects.visible(user, category).order_by("title")
    comparison.selectable = list(selectable.only("pk", "title", "vendor"))
    ids, bad = _selected_ids(query)
    comparison.selected_ids = ids
    if bad:
        comparison.errors.append(_("The choice of solutions is not valid."))
    if len(ids) < MIN_COMPARED or len(ids) > MAX_COMPARED:
        comparison.errors.append(
            _("Choose from %(min)s to %(max)s solutions to compare.")
            % {"min": MIN_COMPARED, "max": MAX_COMPARED}
        )
        return comparison
    found = {s.pk: s for s in _solutions_with_details(selectable.filter(pk__in=ids))}
    if len(found) != len(ids):
        # A restricted solution reads exactly as one that does not exist.
        comparison.errors.append(
            _("At least one of the chosen solutions does not exist in this category.")
        )
        return comparison
    comparison.solutions = [found[pk] for pk in ids]
    _fill(comparison, user)
    return comparison


def _fill(comparison, user) -> None:
    solutions, criteria, weights = comparison.solutions, comparison.criteria, comparison.weights
    scores = {s.pk: {a.criterion_id: a.score for a in s.assessments.all()} for s in solutions}
    comparison.totals = {s.pk: scoring.weighted_total(scores[s.pk], weights) for s in solutions}
    comparison.ranks = scoring.rank({pk: t.value for pk, t in comparison.totals.items()})
    comparison.attribute_rows = _attribute_rows(solutions)
    group_labels = dict(CriterionGroup.choices)
    for criterion in criteria:
        values = [scores[s.pk].get(criterion.pk) for s in solutions]
        present = [v for v in values if v is not None]
        top = max(present) if present else None
        comparison.criterion_rows.append(
            Row(
                label=criterion.name,
                criterion=criterion,
                weight=weights[criterion.pk],
                group=str(group_labels.get(criterion.group, criterion.group)),
                differs=len(set(values)) > 1,
                cells=[
                    Cell(
                        value="—" if v is None else str(v),
                        score=v,
                        best=v is not None and v == top and len(set(values)) > 1,
                    )
                    for v in values
                ],
            )
        )
    for solution in solutions:
        comparison.group_means[solution.pk] = [
            (label, scoring.mean(scores[solution.pk].get(c.pk) for c in rows))
            for _code, label, rows in group_criteria(criteria)
        ]
    if comparison.is_member:
        figures = member_aggregates(user, solutions)
        comparison.member_rows = _member_rows(solutions, figures)


def _attribute_rows(solutions) -> list:
    def row(label, values):
        return Row(label=label, cells=[Cell(v) for v in values], differs=len(set(values)) > 1)

    size_labels = dict(SizeBand.choices)
    rows = [
        row(_("Vendor"), [s.vendor for s in solutions]),
        row(_("Deployment"), [s.get_deployment_display() for s in solutions]),
        row(_("HDS hosting"), [_yes_no(s.hds_hosting) for s in solutions]),
        row(
            _("ANSSI label"),
            [
                s.get_anssi_label_display()
                + (f" ({s.anssi_reference})" if s.anssi_label != AnssiLabel.NONE else "")
                for s in solutions
            ],
        ),
        row(
            _("Purchasing channels"),
            [
                ", ".join(
                    f"{c.get_channel_display()}"
                    + (f" ({c.market_reference})" if c.market_reference else "")
                    for c in s.channels.all()
                )
                or _("None listed")
                for s in solutions
            ],
        ),
        row(_("CaRE eligibility"), [_yes_no(s.care_eligible) for s in solutions]),
        row(_("Support in French"), [_yes_no(s.french_support) for s in solutions]),
    ]
    for code, label in size_labels.items():
        values = [
            next((p.indication for p in s.prices.all() if p.size_band == code), "—")
            for s in solutions
        ]
        if any(value != "—" for value in values):
            rows.append(row(_("Price: %(size)s") % {"size": label}, values))
    rows.append(
        row(
            _("Last review"),
            [s.last_reviewed.strftime("%d/%m/%Y") if s.last_reviewed else "—" for s in solutions],
        )
    )
    return rows


def _member_rows(solutions, figures) -> list:
    not_enough = _("not enough reviews")
    rows = [
        Row(
            label=_("Published reviews"),
            cells=[Cell(str(figures[s.pk].overall.count)) for s in solutions],
        )
    ]
    for name, label in DIMENSIONS:
        values = [
            figures[s.pk].overall.dimensions.get(name) if figures[s.pk].overall.shown else None
            for s in solutions
        ]
        present = [v for v in values if v is not None]
        top = max(present) if present else None
        rows.append(
            Row(
                label=str(label),
                differs=len(set(values)) > 1,
                cells=[
                    Cell(
                        _format_score(v) if v is not None else not_enough,
                        score=v,
                        best=v is not None and v == top and len(present) > 1,
                    )
                    for v in values
                ],
            )
        )
    rows.append(
        Row(
            label=_("Would recommend"),
            cells=[
                Cell(
                    f"{round(100 * figures[s.pk].overall.recommend_share)} %"
                    if figures[s.pk].overall.shown
                    else not_enough
                )
                for s in solutions
            ],
        )
    )
    return rows


def format_score(value) -> str:
    return _format_score(value)


# --- Home --------------------------------------------------------------------------------------


def latest(user, limit: int = 4) -> list:
    """The most recently updated solutions the user may view, for the home page."""
    solutions = SolutionPage.objects.visible(user).order_by("-last_published_at")[:limit]
    return [
        HomeItem(
            title=s.title,
            url=s.url,
            date=s.last_published_at and s.last_published_at.date(),
            summary=s.vendor,
        )
        for s in solutions
    ]
