"""The module's only own URLs, under "~elearning/" (no page slug holds "~"): the navigation's
entry (a redirect to the catalogue page, whose routes serve everything else) and the sandboxed
SCORM content."""

from django.urls import path

from elearning import scorm, views_entry

app_name = "elearning"
urlpatterns = [
    path("~elearning/", views_entry.catalogue, name="catalogue"),
    path("~elearning/scorm/<int:lesson_id>/<path:name>", scorm.content, name="scorm_content"),
]
