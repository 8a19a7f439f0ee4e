"""Everything that plugs the benchmarks into the portal, in one place (to move to the module
kit in one go): search sources and facets, demo steps, personal-data section, page-type
placement, cache invalidation and re-indexing when reviews change.

Navigation and home: ``services.latest`` is the home section's "latest" function and
``benchmarks.urls`` ("benchmarks:home", a "~" route redirecting to the index page) its entry.
They are not registered with ``portal.registry`` yet: a ``ModuleEntry`` needs a URL name that
``portal/urls.py`` includes, which the module kit does for a module's ``urls``. With the kit:
``url_name = "benchmarks:home"``, ``urls = "benchmarks.urls"``, ``latest = services.latest``.
"""

from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

MODULE_KEY = "benchmarks"


def register() -> None:
    _place_index_page()
    _register_search()
    _register_personal_data()
    _register_demo()
    _connect_signals()


def _place_index_page() -> None:
    """The index page lives under the home page (the home page lists the allowed types)."""
    from portal.models import HomePage

    if "benchmarks.BenchmarkIndexPage" not in HomePage.subpage_types:
        HomePage.subpage_types = [*HomePage.subpage_types, "benchmarks.BenchmarkIndexPage"]


def _document(obj):
    from benchmarks import search_documents
    from benchmarks.models import BenchmarkCategoryPage

    if isinstance(obj, BenchmarkCategoryPage):
        return search_documents.category_document(obj)
    return search_documents.solution_document(obj)


def _page_candidates():
    """One queryset (counted and iterated in chunks by a rebuild) of both page types."""
    from wagtail.models import Page

    from benchmarks.models import BenchmarkCategoryPage, SolutionPage

    return Page.objects.type(BenchmarkCategoryPage, SolutionPage).live().specific()


def _register_search() -> None:
    from benchmarks import search_documents
    from benchmarks.models import BenchmarkCategoryPage, Review, ReviewStatus, SolutionPage
    from search.registry import Facet, Source, register, register_facet

    register(
        Source(
            kind="benchmarks",
            label=_("Solution benchmarks"),
            models=(BenchmarkCategoryPage, SolutionPage),
            document=_document,
            candidates=_page_candidates,
            order=300,
        )
    )
    register(
        Source(
            kind="benchmark_reviews",
            label=_("Member reviews"),
            models=(Review,),
            document=search_documents.review_document,
            candidates=lambda: Review.objects.filter(status=ReviewStatus.PUBLISHED).select_related(
                "solution"
            ),
            order=310,
        )
    )
    for name, label, choices, order in (
        ("benchmark_category", _("Benchmark category"), search_documents.category_labels, 300),
        ("benchmark_label", _("ANSSI label"), search_documents.label_labels, 301),
        ("purchasing_channel", _("Purchasing channel"), search_documents.channel_labels, 302),
        ("benchmark_hosting", _("Hosting"), search_documents.hosting_labels, 303),
        ("care_eligible", _("CaRE programme"), search_documents.care_labels, 304),
    ):
        register_facet(Facet(name=name, label=label, choices=choices, order=order))


def _export(user) -> dict:
    from benchmarks.models import Review, ReviewReport

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
    from benchmarks.models import Review, ReviewReport

    Review.objects.filter(author=user).update(author=None)
    ReviewReport.objects.filter(reporter=user).update(reporter=None)


def _register_personal_data() -> None:
    from portal.accounts.personal_data import Section, register

    register(Section("benchmarks", _export, _erase))


def _register_demo() -> None:
    from benchmarks.demo.loader import register_steps

    register_steps()


def _on_review_change(sender, instance, **kwargs) -> None:
    """Published reviews show on cached pages (solution, category, comparison)."""
    from portal import page_cache

    page_cache.invalidate()


def _on_category_published(sender, instance, **kwargs) -> None:
    """A category's access fields flow into its solutions' and reviews' index entries."""
    from benchmarks.models import Review, ReviewStatus, SolutionPage
    from search.indexing import reindex

    solutions = list(SolutionPage.objects.child_of(instance).live())
    reviews = Review.objects.filter(solution__in=solutions, status=ReviewStatus.PUBLISHED)
    reindex(solutions + list(reviews.select_related("solution")))


def _connect_signals() -> None:
    from wagtail.signals import page_published

    from benchmarks.models import BenchmarkCategoryPage, Review

    post_save.connect(_on_review_change, sender=Review, dispatch_uid="benchmarks_review_saved")
    post_delete.connect(_on_review_change, sender=Review, dispatch_uid="benchmarks_review_gone")
    page_published.connect(
        _on_category_published,
        sender=BenchmarkCategoryPage,
        dispatch_uid="benchmarks_category_published",
    )
