from django.urls import path

from search.views import results

app_name = "search"
urlpatterns = [path("", results, name="results")]
