"""Wagtail admin hooks of the document base (Wagtail imports every app's ``wagtail_hooks``)."""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import Page

from docs_base.documents import lifecycle
from docs_base.documents.admin_views import ReviewReportView
from docs_base.models.documents import DocumentIndexPage, DocumentPage

REFUSAL = gettext_lazy(
    "Documents are archived, not deleted: tick “archived” in the document's life cycle and "
    "publish. Archived documents stay readable by their link but are never listed."
)


def _holds_documents(page) -> bool:
    specific = page.specific_class
    if specific is not None and issubclass(specific, DocumentPage):
        return True
    if specific is not None and issubclass(specific, DocumentIndexPage):
        return DocumentPage.objects.descendant_of(page).exists()
    return False


@hooks.register("before_delete_page")
def refuse_deleting_documents(request, page):
    if _holds_documents(page):
        messages.error(request, str(REFUSAL))
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_documents(request, action_type, objects, action_class_instance):
    if action_type != "delete":
        return None
    if any(isinstance(obj, Page) and _holds_documents(obj) for obj in objects):
        messages.error(request, str(REFUSAL))
        return redirect(
            get_valid_next_url_from_request(request) or reverse("wagtailadmin_explore_root")
        )
    return None


@hooks.register("register_admin_urls")
def review_report_urls():
    return [
        path(
            "reports/document-review/",
            ReviewReportView.as_view(),
            name="docs_base_review_report",
        )
    ]


class ReviewReportMenuItem(MenuItem):
    def is_shown(self, request):
        return lifecycle.can_review_documents(request.user)


@hooks.register("register_reports_menu_item")
def review_report_menu_item():
    return ReviewReportMenuItem(
        gettext_lazy("Document base review"),
        reverse("docs_base_review_report"),
        icon_name="doc-full",
        order=900,
    )
