from django.urls import include, path

app_name = "docs_base"
urlpatterns = [
    path("", include("docs_base.urls_documents")),
    path("", include("docs_base.urls_rex")),
]
