from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocsBaseConfig(AppConfig):
    name = "docs_base"
    verbose_name = _("Document base and experience feedback")

    def ready(self):
        from docs_base import checks, notifications, personal_data

        checks.register_deploy_checks()
        personal_data.register_sections()
        notifications.register()

        from docs_base.documents import register as register_documents

        register_documents()

        from docs_base.rex.module import register_module as register_rex_module
        from docs_base.rex.workflow import WORKFLOW_NAME
        from docs_base.rex.workflow import connect_signals as connect_rex_signals
        from docs_base.search_documents_rex import register_sources as register_rex_search
        from portal.access.staff import register_moderation_workflow

        register_rex_module()
        register_moderation_workflow(WORKFLOW_NAME)  # its moderators see TLP:RED in the admin
        connect_rex_signals(self)
        register_rex_search()
