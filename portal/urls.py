from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from portal.views.health import health

handler500 = "portal.views.errors.server_error"

# One way in: the portal's login (rate limits, MFA) also serves the admin and page privacy.
single_login = [
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="portal_admin_login",
    ),
    path(
        "admin/password_reset/",
        RedirectView.as_view(pattern_name="account_reset_password"),
        name="portal_admin_password_reset",
    ),
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="portal_frontend_login",
    ),
]

urlpatterns = single_login + [
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail document URLs, served through the access model (never the raw file).
    path("documents/", include("docs_base.urls_document_files")),
    path("healthz", health, name="health"),
    # E-learning: the navigation's entry and the sandboxed SCORM content (its pages and
    # their routes are Wagtail pages).
    path("elearning/", include("elearning.urls")),
]

urlpatterns += i18n_patterns(
    path(_("account/"), include("allauth.urls")),
    path(_("membership/"), include("portal.accounts.urls")),
    path("", include("portal.urls_legal")),
    path(_("search/"), include("search.urls")),
    path(_("knowledge-base/"), include("docs_base.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
