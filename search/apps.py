from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "portal_search"
    verbose_name = _("Search")

    def ready(self):
        # Not at the top: these modules import the models, which load after the app configs.
        from search import answer_cache, indexing, services

        indexing.connect_signals()
        services.connect_signals()
        answer_cache.connect_signals()
