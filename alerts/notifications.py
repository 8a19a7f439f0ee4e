"""The alerts' notification kinds and periodic job (the portal's notification service),
declared in ``alerts/module.py``, and what publishing an alert or a watch item notifies.

E-mails by marking: TLP:CLEAR carries the text, TLP:GREEN the title and summary, TLP:AMBER and
above metadata only (reference, severity, TLP and a link; reading needs a login).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published

from alerts import services
from alerts.models import AlertChange, AlertPage, AlertStatus, WatchItemPage
from portal.access import Tlp
from portal.accounts.models import MemberStatus
from portal.notifications import jobs
from portal.notifications.kinds import Channel, NotificationKind
from portal.notifications.services import notify

ALERT_KIND = "alerts.alert"
REMINDER_KIND = "alerts.acknowledgement_reminder"
WATCH_DIGEST_KIND = "alerts.watch"
WATCH_DOCUMENT_KIND = "alerts.watch_document"
WATCH_ROLES = services.ACKNOWLEDGING_ROLES | services.REGIONAL_ROLES


def _watch_readers(item):
    roles = Q()
    for role in sorted(WATCH_ROLES):
        roles |= Q(member_profile__roles__contains=f",{role},")
    return get_user_model().objects.filter(
        roles, is_active=True, member_profile__status=MemberStatus.APPROVED
    )


def _reminded_member(user, alert) -> bool:
    """Reminders go to the security roles of an establishment the alert concerns."""
    profile = getattr(user, "member_profile", None)
    establishment = profile.establishment if profile else None
    return establishment is not None and services.may_acknowledge(user, alert, establishment)


def _document_owner(user, item) -> bool:
    return item.documents.filter(document__owner=user).exists()


KINDS = (
    NotificationKind(
        key=ALERT_KIND,
        label=_("A security alert matching my subscription is published"),
        module="alerts",
        default_channel=Channel.IMMEDIATE,
        recipients=services.subscribers,
    ),
    NotificationKind(
        key=REMINDER_KIND,
        label=_("My establishment has not acknowledged a critical alert"),
        module="alerts",
        default_channel=Channel.IMMEDIATE,
        audience=_reminded_member,
    ),
    NotificationKind(
        key=WATCH_DIGEST_KIND,
        label=_("Technology and regulatory watch (weekly digest)"),
        module="alerts",
        default_channel=Channel.OFF,
        default_channel_by_role={role: Channel.WEEKLY for role in WATCH_ROLES},
        recipients=_watch_readers,
    ),
    NotificationKind(
        key=WATCH_DOCUMENT_KIND,
        label=_("A watch item affects a document I own"),
        module="alerts",
        default_channel=Channel.IMMEDIATE,
        audience=_document_owner,
    ),
)


def reference_line(alert) -> str:
    """Reference, TLP and severity: all a metadata-only e-mail says of an alert."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"{alert.reference} · {alert.get_tlp_display()} · {alert.get_severity_display()}"[
            :64
        ]


def alert_body(alert) -> str:
    """The e-mail text by marking (nothing for TLP:AMBER and above)."""
    if alert.tlp == Tlp.CLEAR:
        with translation.override(settings.LANGUAGE_CODE):
            lines = [alert.summary]
            if alert.action_list:
                lines += ["", gettext("Recommended actions:")]
                lines += [f"- {action}" for action in alert.action_list]
            if alert.workaround_list:
                lines += ["", gettext("Workarounds:")]
                lines += [f"- {item}" for item in alert.workaround_list]
            return "\n".join(lines)
    if alert.tlp == Tlp.GREEN:
        return alert.summary
    return ""


def notify_alert(alert, revision_id) -> None:
    notify(
        ALERT_KIND,
        alert,
        key=f"{ALERT_KIND}:{alert.pk}:{revision_id}",
        title=f"{alert.reference} {alert.title}",
        body=alert_body(alert),
        reference=reference_line(alert),
        metadata_only=alert.is_restricted,
    )


def _alert_published(sender, instance, revision=None, **kwargs) -> None:
    alert = instance.specific
    revision_id = revision.pk if revision else alert.latest_revision_id
    previous = alert.changes.first()
    AlertChange.objects.create(
        alert=alert, status=alert.status, note=alert.change_note, revision_id=revision_id
    )
    # The first publication and each new status or "what changed" note are news; a
    # correction republished with the same note is not.
    changed = previous is not None and (
        previous.status != alert.status or previous.note != alert.change_note
    )
    if previous is None or (changed and alert.status != AlertStatus.CLOSED):
        notify_alert(alert, revision_id)


def _watch_published(sender, instance, revision=None, **kwargs) -> None:
    item = instance.specific
    revision_id = revision.pk if revision else item.latest_revision_id
    notify(
        WATCH_DIGEST_KIND,
        item,
        key=f"{WATCH_DIGEST_KIND}:{item.pk}",
        title=item.title,
        body=item.summary if item.tlp in (Tlp.CLEAR, Tlp.GREEN) else "",
        metadata_only=item.is_restricted,
    )
    owners = set(item.documents.values_list("document__owner_id", flat=True)) - {None}
    if owners:
        notify(
            WATCH_DOCUMENT_KIND,
            item,
            owners,
            key=f"{WATCH_DOCUMENT_KIND}:{item.pk}:{revision_id}",
            title=gettext("A watch item affects your document: %(title)s") % {"title": item.title},
            body=item.summary if item.tlp in (Tlp.CLEAR, Tlp.GREEN) else "",
            metadata_only=item.is_restricted,
        )


def send_reminders(now=None) -> int:
    """Remind each establishment's security roles of the critical alerts they have not
    acknowledged after ``ALERTS_REMINDER_DAYS``; once per alert, establishment and week."""
    now = now or timezone.now()
    year, week, _day = timezone.localtime(now).isocalendar()
    count = 0
    for alert, establishment_ids in services.overdue(now):
        for establishment_id in establishment_ids:
            recipients = services.acknowledging_members([establishment_id])
            if not recipients:
                continue
            notify(
                REMINDER_KIND,
                alert,
                recipients,
                key=f"{REMINDER_KIND}:{alert.pk}:{establishment_id}:{year}-W{week:02d}",
                title=f"{alert.reference} {alert.title}",
                reference=reference_line(alert),
                metadata_only=alert.is_restricted,
            )
            count += 1
    return count


REMINDERS_JOB = jobs.Job(
    "alerts.acknowledgement_reminders",
    _("Reminders of unacknowledged critical alerts"),
    send_reminders,
    jobs.DAILY,
    8,
)


def connect() -> None:
    page_published.connect(_alert_published, sender=AlertPage, dispatch_uid="alerts_published")
    page_published.connect(_watch_published, sender=WatchItemPage, dispatch_uid="watch_published")
