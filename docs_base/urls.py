"""What of the document base is not a page nor one of its index pages' routes: the navigation
entries (redirects to the index pages) and the access-checked file downloads, under prefixes no
page slug can take (a slug never holds "~"): ``/~base-documentaire/…``,
``/~retours-experience/``.

The members' own views (favourites, votes, REX sharing, statistics, …) hang off the index
pages (``DocumentIndexPage``, ``RexIndexPage``: see ``portal.routable``)."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from docs_base.documents import views as document_views
from docs_base.rex import views as rex_views

app_name = "docs_base"
urlpatterns = [
    path(format_lazy("~{}", _("knowledge-base/")), document_views.catalogue, name="catalogue"),
    path(
        format_lazy("~{}{}", _("knowledge-base/"), _("download/<id:document_id>/<path:filename>")),
        document_views.download,
        name="download",
    ),
    path(format_lazy("~{}", _("experience-feedback/")), rex_views.rex_home, name="rex_home"),
]
