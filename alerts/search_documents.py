"""What the alerts put into the unified search: alerts and watch items, each with the access
fields of its TLP marking (the index filters on them before ranking)."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from alerts.models import AlertPage, AlertSource, AlertStatus, ProductFamily, WatchItemPage
from alerts.severity import Severity
from portal.access import Tlp
from search.pages import page_document
from search.registry import Facet, Source

KIND = "alerts"


def alert_document(page):
    return page_document(
        page,
        KIND,
        body=(page.summary, page.actions, page.workarounds, page.cves, page.source_reference),
        summary=page.summary,
        tags=(page.reference, *page.cve_list, *(str(p) for p in page.products.all())),
        facets={
            "alert_severity": (page.severity,),
            "tlp": (page.tlp,),
            "alert_source": (page.source,),
            "alert_product": tuple(sorted(page.product_families)),
            "alert_status": (page.status,),
        },
        date=page.last_published_at,
    )


def watch_document(page):
    return page_document(
        page,
        KIND,
        body=(page.summary, page.source),
        summary=page.summary,
        tags=(page.get_category_display(),),
        facets={"tlp": (page.tlp,)},
        date=page.last_published_at,
    )


def document(page):
    if isinstance(page, AlertPage):
        return alert_document(page)
    return watch_document(page)


def candidates():
    return Page.objects.live().type(AlertPage, WatchItemPage).specific().order_by("path")


def _labels(choices):
    return lambda: {code: str(label) for code, label in choices}


SOURCE = Source(
    kind=KIND,
    label=_("Alerts and watch"),
    models=(AlertPage, WatchItemPage),
    document=document,
    candidates=candidates,
    order=150,
    index_url_name="alerts:home",
)
FACETS = (
    Facet("alert_severity", _("Severity"), _labels(Severity.choices), 150),
    Facet("tlp", _("TLP marking"), _labels(Tlp.choices), 151),
    Facet("alert_source", _("Alert source"), _labels(AlertSource.choices), 152),
    Facet("alert_product", _("Product family"), _labels(ProductFamily.choices), 153),
    Facet("alert_status", _("Alert status"), _labels(AlertStatus.choices), 154),
)
