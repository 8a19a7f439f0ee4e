from django.urls import path
from django.utils.translation import gettext_lazy as _

from search.views import results, suggestions

app_name = "search"
urlpatterns = [
    path("", results, name="results"),
    path(_("suggestions/"), suggestions, name="suggestions"),
]
