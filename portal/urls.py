from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from portal import modules
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
    # Modules' URLs outside the language prefix (e.g. Wagtail's document URLs, served through
    # the access model).
    *(path("", include(urlconf)) for urlconf in modules.urlconfs("root_urls")),
    path("healthz", health, name="health"),
]

urlpatterns += i18n_patterns(
    path(_("account/"), include("allauth.urls")),
    path(_("membership/"), include("portal.accounts.urls")),
    path(_("notifications/"), include("portal.notifications.urls")),
    path("", include("portal.urls_legal")),
    path(_("search/"), include("search.urls")),
    # Modules' own views: their routes start with "~", which no page slug holds.
    *(path("", include(urlconf)) for urlconf in modules.urlconfs("urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
