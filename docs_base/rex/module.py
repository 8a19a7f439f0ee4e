"""Experience feedback's declaration in the module kit (see ``portal.modules``)."""

from django.utils.translation import gettext_lazy as _

from docs_base import notifications, personal_data, search_documents_rex
from docs_base.rex import services
from portal.demo import DemoStep
from portal.modules import PortalModule


class RexModule(PortalModule):
    key = "rex"
    label = _("Experience feedback")
    url_name = "docs_base:rex_home"
    urls = "docs_base.urls"
    root_urls = "docs_base.urls_document_files"
    order = 30
    latest = staticmethod(services.latest)
    search_sources = (search_documents_rex.SOURCE,)
    search_facets = search_documents_rex.FACETS
    personal_data = personal_data.EXPERIENCE_FEEDBACK
    notification_kinds = (notifications.REX_MODERATION_KIND,)
    demo_steps = (DemoStep(45, "Retours d'expérience", "docs_base.demo.loader.build_rex"),)
