"""The solution benchmarks' declaration in the module kit (see ``portal.modules``): navigation
entry and home section, search sources and facets, personal data, notification kind, demo step
and the cached pages a review retires. Signals the kit has no slot for (re-indexing a category's
solutions when it is published) are connected in ``apps.py``."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from benchmarks import notifications, search_documents, services
from benchmarks.models import (
    REVIEWS_CACHE_TAG,
    BenchmarkCategoryPage,
    Review,
    ReviewReport,
    ReviewStatus,
    SolutionPage,
)
from portal.accounts.personal_data import Section
from portal.demo import DemoStep
from portal.modules import PortalModule
from search.registry import Facet, Source

MODULE_KEY = "benchmarks"


def _document(obj):
    if isinstance(obj, BenchmarkCategoryPage):
        return search_documents.category_document(obj)
    return search_documents.solution_document(obj)


def _page_candidates():
    """One queryset (counted and iterated in chunks by a rebuild) of both page types."""
    return Page.objects.type(BenchmarkCategoryPage, SolutionPage).live().specific()


def _review_candidates():
    return Review.objects.filter(status=ReviewStatus.PUBLISHED).select_related("solution")


SOURCES = (
    Source(
        kind="benchmarks",
        label=_("Solution benchmarks"),
        models=(BenchmarkCategoryPage, SolutionPage),
        document=_document,
        candidates=_page_candidates,
        order=300,
    ),
    Source(
        kind="benchmark_reviews",
        label=_("Member reviews"),
        models=(Review,),
        document=search_documents.review_document,
        candidates=_review_candidates,
        order=310,
    ),
)

FACETS = tuple(
    Facet(name=name, label=label, choices=choices, order=order)
    for name, label, choices, order in (
        ("benchmark_category", _("Benchmark category"), search_documents.category_labels, 300),
        ("benchmark_label", _("ANSSI label"), search_documents.label_labels, 301),
        ("purchasing_channel", _("Purchasing channel"), search_documents.channel_labels, 302),
        ("benchmark_hosting", _("Hosting"), search_documents.hosting_labels, 303),
        ("care_eligible", _("CaRE programme"), search_documents.care_labels, 304),
    )
)


def _export(user) -> dict:
    return {
        "reviews_written": [
            {
                "solution": r.solution.title,
                "version": r.version,
                "status": r.status,
                "updated_at": r.updated_at.isoformat(),
                "pros": r.pros,
                "cons": r.cons,
            }
            for r in Review.objects.filter(author=user).select_related("solution")
        ],
        "reviews_reported": [
            {"reason": r.reason, "comment": r.comment, "reported_at": r.created_at.isoformat()}
            for r in ReviewReport.objects.filter(reporter=user)
        ],
    }


def _erase(user) -> None:
    """Reviews belong to the establishment and stay (author cleared); reports are anonymised."""
    Review.objects.filter(author=user).update(author=None)
    ReviewReport.objects.filter(reporter=user).update(reporter=None)


class BenchmarksModule(PortalModule):
    key = MODULE_KEY
    label = _("Solution benchmarks")
    url_name = "benchmarks:home"
    urls = "benchmarks.urls"
    order = 40
    latest = staticmethod(services.latest)
    search_sources = SOURCES
    search_facets = FACETS
    personal_data = Section("benchmarks", _export, _erase)
    notification_kinds = (notifications.REVIEW_MODERATION_KIND,)
    # Before the REX (45): the demo's reviews are signed by the establishments' demo accounts.
    demo_steps = (DemoStep(42, "Comparatifs de solutions", "benchmarks.demo.loader.build"),)
    # Published reviews show on the solution, category and comparison pages (and their PDF).
    page_cache_tags = {Review: (REVIEWS_CACHE_TAG,)}
