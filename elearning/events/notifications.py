"""The events' and kits' notification kinds and reminder job (the portal's notification
service), declared in ``elearning/module.py``. The service checks again at send time that the
member may view the event (and, for a kind's audience, that they are still registered)."""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from elearning.events import services
from elearning.events.models import (
    EventMilestone,
    EventPage,
    Registration,
    RegistrationStatus,
)
from portal.access import Role, can_view
from portal.access.fields import role_token
from portal.accounts.models import MemberProfile, MemberStatus
from portal.notifications.kinds import Channel, NotificationKind
from portal.notifications.services import notify

logger = logging.getLogger(__name__)

KIND_REGISTRATION = "elearning.event_registration"
KIND_REMINDER = "elearning.event_reminder"
KIND_REPLAY = "elearning.event_replay"
KIND_LOAN = "elearning.kit_loan"
KIND_LOAN_REQUEST = "elearning.kit_loan_request"


def registered_participant(user, event) -> bool:
    return Registration.objects.filter(
        event=event, user=user, status=RegistrationStatus.REGISTERED
    ).exists()


def replay_audience(user, event) -> bool:
    replay = event.replay
    return registered_participant(user, event) and replay is not None and can_view(user, replay)


def loan_requester(user, loan) -> bool:
    return loan.requested_by_id == user.pk and can_view(user, loan.kit)


def loan_staff(user, loan) -> bool:
    return services.is_organiser(user)


KINDS = (
    NotificationKind(
        key=KIND_REGISTRATION,
        label=_("Events I registered for: a place freed for me, messages from the organisers"),
        module="elearning",
        default_channel=Channel.IMMEDIATE,
        audience=registered_participant,
    ),
    NotificationKind(
        key=KIND_REMINDER,
        label=_("Reminders of the events I registered for (the day before, one hour before)"),
        module="elearning",
        default_channel=Channel.IMMEDIATE,
        audience=registered_participant,
    ),
    NotificationKind(
        key=KIND_REPLAY,
        label=_("The replay of an event I registered for is online"),
        module="elearning",
        default_channel=Channel.IMMEDIATE,
        audience=replay_audience,
    ),
    NotificationKind(
        key=KIND_LOAN,
        label=_("Decision on my escape-game kit loan request"),
        module="elearning",
        default_channel=Channel.IMMEDIATE,
        audience=loan_requester,
    ),
    NotificationKind(
        key=KIND_LOAN_REQUEST,
        label=_("New escape-game kit loan requests (GCS staff)"),
        module="elearning",
        default_channel=Channel.IMMEDIATE,
        audience=loan_staff,
    ),
)


def promoted(registration) -> None:
    event = registration.event
    notify(
        KIND_REGISTRATION,
        event,
        [registration.user_id],
        key=f"{KIND_REGISTRATION}:promoted:{registration.pk}",
        title=gettext("A place freed up: you are now registered for %(event)s")
        % {"event": event.title},
        url=event.url or "",
    )


def message_participants(event, subject: str, body: str) -> int:
    recipients = services.registered_user_ids(event)
    if recipients:
        notify(KIND_REGISTRATION, event, recipients, title=subject, body=body, url=event.url or "")
    return len(recipients)


def replay_published(event) -> bool:
    """Once per (event, replay document): registered members who may view the document."""
    if event.replay_id is None:
        return False
    recipients = services.registered_user_ids(event)
    if recipients:
        notify(
            KIND_REPLAY,
            event,
            recipients,
            key=f"{KIND_REPLAY}:{event.pk}:{event.replay_id}",
            title=gettext("The replay of %(event)s is online") % {"event": event.title},
            url=event.url or "",
        )
    return bool(recipients)


# --- Reminders --------------------------------------------------------------------------------

STAGES = (("day", datetime.timedelta(days=1)), ("hour", datetime.timedelta(hours=1)))


def due_reminders(now=None) -> list[tuple[EventPage, str]]:
    """(event, stage) of the live events starting within a day (or an hour) whose reminder
    for that start time has not been handed over yet."""
    now = now or timezone.now()
    due = []
    for stage, ahead in STAGES:
        events = EventPage.objects.live().filter(starts_at__gt=now, starts_at__lte=now + ahead)
        sent = EventMilestone.objects.filter(stage=stage, event__in=events).values_list(
            "event_id", "starts_at"
        )
        done = set(sent)
        due += [(event, stage) for event in events if (event.pk, event.starts_at) not in done]
    return due


def send_reminders(now=None) -> int:
    count = 0
    for event, stage in due_reminders(now):
        try:
            with transaction.atomic():
                EventMilestone.objects.create(event=event, stage=stage, starts_at=event.starts_at)
                recipients = services.registered_user_ids(event)
                if recipients:
                    notify(
                        KIND_REMINDER,
                        event,
                        recipients,
                        key=f"{KIND_REMINDER}:{event.pk}:{stage}:{event.starts_at.isoformat()}",
                        title=_reminder_title(event, stage),
                        url=event.url or "",
                    )
                count += 1
        except IntegrityError:
            continue  # another run handed it over
    if count:
        logger.info("events: %s reminder(s) notified", count)
    return count


def _reminder_title(event, stage) -> str:
    start = timezone.localtime(event.starts_at)
    values = {
        "event": event.title,
        "date": date_format(start, "j F Y"),
        "time": start.strftime("%H:%M"),
    }
    if stage == "hour":
        return gettext("In one hour, at %(time)s: %(event)s") % values
    return gettext("Tomorrow, %(date)s at %(time)s: %(event)s") % values


# --- Kit loans --------------------------------------------------------------------------------


def loan_requested(loan) -> None:
    staff = list(
        MemberProfile.objects.filter(status=MemberStatus.APPROVED)
        .filter(
            Q(roles__contains=role_token(Role.EDITOR))
            | Q(roles__contains=role_token(Role.REGIONAL_ADMIN))
        )
        .values_list("user_id", flat=True)
    )
    if staff:
        notify(
            KIND_LOAN_REQUEST,
            loan,
            staff,
            key=f"{KIND_LOAN_REQUEST}:{loan.pk}",
            title=gettext("Kit loan request: %(kit)s, %(start)s – %(end)s")
            % {
                "kit": loan.kit.title,
                "start": date_format(loan.starts_on),
                "end": date_format(loan.ends_on),
            },
            url=_loans_url(),
        )


def loan_decided(loan) -> None:
    if loan.requested_by_id is None:
        return
    values = {
        "kit": loan.kit.title,
        "start": date_format(loan.starts_on),
        "end": date_format(loan.ends_on),
    }
    if loan.status == "approved":
        title = gettext("Your loan of %(kit)s from %(start)s to %(end)s is approved") % values
    else:
        title = gettext("Your loan of %(kit)s from %(start)s to %(end)s is declined") % values
    notify(
        KIND_LOAN,
        loan,
        [loan.requested_by_id],
        key=f"{KIND_LOAN}:{loan.pk}:{loan.status}",
        title=title,
        body=loan.decision_note,
        url=_loans_url(),
    )


def _loans_url() -> str:
    index = services.index_page()
    return index.subpage_url("loans") if index is not None else ""
