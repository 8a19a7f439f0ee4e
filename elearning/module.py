"""The e-learning module's declaration in the module kit (see ``portal.modules``); its
notification kinds and reminder job are in ``elearning/notifications.py``."""

from django.utils.translation import gettext_lazy as _

from elearning import notifications, personal_data, search_documents, services
from portal.accounts.personal_data import Section
from portal.demo import DemoStep
from portal.modules import PortalModule
from portal.uploads import scan


def scan_upload(uploaded_file, user=None) -> None:
    """The portal's antivirus check on an uploaded package (``portal.uploads``)."""
    scan(uploaded_file, user)


def home_latest(user, limit):
    return services.latest(user, limit)


class ElearningModule(PortalModule):
    key = "elearning"
    label = _("Training")
    url_name = "elearning:catalogue"
    # The navigation's entry (a redirect to the catalogue page, whose routes serve everything
    # else) and the sandboxed SCORM content, under "~elearning/", which no page slug can take.
    urls = "elearning.urls"
    order = 40
    latest = staticmethod(home_latest)
    search_sources = (search_documents.source(),)
    search_facets = tuple(search_documents.facets())
    personal_data = Section("courses", personal_data.export, personal_data.erase)
    notification_kinds = notifications.KINDS
    periodic_jobs = (notifications.REMINDERS_JOB,)
    # After the home page (30), before the document base and REX steps (40, 45).
    demo_steps = (DemoStep(35, "Formations en ligne", "elearning.demo.loader.build"),)
