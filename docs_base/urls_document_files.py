"""Replaces ``wagtail.documents.urls`` (at ``documents/``): the names Wagtail reverses for a
file's URL go through the access-checked download view (Wagtail's own serve view only checks
collection privacy)."""

from django.urls import path, re_path

from docs_base.documents import views

urlpatterns = [
    re_path(r"^documents/(\d+)/(.*)$", views.download, name="wagtaildocs_serve"),
    path(
        "documents/authenticate_with_password/<id:restriction_id>/",
        views.no_password_form,
        name="wagtaildocs_authenticate_with_password",
    ),
]
