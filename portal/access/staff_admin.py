"""The staff rule (``portal.access.staff``) on every Wagtail admin path that shows a page:
the views addressed by a page id (edit, preview, revisions, compare, history, draft, workflow
preview, ...) through a middleware; listings and search through the page permission policy;
the page chooser through its hook."""

from django.urls import reverse
from wagtail.models import AbstractPage, Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.access.policy import refuse
from portal.access.staff import sees_all_sensitive, sensitive_page_q, staff_page_q
from portal.security_log import log_event

PAGE_KWARGS = ("page_id", "parent_page_id")


class StaffPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy; what staff may explore (listing, search) follows the staff rule."""

    def explorable_instances(self, user):
        return super().explorable_instances(user).filter(staff_page_q(user))


def register_policy() -> None:
    register_permission_policy(AbstractPage, StaffPagePermissionPolicy("wagtailcore.Page"))


class StaffSensitiveContentMiddleware:
    """Admin views addressed by a page id: 404 when the staff rule hides the page; a view of a
    sensitive page is logged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        page_id = next((view_kwargs[k] for k in PAGE_KWARGS if k in view_kwargs), None)
        user = getattr(request, "user", None)
        if page_id is None or user is None or not user.is_authenticated:
            return None
        if not request.path.startswith(reverse("wagtailadmin_home")):
            return None

        pages = Page.objects.filter(pk=page_id)
        if not sees_all_sensitive(user) and not pages.filter(staff_page_q(user)).exists():
            refuse(request, Page, pk=page_id)
        if pages.filter(sensitive_page_q()).exists():
            log_event(
                "sensitive_content_viewed",
                request,
                object=f"wagtailcore.Page[pk={page_id}]",
                view=request.resolver_match.view_name if request.resolver_match else "-",
            )
        return None


def filter_chooser(pages, request):
    return pages.filter(staff_page_q(request.user))
