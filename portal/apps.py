from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal import checks, page_cache, security_log
        from portal.accounts import sessions
        from portal.models import StandardPage
        from search.registry import Searchable, register

        checks.register()
        checks.register_deploy_checks()
        page_cache.connect_signals()
        security_log.connect_signals()
        sessions.connect_signals()
        register(Searchable("pages", _("Pages"), lambda: StandardPage.objects.live().public()))
