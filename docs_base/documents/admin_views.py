"""The editors' report in the Wagtail admin: documents to review, and what readers miss."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from docs_base.documents import lifecycle


class ReviewReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "docs_base/documents/admin/review_report.html"
    page_title = _("Document base review")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not lifecycle.can_review_documents(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        limit, user = lifecycle.READOUT_LIMIT, self.request.user
        context.update(
            today=timezone.localdate(),
            overdue=list(lifecycle.overdue_documents(staff=user)[:limit]),
            never_reviewed=list(lifecycle.never_reviewed_documents(staff=user)[:limit]),
            least_helpful=lifecycle.least_helpful_documents(limit, staff=user),
            zero_result_searches=lifecycle.zero_result_searches(limit),
            extra_sections=[
                (section.template, section.context(user)) for section in lifecycle.review_sections()
            ],
        )
        return context
