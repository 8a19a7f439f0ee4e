import pytest
from django.core import mail

from portal.access import AccessLevel, Role
from portal.notifications import kinds
from portal.notifications.kinds import Channel, NotificationKind
from tests.docs_base.factories import document_index, document_page, reader
from tests.portal.factories import EstablishmentFactory, home_page

NEWS = "test.news"
ALERT = "test.alert"
SECRET_TITLE = "CANARI-7f3e Rançongiciel au bloc opératoire"
SECRET_BODY = "CANARI-BODY-91c2 détails de l'incident"


@pytest.fixture
def test_kinds():
    """Two kinds of a pretend module: news (e-mail at once; portal only for caregivers) and a
    metadata-only alert (e-mail at once for the security roles, off for the others)."""
    declared = [
        NotificationKind(
            key=NEWS,
            label="Nouvelle de test",
            module="documents",
            default_channel_by_role={Role.CAREGIVER: Channel.PORTAL},
        ),
        NotificationKind(
            key=ALERT,
            label="Alerte de test",
            module="alerts",
            default_channel=Channel.OFF,
            default_channel_by_role={Role.RSSI: Channel.IMMEDIATE, Role.DSI: Channel.DAILY},
            metadata_only=True,
        ),
    ]
    for kind in declared:
        kinds.register(kind)
    yield {kind.key: kind for kind in declared}
    for kind in declared:
        kinds.unregister(kind.key)


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Commit callbacks (the queued tasks, run by the immediate backend) run at the block's end."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def establishment():
    return EstablishmentFactory()


@pytest.fixture
def rssi(establishment):
    return reader(roles={Role.RSSI}, establishment=establishment, email="rssi@ch.example")


@pytest.fixture
def caregiver(establishment):
    return reader(roles={Role.CAREGIVER}, establishment=establishment, email="soin@ch.example")


@pytest.fixture
def index():
    home_page()
    return document_index()


@pytest.fixture
def public_doc(index):
    return document_page(parent=index, title="Guide public des sauvegardes")


@pytest.fixture
def secret_doc(index):
    """Visible to RSSIs only."""
    return document_page(
        parent=index,
        title=SECRET_TITLE,
        access_level=AccessLevel.ROLES,
        allowed_roles={Role.RSSI},
    )


def outbox_text() -> str:
    """Everything the e-mails carried: subjects, headers, text and HTML bodies."""
    parts = []
    for message in mail.outbox:
        parts += [message.subject, message.body, str(message.extra_headers)]
        parts += [content for content, _type in getattr(message, "alternatives", [])]
    return "\n".join(parts)
