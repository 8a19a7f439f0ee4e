"""The module's one named URL: the navigation entry, redirecting to the index page.

Declared as the module's ``urls`` (``benchmarks/module.py``): the module kit includes it under
the language prefix (routes starting with "~", which no page slug holds); every other view hangs
off ``BenchmarkIndexPage``.
"""

from django.urls import path

from benchmarks import views

app_name = "benchmarks"
urlpatterns = [path("~comparatifs/", views.index_redirect, name="home")]
