"""Transactional e-mails leave the request: it queues a task, which sends the rendered message."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django_tasks import default_task_backend

from portal.access import Role
from portal.accounts import services
from portal.accounts.models import MemberStatus
from tests.portal.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue_only(settings):
    """A backend that keeps what is queued without running it (django-tasks' dummy backend)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def _queued_mail(backend):
    return [result for result in backend.results if result.task.name == "send_message"]


def _run_queued(backend):
    for result in _queued_mail(backend):
        result.task.call(*result.args, **result.kwargs)


def test_a_membership_decision_is_mailed_by_a_task_not_in_the_request(
    queue_only, establishment, django_capture_on_commit_callbacks
):
    admin = MemberFactory(
        profile__roles={Role.REGIONAL_ADMIN}, profile__establishment=establishment
    )
    pending = MemberFactory(
        email="lea@example.fr",
        profile__status=MemberStatus.PENDING,
        profile__establishment=establishment,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(pending.member_profile, by=admin)
    assert mail.outbox == []
    assert len(_queued_mail(queue_only)) == 1
    _run_queued(queue_only)
    assert [m.to for m in mail.outbox] == [["lea@example.fr"]]
    assert "approuvée" in mail.outbox[0].subject


def test_allauth_messages_are_queued_too(queue_only, client):
    member = MemberFactory(email="marc@example.fr")
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    client.post("/compte/password/reset/", {"email": "marc@example.fr"})
    assert mail.outbox == []
    assert len(_queued_mail(queue_only)) == 1
    _run_queued(queue_only)
    assert [m.to for m in mail.outbox] == [["marc@example.fr"]]
    assert "/compte/password/reset/key/" in mail.outbox[0].body
