"""Signals the module kit has no slot for, connected in ``BenchmarksConfig.ready``."""

from wagtail.signals import page_published

from benchmarks.models import BenchmarkCategoryPage, Review, ReviewStatus, SolutionPage
from search.indexing import reindex


def _on_category_published(sender, instance, **kwargs) -> None:
    """A category's access fields flow into its solutions' and reviews' index entries."""
    solutions = list(SolutionPage.objects.child_of(instance).live())
    reviews = Review.objects.filter(solution__in=solutions, status=ReviewStatus.PUBLISHED)
    reindex(solutions + list(reviews.select_related("solution")))


def connect() -> None:
    page_published.connect(
        _on_category_published,
        sender=BenchmarkCategoryPage,
        dispatch_uid="benchmarks_category_published",
    )
