"""Admin panels shared by every access-controlled page type."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

ACCESS_PANEL = MultiFieldPanel(
    [FieldPanel("access_level"), FieldPanel("allowed_roles"), FieldPanel("establishment")],
    heading=_("Who may view this page"),
)
