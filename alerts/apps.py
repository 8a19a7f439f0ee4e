from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alerts and watch")

    def ready(self):
        # The module kit registers everything else (alerts/module.py).
        # Not at the top: Django's app loading (these import the models).
        from alerts import notifications, personal, workflow

        notifications.connect()
        personal.register()  # the reader's own parts of the cached alert pages
        workflow.connect(self)
