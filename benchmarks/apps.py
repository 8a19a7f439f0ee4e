from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchmarksConfig(AppConfig):
    name = "benchmarks"
    verbose_name = _("Solution benchmarks")

    def ready(self):
        # All of the module's plumbing (registries, signals) is in one place.
        from benchmarks import module

        module.register()
