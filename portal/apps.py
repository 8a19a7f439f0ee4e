from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # Not at the top: these modules import models, which are not loaded yet at that point.
        from portal import checks, modules, page_cache, security_log
        from portal.access import staff_admin
        from portal.accounts import sessions, user_cache

        checks.register()
        checks.register_deploy_checks()
        page_cache.connect_signals()
        security_log.connect_signals()
        sessions.connect_signals()
        user_cache.connect_signals()
        staff_admin.register_policy()
        modules.discover()
