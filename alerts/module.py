"""The alerts' declaration in the module kit (see ``portal.modules``): two header entries (the
alerts, and "Vous êtes attaqué ?"), the home section, search, personal data, notification
kinds, the reminders job, the demo step and the cached pages an acknowledgement retires."""

from django.utils.translation import gettext_lazy as _

from alerts import notifications, personal_data, search_documents, services
from alerts.models import ACKNOWLEDGEMENTS_CACHE_TAG, ESTABLISHMENTS_CACHE_TAG, Acknowledgement
from portal import page_cache
from portal.accounts.models import Establishment
from portal.accounts.personal_data import Section
from portal.demo import DemoStep
from portal.modules import PortalModule


class AttackModule(PortalModule):
    """The header's "Vous êtes attaqué ?" entry, first in the header."""

    key = "attack"
    label = _("Under attack?")
    url_name = "alerts:attack"
    order = 5
    urgent_icon = "fr-icon-alarm-warning-fill"


class AlertsModule(PortalModule):
    key = "alerts"
    label = _("Alerts and watch")
    url_name = "alerts:home"
    urls = "alerts.urls"
    order = 20
    latest = staticmethod(services.latest)
    search_sources = (search_documents.SOURCE,)
    search_facets = search_documents.FACETS
    personal_data = Section("alerts", personal_data.export, personal_data.erase)
    notification_kinds = notifications.KINDS
    periodic_jobs = (notifications.REMINDERS_JOB,)
    # After the accounts and the document base (40), before the experience feedback (45):
    # the demo's acknowledgements are signed by the establishments' demo accounts, and a watch
    # item flags a document.
    demo_steps = (DemoStep(44, "Alertes et veille", "alerts.demo.loader.build"),)
    page_cache_tags = {
        Acknowledgement: (ACKNOWLEDGEMENTS_CACHE_TAG, page_cache.HOME),
        Establishment: (ESTABLISHMENTS_CACHE_TAG,),
    }
