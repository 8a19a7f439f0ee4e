"""The document base's declaration in the module kit (see ``portal.modules``)."""

from django.utils.translation import gettext_lazy as _

from docs_base import notifications, personal_data, search_documents
from docs_base.documents.lifecycle import send_review_reminders
from docs_base.models.documents import DocumentPage
from portal.demo import DemoStep
from portal.modules import HomeItem, PortalModule
from portal.notifications import jobs

# Daily, before the morning's digests.
REVIEW_REMINDERS = jobs.Job(
    "documents.review_reminders", _("Review reminders"), send_review_reminders, jobs.DAILY, hour=6
)


def latest(user, limit: int) -> list[HomeItem]:
    """The newest documents the user may view, never archived, for the home page."""
    pages = DocumentPage.objects.listed(user).order_by("-first_published_at", "-pk")[:limit]
    return [
        HomeItem(
            title=page.title,
            url=page.url or "",
            date=page.last_published_at,
            summary=page.summary,
        )
        for page in pages
    ]


class DocumentsModule(PortalModule):
    key = "documents"
    label = _("Document base")
    url_name = "docs_base:catalogue"
    urls = "docs_base.urls"
    root_urls = "docs_base.urls_document_files"
    order = 20
    latest = staticmethod(latest)
    search_sources = (search_documents.SOURCE,)
    search_facets = search_documents.FACETS
    personal_data = personal_data.DOCUMENTS
    notification_kinds = (notifications.WATCH_KIND, notifications.REVIEW_DUE_KIND)
    periodic_jobs = (REVIEW_REMINDERS,)
    demo_steps = (DemoStep(40, "Base documentaire", "docs_base.demo.loader.build_documents"),)
