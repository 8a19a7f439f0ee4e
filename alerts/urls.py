"""The module's entries: the navigation's redirects to the alert index and to the
"Vous êtes attaqué ?" page (every other view hangs off ``AlertIndexPage``)."""

from django.urls import path

from alerts import views

app_name = "alerts"
urlpatterns = [
    path("~alertes/", views.index_redirect, name="home"),
    path("~attaque/", views.attack_redirect, name="attack"),
]
