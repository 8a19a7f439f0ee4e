"""Search in the Wagtail admin: synonyms editors maintain, and what people search for."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from search import query_log
from search.models import SearchKindWeight, SynonymGroup

STATS_PERMISSION = "portal_search.view_querystat"


class SynonymViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "search"
    menu_label = _("Search synonyms")
    add_to_admin_menu = True
    menu_order = 800
    list_display = ["__str__"]


register_snippet(SynonymViewSet)


def search_statistics(request):
    if not request.user.has_perm(STATS_PERMISSION):
        raise PermissionDenied
    return render(
        request,
        "search/admin/statistics.html",
        {
            "frequent": query_log.frequent_queries(limit=30),
            "without_results": query_log.zero_result_queries(limit=30),
        },
    )


@hooks.register("register_admin_urls")
def admin_urls():
    return [path("search-statistics/", search_statistics, name="search_statistics")]


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(STATS_PERMISSION)


@hooks.register("register_reports_menu_item")
def statistics_menu_item():
    return StatisticsMenuItem(
        _("Searches"), reverse("search_statistics"), icon_name="search", order=900
    )


class KindWeightViewSet(SnippetViewSet):
    model = SearchKindWeight
    icon = "order"
    menu_label = _("Search content weights")
    add_to_admin_menu = True
    menu_order = 801
    list_display = ["kind", "weight"]


register_snippet(KindWeightViewSet)
