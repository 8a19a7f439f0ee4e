"""Admin panel: what readers will see of a REX's establishment (docs_base.rex.anonymity)."""

from wagtail.admin.panels import Panel

from docs_base.rex import anonymity


class ShownContextPanel(Panel):
    """The context shown with the REX as last saved, with a warning when it still identifies."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "docs_base/rex/admin/shown_context_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            instance = self.instance
            context["shown"] = (
                anonymity.shown_context(instance)
                if instance is not None and instance.establishment_type
                else None
            )
            return context
