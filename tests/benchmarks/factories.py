"""Factories of the benchmarks tests: an index, categories with criteria, solutions with
assessments, reviews and reviewers."""

import datetime

from django.utils.text import slugify

from portal.access import Role
from tests.portal.factories import EstablishmentFactory, MemberFactory, home_page

GROUPS = ["functional", "security", "operations", "cost", "support"]


def benchmark_index():
    from benchmarks.models import BenchmarkIndexPage

    existing = BenchmarkIndexPage.objects.first()
    if existing is not None:
        return existing
    index = BenchmarkIndexPage(title="Comparatifs", slug="comparatifs")
    home_page().add_child(instance=index)
    index.save_revision().publish()
    return index


def methodology_page():
    from benchmarks.models import MethodologyPage

    page = MethodologyPage(title="Méthodologie", slug="methodologie", intro="Comment.")
    benchmark_index().add_child(instance=page)
    page.save_revision().publish()
    return page


def category(title="EDR", criteria=5, weights=None, **fields):
    """A published category with ``criteria`` criteria (groups in turn, default weight 3)."""
    from benchmarks.models import BenchmarkCategoryPage, Criterion

    fields.setdefault("slug", slugify(title))
    fields.setdefault("intro", f"Comparatif {title}")
    page = BenchmarkCategoryPage(title=title, **fields)
    page.criteria = [
        Criterion(
            group=GROUPS[i % len(GROUPS)],
            name=f"Critère {i + 1}",
            default_weight=(weights[i] if weights else 3),
            sort_order=i,
        )
        for i in range(criteria)
    ]
    benchmark_index().add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def solution(parent, title="Solution", scores=None, channels=(), prices=(), **fields):
    """A published solution; ``scores``: list of scores (None = not assessed) in criteria order."""
    from benchmarks.models import Assessment, SolutionChannel, SolutionPage, SolutionPrice

    fields.setdefault("slug", slugify(title))
    fields.setdefault("vendor", f"Éditeur {title}")
    fields.setdefault("summary", f"Résumé {title}")
    fields.setdefault("deployment", "saas")
    page = SolutionPage(title=title, **fields)
    criteria = list(parent.criteria.all())
    page.assessments = [
        Assessment(
            criterion=criterion,
            score=score,
            justification=f"Justification {criterion.name}",
            source=f"Source {title} {criterion.name}",
            assessed_on=datetime.date(2026, 9, 1),
        )
        for criterion, score in zip(criteria, scores or [], strict=False)
        if score is not None
    ]
    page.channels = [SolutionChannel(channel=c, market_reference=f"{c}-2026") for c in channels]
    page.prices = [SolutionPrice(size_band=size, indication=text) for size, text in prices]
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def reviewer(role=Role.RSSI, establishment=None, **kwargs):
    establishment = establishment or EstablishmentFactory()
    return MemberFactory(profile__roles={role}, profile__establishment=establishment, **kwargs)


REVIEW_DATA = {
    "used_since": datetime.date(2024, 1, 15),
    "usage_scale": "whole",
    "no_conflict": True,
    "conflict_statement": "",
    "satisfaction": 4,
    "ease_of_use": 4,
    "ease_of_admin": 3,
    "support_quality": 5,
    "meets_requirements": 4,
    "value": 3,
    "pros": "Console claire, détection efficace.",
    "cons": "Licences chères.",
    "would_recommend": True,
}


def review(solution, establishment=None, status="published", role=Role.RSSI, **fields):
    """A review written directly (bypassing the form rules), for aggregates and access tests."""
    from benchmarks.models import Review

    establishment = establishment or EstablishmentFactory()
    data = REVIEW_DATA | fields
    return Review.objects.create(
        solution=solution,
        establishment=establishment,
        author_role=role,
        establishment_type=establishment.kind,
        department=establishment.department,
        status=status,
        **data,
    )
