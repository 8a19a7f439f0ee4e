"""Exports of a comparison: CSV (semicolon-separated, UTF-8 with BOM, for spreadsheets) and
PDF in the portal's look (WeasyPrint), each stating the date, the weights, the method and the
sources. The comparison given is already filtered by the access model."""

import csv
import io
import logging

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from benchmarks import scoring, services

# WeasyPrint logs each layout step at INFO: only its warnings matter here.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def filename(comparison, extension: str) -> str:
    day = timezone.localdate().isoformat()
    return f"comparatif-{slugify(comparison.category.slug)}-{day}.{extension}"


def method_text() -> str:
    return _(
        "Weighted total = sum(weight × score) / sum(weights) over the criteria scored by the "
        "editors (scores from 0 to 5; a missing score is left out and the coverage shows the "
        "share of the weight scored). Member scores: Bayesian mean (%(prior_weight)s × "
        "%(prior_mean)s + sum of ratings) / (%(prior_weight)s + number of reviews), shown from "
        "%(min_reviews)s reviews."
    ) % {
        "prior_weight": scoring.PRIOR_WEIGHT,
        "prior_mean": str(scoring.PRIOR_MEAN).replace(".", ","),
        "min_reviews": scoring.MIN_REVIEWS,
    }


def comparison_csv(comparison) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    solutions = comparison.solutions
    writer.writerow([_("Comparison"), comparison.category.title])
    writer.writerow([_("Generated on"), timezone.localtime(comparison.generated_at).isoformat()])
    writer.writerow([_("Method"), method_text()])
    writer.writerow([])
    writer.writerow([_("Row"), _("Weight"), *[s.title for s in solutions]])
    for row in comparison.attribute_rows:
        writer.writerow([row.label, "", *[cell.value for cell in row.cells]])
    for row in comparison.criterion_rows:
        writer.writerow([f"{row.group} — {row.label}", row.weight, *[c.value for c in row.cells]])
    writer.writerow(
        [
            _("Weighted total (out of 5)"),
            "",
            *[services.format_score(comparison.totals[s.pk].value) for s in solutions],
        ]
    )
    writer.writerow(
        [
            _("Coverage of the weights"),
            "",
            *[f"{round(100 * comparison.totals[s.pk].coverage)} %" for s in solutions],
        ]
    )
    writer.writerow([_("Rank"), "", *[comparison.ranks[s.pk] or "—" for s in solutions]])
    for row in comparison.member_rows:
        writer.writerow([f"{_('Members')} — {row.label}", "", *[c.value for c in row.cells]])
    writer.writerow([])
    writer.writerow([_("Sources")])
    for solution in solutions:
        for assessment in solution.assessments.all():
            writer.writerow(
                [
                    solution.title,
                    assessment.criterion.name,
                    assessment.source,
                    assessment.assessed_on.isoformat(),
                ]
            )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def comparison_pdf(request, context) -> bytes:
    # Not at the top: WeasyPrint is heavy and only the PDF export needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "benchmarks/compare_pdf.html", context | {"method_text": method_text()}, request=request
    )
    # Everything the PDF needs is inline: no file:// or network fetch is allowed.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
