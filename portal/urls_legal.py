from django.urls import path
from django.utils.translation import gettext_lazy as _

from portal.views.legal import legal_page

app_name = "legal"
urlpatterns = [
    path(_("accessibility/"), legal_page, {"name": "accessibility"}, name="accessibility"),
    path(_("legal-notice/"), legal_page, {"name": "notice"}, name="notice"),
    path(_("contact/"), legal_page, {"name": "contact"}, name="contact"),
]
