"""RSS and Atom feeds of the public alerts and watch items (TLP:CLEAR only, whatever the
reader: a feed never carries anything restricted), with Django's syndication framework."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerts.models import AlertPage, WatchItemPage
from portal.access import AccessLevel, Tlp

FEED_SIZE = 30


class _MarkedRss(Rss201rev2Feed):
    """Each item says its TLP marking and, for alerts, its CVSS score and vector."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("category", item["tlp"])
        if item.get("cvss"):
            handler.addQuickElement("category", item["cvss"])


class _MarkedAtom(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("category", "", {"term": item["tlp"]})
        if item.get("cvss"):
            handler.addQuickElement("category", "", {"term": item["cvss"]})


def public_items(limit=FEED_SIZE) -> list:
    """The newest TLP:CLEAR alerts and watch items (public access level too, belt and braces)."""
    public = {"tlp": Tlp.CLEAR, "access_level": AccessLevel.PUBLIC}
    alerts = list(
        AlertPage.objects.live().public().filter(**public).order_by("-last_published_at")[:limit]
    )
    items = list(
        WatchItemPage.objects.live()
        .public()
        .filter(**public)
        .order_by("-last_published_at")[:limit]
    )
    merged = sorted(alerts + items, key=lambda p: p.last_published_at, reverse=True)
    return merged[:limit]


class RssFeed(Feed):
    feed_type = _MarkedRss
    title = gettext_lazy("Security alerts and watch (TLP:CLEAR)")
    description = gettext_lazy("Public alerts and technology and regulatory watch of the portal.")

    def __init__(self, index):
        super().__init__()
        self.index = index

    def link(self):
        return self.index.url

    def items(self):
        return public_items()

    def item_title(self, item):
        if isinstance(item, AlertPage):
            return f"{item.reference} · {item.title}"
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_extra_kwargs(self, item):
        cvss = ""
        if isinstance(item, AlertPage):
            cvss = (
                f"CVSS {item.cvss_score} {item.cvss_vector}"
                if item.cvss_vector
                else _("Severity: %(severity)s") % {"severity": item.get_severity_display()}
            )
        return {"tlp": "TLP:CLEAR", "cvss": cvss}


class AtomFeed(RssFeed):
    feed_type = _MarkedAtom
    subtitle = RssFeed.description
