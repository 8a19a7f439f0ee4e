from django.urls import path
from django.utils.translation import gettext_lazy as _

from docs_base.documents import views

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path(_("favourites/"), views.favourites, name="favourites"),
    path(_("favourites/sharing/"), views.favourites_sharing, name="favourites_sharing"),
    path(_("favourites/<int:user_id>/"), views.shared_favourites, name="shared_favourites"),
    path(_("documents/<int:page_id>/vote/"), views.vote, name="vote"),
    path(_("documents/<int:page_id>/favourite/"), views.favourite, name="favourite"),
    path(_("documents/<int:page_id>/watch/"), views.watch, name="watch"),
    path(_("download/<int:document_id>/<path:filename>"), views.download, name="download"),
]
