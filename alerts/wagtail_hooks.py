"""The alerts in the Wagtail admin: the report of documents flagged by the watch (documents
of the document base that a watch item affects and that are not marked reviewed yet), also a
section of the document base's review report."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from alerts.models import WatchDocument
from docs_base.documents.lifecycle import ReviewSection, register_review_section
from portal.access.editors import has_admin_access
from portal.access.staff import staff_page_q


def can_review(user) -> bool:
    if not has_admin_access(user):
        return False
    return user.is_superuser or PagePermissionPolicy().user_has_any_permission(
        user, {"add", "change", "publish"}
    )


def flagged_documents(user):
    """Flags not yet reviewed, on live watch items, for documents the staff rule shows."""
    shown = Page.objects.filter(staff_page_q(user)).values("pk")
    return (
        WatchDocument.objects.filter(reviewed=False, item__live=True, document__in=shown)
        .select_related("item", "document", "document__owner")
        .order_by("-item__date", "item_id")
    )


def _review_section_context(user) -> dict:
    return {"flags": list(flagged_documents(user)[:200])}


register_review_section(
    ReviewSection("alerts/admin/watch_review_section.html", _review_section_context)
)


class WatchReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "alerts/admin/watch_report.html"
    page_title = _("Documents affected by the watch")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not can_review(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["flags"] = list(flagged_documents(self.request.user)[:200])
        return context


@hooks.register("register_admin_urls")
def watch_report_urls():
    return [path("reports/watch-documents/", WatchReportView.as_view(), name="alerts_watch_report")]


class WatchReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_review(request.user)


@hooks.register("register_reports_menu_item")
def watch_report_menu_item():
    return WatchReportMenuItem(
        _("Documents affected by the watch"),
        reverse("alerts_watch_report"),
        icon_name="warning",
        order=910,
    )
