"""The benchmarks demo step: 8 categories, 24 solutions with full grids, 60 reviews across
establishment types and departments; idempotent."""

import pytest

from benchmarks.models import BenchmarkCategoryPage, Review, SolutionPage
from portal import demo
from portal.demo.accounts import build_establishments, build_users
from tests.portal.factories import home_page

pytestmark = pytest.mark.django_db


def run_step():
    from benchmarks.demo.loader import build

    ctx = demo.DemoContext(demo_mode=False, password="x", write=lambda text: None)
    build_establishments(ctx)
    build_users(ctx)
    build(ctx)


def test_demo_builds_the_catalogue_and_is_idempotent():
    from django.contrib.auth import get_user_model

    home_page()
    ctx = demo.DemoContext(demo_mode=False, password="x", write=lambda text: None)
    build_establishments(ctx)
    build_users(ctx)
    accounts = get_user_model().objects.count()
    run_step()
    assert get_user_model().objects.count() == accounts  # one demo account per role stays
    counts = (
        BenchmarkCategoryPage.objects.count(),
        SolutionPage.objects.count(),
        Review.objects.count(),
    )
    assert counts[0] >= 8 and counts[1] >= 24
    published = Review.objects.filter(status="published")
    assert published.count() == 60
    assert published.values("establishment_type").distinct().count() >= 5
    assert published.values("department").distinct().count() >= 5
    for solution in SolutionPage.objects.all():
        category = solution.get_parent().specific
        assert solution.assessments.count() == category.criteria.count() >= 10
    groups = set(BenchmarkCategoryPage.objects.first().criteria.values_list("group", flat=True))
    assert groups == {"functional", "security", "operations", "cost", "support"}
    run_step()
    assert counts == (
        BenchmarkCategoryPage.objects.count(),
        SolutionPage.objects.count(),
        Review.objects.count(),
    )
    assert any(step.label == "Comparatifs de solutions" for step in demo.steps())
