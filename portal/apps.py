from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal import checks, page_cache, security_log
        from portal.accounts import sessions

        checks.register()
        checks.register_deploy_checks()
        page_cache.connect_signals()
        security_log.connect_signals()
        sessions.connect_signals()
        from portal.access import staff_admin
        from portal.search_documents import register_sources

        staff_admin.register_policy()

        register_sources()
