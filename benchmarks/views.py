"""The views hanging off the benchmark index page (``BenchmarkIndexPage`` routes).

Each one checks access through ``portal.access`` (via ``services``); refused reads answer 404.
"""

import hashlib

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from benchmarks import charts, exports, services
from benchmarks.forms import ReportForm, ReviewForm
from benchmarks.models import REVIEWS_CACHE_TAG, Review, SolutionPage
from portal import page_cache
from portal.access import ensure_visible, get_visible_or_404, is_approved_member, membership_of
from portal.access.membership import audience_key
from portal.page_cache import mark_cacheable

PDF_CACHE_SECONDS = 600


def _compare_context(request, index, comparison) -> dict:
    return {
        "page": index,
        "self": index,
        "comparison": comparison,
        "charts": comparison_charts(comparison) if comparison.ok else [],
        "export_query": comparison.query_string() if comparison.ok else "",
        "compare_url": index.url
        + index.reverse_subpage("compare", args=[comparison.category.slug]),
    }


def comparison_charts(comparison) -> list:
    rows = []
    for solution in comparison.ranking:
        total = comparison.totals[solution.pk].value
        rows.append((solution.title, total))
    result = [
        charts.score_chart(
            "totals",
            _("Weighted total by solution (out of 5)"),
            _("Solution"),
            _("Weighted total"),
            rows,
            services.format_score,
        )
    ]
    for solution in comparison.solutions:
        result.append(
            charts.score_chart(
                f"groups-{solution.pk}",
                _("%(solution)s: mean score by criteria group (out of 5)")
                % {"solution": solution.title},
                _("Criteria group"),
                _("Mean score"),
                comparison.group_means[solution.pk],
                services.format_score,
            )
        )
    return result


def compare(request, index, category_slug):
    comparison = services.compare(request.user, index, category_slug, request.GET)
    context = _compare_context(request, index, comparison)
    response = TemplateResponse(request, "benchmarks/compare.html", context)
    return mark_cacheable(response, (REVIEWS_CACHE_TAG,)) if comparison.ok else response


def _valid_comparison_or_404(request, index, category_slug):
    comparison = services.compare(request.user, index, category_slug, request.GET)
    if not comparison.ok:
        raise Http404
    return comparison


def compare_csv(request, index, category_slug):
    comparison = _valid_comparison_or_404(request, index, category_slug)
    response = HttpResponse(exports.comparison_csv(comparison), content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(comparison, "csv")}"'
    )
    return response


def _pdf_cache_key(request) -> str:
    parts = (
        str(page_cache.current_version()),
        str(page_cache.tag_versions((REVIEWS_CACHE_TAG,))[REVIEWS_CACHE_TAG]),
        audience_key(request.user),
        request.get_host(),
        request.get_full_path(),
        get_language() or "",
    )
    return "benchmarks:pdf:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def compare_pdf(request, index, category_slug):
    # A PDF takes a while to lay out: one copy per audience and URL until the next change of
    # content (the page cache's version), as for the pages themselves. A stored copy was made
    # for the same audience from the same content, so it is served without recomputing.
    key = _pdf_cache_key(request)
    stored = cache.get(key)
    if stored is None:
        comparison = _valid_comparison_or_404(request, index, category_slug)
        pdf = exports.comparison_pdf(request, _compare_context(request, index, comparison))
        stored = (exports.filename(comparison, "pdf"), pdf)
        cache.set(key, stored, PDF_CACHE_SECONDS)
    name, pdf = stored
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _login_or_404(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


def review_form(request, index, solution_id):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not services.can_review(request.user):
        return _login_or_404(request)
    solution = get_visible_or_404(
        request, SolutionPage.objects.live().public().descendant_of(index), pk=solution_id
    )
    ensure_visible(request, solution.get_parent().specific)
    existing = services.own_review(request.user, solution)
    form = ReviewForm(
        request.POST or None,
        instance=existing or None,
        roles=services.reviewer_roles(request.user),
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_review(request.user, solution, form.cleaned_data)
            except services.ReviewError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("Thank you: your review will be published once a moderator has read it."),
                )
                return redirect(solution.url)
        else:
            messages.error(request, _("Some answers need your attention: nothing was saved."))
    return TemplateResponse(
        request,
        "benchmarks/review_form.html",
        {"page": index, "solution": solution, "form": form, "existing": existing},
    )


def report_review(request, index, review_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not is_approved_member(request.user):
        return _login_or_404(request)
    review = services.visible_review_or_404(request.user, review_id)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reason to report this review: nothing was sent."))
    else:
        try:
            services.report_review(
                request.user, review, form.cleaned_data["reason"], form.cleaned_data["comment"]
            )
        except services.ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you: the moderators will read this review again."))
    return redirect(review.solution.url + "#avis")


def my_reviews(request, index):
    if not services.can_review(request.user):
        return _login_or_404(request)

    reviews = (
        Review.objects.filter(
            establishment_id=membership_of(request.user).establishment_id,
            solution__in=SolutionPage.objects.visible(request.user).values("pk"),
        )
        .select_related("solution", "author")
        .order_by("-updated_at")
    )
    return TemplateResponse(
        request, "benchmarks/my_reviews.html", {"page": index, "reviews": list(reviews)}
    )


def index_redirect(request):
    """The section's entry (navigation, home "all of"): the benchmark index page."""
    index = services.index_page()
    if index is None or not (url := index.get_url(request)):
        raise Http404
    return redirect(url)
