"""Editors declare the forums and their audiences in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from forum.models import ForumSpace


class ForumSpaceViewSet(SnippetViewSet):
    model = ForumSpace
    icon = "group"
    menu_label = _("Forums")
    add_to_admin_menu = True
    menu_order = 700
    list_display = ["name", "access_level", "read_only", "position"]
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("position"),
        MultiFieldPanel(
            [
                FieldPanel("access_level"),
                FieldPanel("allowed_roles"),
                FieldPanel("establishment"),
                FieldPanel("establishment_families"),
                FieldPanel("read_only"),
            ],
            heading=_("Who may read and post"),
        ),
    ]


register_snippet(ForumSpaceViewSet)
