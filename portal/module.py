"""The portal's own part in the module kit: its content pages in search, its demo steps."""

from django.utils.translation import gettext_lazy as _

from portal import search_documents
from portal.demo import DemoStep
from portal.modules import PortalModule


class PagesModule(PortalModule):
    key = "pages"
    label = _("Pages")
    order = 900
    search_sources = (search_documents.SOURCE,)
    demo_steps = (
        DemoStep(10, "Établissements", "portal.demo.accounts.build_establishments"),
        DemoStep(20, "Comptes de démonstration", "portal.demo.accounts.build_users"),
        DemoStep(30, "Page d'accueil et pages", "portal.demo.pages.build_pages"),
    )
