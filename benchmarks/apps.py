from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchmarksConfig(AppConfig):
    name = "benchmarks"
    verbose_name = _("Solution benchmarks")

    def ready(self):
        # The module kit registers everything else (benchmarks/module.py).
        # Not at the top: the signals import the models, which load after the app configs.
        from benchmarks import signals

        signals.connect()
