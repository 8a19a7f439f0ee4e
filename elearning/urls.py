"""The module's only top-level URLs: the navigation's entry (a redirect to the catalogue
page, whose routes serve everything else) and the sandboxed SCORM content."""

from django.urls import path

from elearning import scorm, views_entry

app_name = "elearning"
urlpatterns = [
    path("", views_entry.catalogue, name="catalogue"),
    path("scorm/<int:lesson_id>/<path:name>", scorm.content, name="scorm_content"),
]
