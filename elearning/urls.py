"""The module's only own URLs, under "~elearning/" and "~evenements/" (no page slug holds "~"):
the navigation's entries (redirects to the catalogue and events pages, whose routes serve
everything else) and the sandboxed SCORM content."""

from django.urls import path

from elearning import scorm, views_entry
from elearning.events import views as event_views

app_name = "elearning"
urlpatterns = [
    path("~elearning/", views_entry.catalogue, name="catalogue"),
    path("~evenements/", event_views.index_redirect, name="events"),
    path("~elearning/scorm/<id:lesson_id>/<path:name>", scorm.content, name="scorm_content"),
]
