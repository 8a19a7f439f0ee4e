from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published


class DocsBaseConfig(AppConfig):
    name = "docs_base"
    verbose_name = _("Document base and experience feedback")

    def ready(self):
        # Signal receivers live with the services they call, which import the models.
        # Not at the top: the models load after the app configs.
        from docs_base.documents import personal, reader
        from docs_base.rex import workflow
        from portal.access.staff import register_moderation_workflow

        page_published.connect(reader.page_published, dispatch_uid="docs_base-watchers")
        personal.register()  # the reader's own controls on cached document pages
        workflow.connect_signals(self)
        # The workflow's moderators see TLP:RED and AMBER+STRICT content in the admin.
        register_moderation_workflow(workflow.WORKFLOW_NAME)
