from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alerts and watch")

    def ready(self):
        # The module kit registers everything else (alerts/module.py).
        from alerts import notifications, workflow

        notifications.connect()
        workflow.connect(self)
