"""The document base's own views, under prefixes no page slug can take (a slug never holds
"~"), so that no route shadows a page: ``/~knowledge-base/…``, ``/~experience-feedback/…``."""

from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

app_name = "docs_base"
urlpatterns = [
    path(format_lazy("~{}", _("knowledge-base/")), include("docs_base.urls_documents")),
    path("~", include("docs_base.urls_rex")),  # its routes start with "experience-feedback/"
]
