"""The notification service: channels, defaults, access at send time, metadata-only kinds,
digests, idempotency and retries (tasks run in process here; tests/notifications/test_queue.py
runs real workers)."""

import re
import smtplib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.utils import timezone, translation

from portal import modules
from portal.access import Role
from portal.accounts.models import MemberStatus
from portal.accounts.personal_data import delete_account
from portal.notifications import jobs, services
from portal.notifications.kinds import Channel
from portal.notifications.models import EmailState, Notification, Preference
from tests.docs_base.factories import reader
from tests.notifications.conftest import ALERT, NEWS, SECRET_BODY, SECRET_TITLE, outbox_text

pytestmark = pytest.mark.django_db


def send(run_tasks, kind, obj, recipients, **options):
    with run_tasks():
        services.notify(kind, obj, recipients, **options)


def run_job(run_tasks, name):
    with run_tasks():
        jobs.get(name).run()


def mails_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


# --- Preferences x channels -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "at_once", "daily", "weekly", "in_portal"),
    [
        (Channel.IMMEDIATE, 1, 0, 0, True),
        (Channel.DAILY, 0, 1, 0, True),
        (Channel.WEEKLY, 0, 0, 1, True),
        (Channel.PORTAL, 0, 0, 0, True),
        (Channel.OFF, 0, 0, 0, False),
    ],
)
def test_each_channel_delivers_as_chosen(
    run_tasks, test_kinds, rssi, public_doc, channel, at_once, daily, weekly, in_portal
):
    services.set_preferences(rssi, {NEWS: channel})
    send(run_tasks, NEWS, public_doc, [rssi], title="Nouvelle version du guide")
    assert len(mails_to(rssi)) == at_once
    run_job(run_tasks, "notifications.daily_digest")
    assert len(mails_to(rssi)) == at_once + daily
    run_job(run_tasks, "notifications.weekly_digest")
    assert len(mails_to(rssi)) == at_once + daily + weekly
    listed = [n.title for n in services.visible_notifications(rssi)]
    assert listed == (["Nouvelle version du guide"] if in_portal else [])


def test_defaults_follow_the_kind_and_the_role(run_tasks, test_kinds, rssi, caregiver, public_doc):
    dsi = reader(roles={Role.DSI, Role.CAREGIVER}, email="dsi@ch.example")
    send(run_tasks, NEWS, public_doc, [rssi, caregiver, dsi])
    # News: e-mail at once by default, in the portal only for caregivers (the DSI is a
    # caregiver too, and news names no default for DSIs).
    assert len(mails_to(rssi)) == 1 and mails_to(caregiver) == []
    assert services.unread_count(caregiver) == 1
    mail.outbox.clear()
    send(run_tasks, ALERT, public_doc, [rssi, caregiver, dsi])
    # Alerts: at once for the RSSI, in the DSI's daily digest, off for a caregiver.
    assert len(mails_to(rssi)) == 1 and mails_to(dsi) == [] and mails_to(caregiver) == []
    assert Notification.objects.get(user=dsi, kind=ALERT).channel == Channel.DAILY
    assert not Notification.objects.filter(user=caregiver, kind=ALERT).exists()
    # A member's own choice beats the defaults.
    services.set_preferences(caregiver, {ALERT: Channel.IMMEDIATE})
    send(run_tasks, ALERT, public_doc, [caregiver])
    assert len(mails_to(caregiver)) == 1


def test_a_rule_gives_the_recipients_when_none_are_named(run_tasks, rssi, caregiver, public_doc):
    from docs_base.models.documents import DocumentWatch

    DocumentWatch.objects.create(user=rssi, page=public_doc)
    send(run_tasks, "documents.watch", public_doc, None, title="Guide mis à jour")
    assert [m.to for m in mail.outbox] == [[rssi.email]]


def test_an_unknown_kind_or_a_kind_without_recipients_is_refused(test_kinds, public_doc):
    with pytest.raises(KeyError):
        services.notify("test.nothing", public_doc, [])
    with pytest.raises(ValueError):
        services.notify(NEWS, public_doc)


# --- Access at send time: the canary -----------------------------------------------------------


def test_canary_a_restricted_title_never_reaches_who_may_not_view_it(
    run_tasks, test_kinds, rssi, caregiver, secret_doc
):
    send(run_tasks, NEWS, secret_doc, [rssi, caregiver], body=SECRET_BODY)
    assert [m.to for m in mail.outbox] == [[rssi.email]]
    assert not Notification.objects.filter(user=caregiver).exists()
    assert services.visible_notifications(caregiver) == []


def test_access_is_checked_again_when_the_digest_is_sent(
    run_tasks, test_kinds, rssi, secret_doc, public_doc
):
    services.set_preferences(rssi, {NEWS: Channel.DAILY})
    send(run_tasks, NEWS, secret_doc, [rssi], body=SECRET_BODY)
    send(run_tasks, NEWS, public_doc, [rssi], title="Guide public mis à jour")
    # Before the morning digest, the member is no longer an RSSI.
    profile = rssi.member_profile
    profile.roles = {Role.CAREGIVER}
    profile.save()
    run_job(run_tasks, "notifications.daily_digest")
    (digest,) = mails_to(rssi)
    assert "Guide public mis à jour" in digest.body
    assert SECRET_TITLE not in outbox_text() and "CANARI" not in outbox_text()
    secret = Notification.objects.get(user=rssi, title=SECRET_TITLE)
    assert secret.email_state == EmailState.WITHHELD
    # Nor is it listed in the portal any more.
    assert [n.title for n in services.visible_notifications(rssi)] == ["Guide public mis à jour"]


def test_access_is_checked_again_for_an_immediate_email(run_tasks, test_kinds, rssi, secret_doc):
    with run_tasks():
        services.notify(NEWS, secret_doc, [rssi])
        # The fan-out is queued; the member loses the role before it runs.
        profile = rssi.member_profile
        profile.roles = {Role.CAREGIVER}
        profile.save()
    assert mail.outbox == [] and not Notification.objects.exists()


@pytest.mark.parametrize("change", ["suspended", "deleted", "inactive"])
def test_suspended_deleted_or_inactive_members_get_nothing(
    run_tasks, test_kinds, rssi, public_doc, change
):
    services.set_preferences(rssi, {NEWS: Channel.DAILY})
    send(run_tasks, NEWS, public_doc, [rssi])
    user = get_user_model().objects.get(pk=rssi.pk)
    if change == "suspended":
        user.member_profile.status = MemberStatus.SUSPENDED
        user.member_profile.save()
    elif change == "deleted":
        delete_account(user)
    else:
        user.is_active = False
        user.save()
    send(run_tasks, NEWS, public_doc, [rssi])
    run_job(run_tasks, "notifications.daily_digest")
    assert mail.outbox == []


# --- Metadata-only kinds ------------------------------------------------------------------------


def test_metadata_only_emails_carry_no_title_nor_text(run_tasks, test_kinds, rssi, secret_doc):
    send(run_tasks, ALERT, secret_doc, [rssi], body=SECRET_BODY, reference="ALERTE-2026-042")
    (message,) = mails_to(rssi)
    assert "CANARI" not in outbox_text()
    assert "Alerte de test" in message.subject and "ALERTE-2026-042" in message.subject
    html = message.alternatives[0][0]
    notification = Notification.objects.get(user=rssi)
    for content in (message.body, html):
        assert "ALERTE-2026-042" in content
        assert f"/notifications/{notification.pk}/ouvrir/" in content
        assert secret_doc.url not in content  # the page's address could tell its title
    # In the portal, after login, the member who may view it sees the title.
    assert [n.title for n in services.visible_notifications(rssi)] == [SECRET_TITLE]


def test_a_single_notification_may_be_metadata_only(run_tasks, test_kinds, rssi, secret_doc):
    send(run_tasks, NEWS, secret_doc, [rssi], metadata_only=True)
    assert SECRET_TITLE not in outbox_text() and len(mail.outbox) == 1


# --- E-mails and digests ----------------------------------------------------------------------


def test_immediate_email_is_french_html_and_text_with_the_portal_name(
    run_tasks, test_kinds, rssi, public_doc
):
    send(run_tasks, NEWS, public_doc, [rssi], title="Nouvelle version", body="Les détails.")
    (message,) = mail.outbox
    assert message.subject == "[Cyberportail santé] Nouvelle version"
    assert "Les détails." in message.body and "Ouvrir sur le portail" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and '<html lang="fr">' in html
    assert "Cyberportail santé" in html and "Ne plus recevoir ces e-mails" in html
    assert public_doc.url in html


def test_digest_groups_items_by_module_one_email_per_member_and_period(
    run_tasks, test_kinds, rssi, caregiver, public_doc
):
    dsi = reader(roles={Role.DSI}, email="dsi@ch.example")
    services.set_preferences(dsi, {NEWS: Channel.DAILY})
    send(run_tasks, NEWS, public_doc, [dsi], title="Premier document")
    send(run_tasks, ALERT, public_doc, [dsi], reference="ALERTE-1")  # daily for a DSI
    send(run_tasks, NEWS, public_doc, [dsi], title="Second document")
    assert mail.outbox == []
    run_job(run_tasks, "notifications.daily_digest")
    (digest,) = mail.outbox
    assert "3 notification(s)" in digest.subject and "quotidien" in digest.subject
    # One section per module, headed by the module's label, each holding its own items.
    sections = dict(re.findall(r"^== ([^\n]+) ==\n(.*?)(?=^== |\Z)", digest.body, re.M | re.S))
    with translation.override("fr"):
        alerts_label = next(str(m.label) for m in modules.modules() if m.key == "alerts")
    assert set(sections) == {"Base documentaire", alerts_label}
    assert "Premier document" in sections["Base documentaire"]
    assert "Second document" in sections["Base documentaire"]
    assert "ALERTE-1" in sections[alerts_label] and "ALERTE-1" not in sections["Base documentaire"]
    html = digest.alternatives[0][0]
    assert html.count("<h2") == 2
    assert "ne plus recevoir" in html.lower() and "Alerte de test" in html
    # Nothing new: the next run sends nothing.
    run_job(run_tasks, "notifications.daily_digest")
    assert len(mail.outbox) == 1


# --- Idempotency and retries -------------------------------------------------------------------


def test_a_fan_out_or_a_send_task_run_twice_sends_once(run_tasks, test_kinds, rssi, public_doc):
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(public_doc)
    payload = {
        "kind": NEWS,
        "target": [content_type.pk, str(public_doc.pk)],
        "recipients": [rssi.pk],
        "key": "event-1",
        "title": "Une fois",
        "body": "",
        "url": "/",
        "reference": "X-1",
        "metadata_only": False,
    }
    with run_tasks():
        services.fan_out(payload)
        services.fan_out(payload)
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1
    ids = list(Notification.objects.values_list("pk", flat=True))
    services.send_emails(ids)
    services.send_emails(ids)
    assert len(mail.outbox) == 1
    assert Notification.objects.get().email_state == EmailState.SENT


class FlakyBackend:
    """Refuses the first ``failures`` messages, then hands them to locmem."""

    failures = 1

    def __init__(self, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        self.inner = EmailBackend(*args, **kwargs)

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("relay went away")
        return self.inner.send_messages(messages)


@override_settings(
    EMAIL_BACKEND="tests.notifications.test_service.FlakyBackend",
    NOTIFICATIONS_RETRY_DELAYS=[60, 300],
)
def test_an_smtp_failure_is_retried_with_backoff_then_given_up(
    run_tasks, test_kinds, rssi, public_doc
):
    FlakyBackend.failures = 1
    send(run_tasks, NEWS, public_doc, [rssi])
    notification = Notification.objects.get()
    assert mail.outbox == [] and notification.email_state == EmailState.PENDING
    assert notification.email_attempts == 1
    assert timedelta(seconds=55) < notification.email_next_at - timezone.now() <= timedelta(60)
    # Not due yet: the scheduler's retry job leaves it.
    with run_tasks():
        services.retry_due()
    assert mail.outbox == []
    Notification.objects.update(email_next_at=timezone.now() - timedelta(seconds=1))
    with run_tasks():
        services.retry_due()
    assert len(mail.outbox) == 1
    assert Notification.objects.get().email_state == EmailState.SENT

    # Failing every time: two retries (60 s, then 300 s), then given up.
    FlakyBackend.failures = 10
    send(run_tasks, NEWS, public_doc, [rssi], key="second")
    for _attempt in range(2):
        Notification.objects.filter(key="second").update(email_next_at=timezone.now())
        with run_tasks():
            services.retry_due()
    failed = Notification.objects.get(key="second")
    assert failed.email_state == EmailState.FAILED and failed.email_attempts == 3
    assert len(mail.outbox) == 1


def test_an_email_whose_task_was_lost_is_sent_by_the_retry_job(
    run_tasks, test_kinds, rssi, public_doc, django_capture_on_commit_callbacks
):
    from django.contrib.contenttypes.models import ContentType

    payload = {
        "kind": NEWS,
        "target": [ContentType.objects.get_for_model(public_doc).pk, str(public_doc.pk)],
        "recipients": [rssi.pk],
        "key": "lost",
        "title": "Perdue puis retrouvée",
        "body": "",
        "url": "/",
        "reference": "X-2",
        "metadata_only": False,
    }
    with django_capture_on_commit_callbacks(execute=False):  # its send task is lost
        services.fan_out(payload)
    with run_tasks():
        services.retry_due()
    assert mail.outbox == []  # young: its task may still be on its way
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=20))
    with run_tasks():
        services.retry_due()
    assert [m.subject for m in mail.outbox] == ["[Cyberportail santé] Perdue puis retrouvée"]


def test_a_worker_that_died_while_sending_is_taken_over(run_tasks, test_kinds, rssi, public_doc):
    services.set_preferences(rssi, {NEWS: Channel.PORTAL})
    send(run_tasks, NEWS, public_doc, [rssi])
    Notification.objects.update(
        channel=Channel.IMMEDIATE,
        email_state=EmailState.SENDING,
        email_next_at=timezone.now() - timedelta(minutes=20),
    )
    with run_tasks():
        services.retry_due()
    assert len(mail.outbox) == 1


# --- The request does not do the work ------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 40])
def test_notify_queues_one_task_whatever_the_number_of_recipients(
    test_kinds, public_doc, count, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from django_tasks import task_backends

    members = [reader(email=f"m{n}@ch.example") for n in range(count)]
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        backend = task_backends["default"]
        with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(0):
            services.notify(NEWS, public_doc, members)
        assert [result.task.name for result in backend.results] == ["fan_out"]
    assert mail.outbox == [] and not Notification.objects.exists()


# --- Periodic jobs and pruning ------------------------------------------------------------------


def test_a_daily_job_runs_once_per_day_and_a_weekly_one_on_mondays(run_tasks):
    from zoneinfo import ZoneInfo

    from portal.notifications.models import PeriodicRun

    paris = ZoneInfo("Europe/Paris")
    monday_6am = timezone.datetime(2026, 11, 30, 6, 0, tzinfo=paris)
    monday_8am = monday_6am + timedelta(hours=2)
    tuesday_8am = monday_8am + timedelta(days=1)
    with run_tasks():
        early = jobs.tick(monday_6am)
        first = jobs.tick(monday_8am)
        again = jobs.tick(monday_8am + timedelta(minutes=5))
        tuesday = jobs.tick(tuesday_8am)
    assert "notifications.daily_digest" not in early
    assert "documents.review_reminders" in early  # due from 6 o'clock
    assert {"notifications.daily_digest", "notifications.weekly_digest"} <= set(first)
    every_tick = [job.name for job in jobs.all_jobs() if job.every == jobs.TICK]
    assert "notifications.retry" in every_tick
    assert again == every_tick  # only the jobs run at every tick
    assert "notifications.daily_digest" in tuesday
    assert "notifications.weekly_digest" not in tuesday
    assert PeriodicRun.objects.filter(job="notifications.weekly_digest").count() == 1


def test_old_read_notifications_are_pruned(run_tasks, test_kinds, rssi, public_doc):
    services.set_preferences(rssi, {NEWS: Channel.PORTAL})
    for key in ("old-read", "old-unread", "recent-read"):
        send(run_tasks, NEWS, public_doc, [rssi], key=key, title=key)
    long_ago = timezone.now() - timedelta(days=100)
    Notification.objects.filter(key__startswith="old").update(created_at=long_ago)
    Notification.objects.exclude(key="old-unread").update(read_at=timezone.now())
    assert services.prune() == 1
    assert sorted(Notification.objects.values_list("key", flat=True)) == [
        "old-unread",
        "recent-read",
    ]


def test_preferences_are_in_the_data_export_and_erased_with_the_account(
    run_tasks, test_kinds, rssi, public_doc
):
    from portal.accounts.personal_data import export

    services.set_preferences(rssi, {NEWS: Channel.WEEKLY})
    send(run_tasks, NEWS, public_doc, [rssi], title="Dans l'export")
    data = export(rssi)["notifications"]
    assert data["preferences"][NEWS] == {"channel": "weekly", "chosen": True}
    assert [n["title"] for n in data["notifications"]] == ["Dans l'export"]
    delete_account(rssi)
    assert not Preference.objects.exists() and not Notification.objects.exists()
