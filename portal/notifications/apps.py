from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Not at the top: these modules import the models, which load after the app configs.
        from portal.notifications import jobs, personal_data

        jobs.register_portal_jobs()
        personal_data.register_section()
