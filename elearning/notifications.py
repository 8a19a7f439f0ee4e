"""The e-learning module's notification kinds and daily reminder job (the portal's notification
service), declared in ``elearning/module.py``.

Each reminder is notified with a stable key per (kind, object, stage, date): running the
reminders twice, or a job and the command on the same day, notifies each learner once.
"""

import logging

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from elearning import services
from portal.access import can_view
from portal.notifications import jobs
from portal.notifications.kinds import Channel, NotificationKind
from portal.notifications.services import notify

logger = logging.getLogger(__name__)


def certificate_holder(user, certificate) -> bool:
    return certificate.enrolment.user_id == user.pk


def assigned_learner(user, assignment) -> bool:
    """The learner the course is assigned to, while they may still view the course."""
    return assignment.user_id == user.pk and can_view(user, assignment.course)


CERTIFICATE_EXPIRY_KIND = NotificationKind(
    key=services.KIND_CERTIFICATE_EXPIRY,
    label=_("My training certificate expires soon or has expired"),
    module="elearning",
    default_channel=Channel.IMMEDIATE,
    audience=certificate_holder,
)
COURSE_REMINDER_KIND = NotificationKind(
    key=services.KIND_COURSE_REMINDER,
    label=_("A course was assigned to me, or an assigned course is due"),
    module="elearning",
    default_channel=Channel.IMMEDIATE,
    audience=assigned_learner,
)
KINDS = (CERTIFICATE_EXPIRY_KIND, COURSE_REMINDER_KIND)


def reminder_key(reminder) -> str:
    """One event per (kind, object, stage) and the date it is about (a new due date, or a
    certificate renewed to a new expiry, is a new event)."""
    obj = reminder.object
    about = obj.expires_on if reminder.kind == services.KIND_CERTIFICATE_EXPIRY else obj.due_on
    return f"{reminder.kind}:{obj.pk}:{reminder.stage}:{about.isoformat()}"


def _message(reminder) -> tuple[str, str]:
    """(title, url) of a reminder, in the current language."""
    obj = reminder.object
    if reminder.kind == services.KIND_CERTIFICATE_EXPIRY:
        course = obj.enrolment.course
        values = {"course": obj.course_title or course.title, "date": date_format(obj.expires_on)}
        if reminder.stage == "expired":
            title = gettext("Your training certificate expired on %(date)s: %(course)s")
        else:
            title = gettext("Your training certificate expires on %(date)s: %(course)s")
        return title % values, course.url or ""
    values = {"course": obj.course.title, "date": date_format(obj.due_on)}
    if reminder.stage == "assigned":
        title = gettext("Course assigned to you, due on %(date)s: %(course)s")
    elif reminder.stage == "overdue":
        title = gettext("Assigned course overdue since %(date)s: %(course)s")
    else:
        title = gettext("Assigned course due on %(date)s: %(course)s")
    return title % values, obj.course.url or ""


def deliver(reminders) -> int:
    """Hand reminders (``services.Reminder``) to the notification service, which applies each
    member's preferences and checks access again when sending. Returns how many."""
    for reminder in reminders:
        title, url = _message(reminder)
        notify(
            reminder.kind,
            reminder.object,
            list(reminder.recipients),
            key=reminder_key(reminder),
            title=title,
            url=url,
        )
    return len(reminders)


def send_reminders(today=None) -> list:
    """Today's reminders (certificates expiring or expired, assigned courses due or overdue),
    notified once each and marked as sent. Returns them."""
    reminders = services.certificate_reminders(today) + services.assignment_reminders(today)
    deliver(reminders)
    services.mark_reminded(reminders, today)
    if reminders:
        logger.info("e-learning: %s reminder(s) notified", len(reminders))
    return reminders


def reminders_job() -> int:
    return len(send_reminders())


# Daily, before the morning's digests.
REMINDERS_JOB = jobs.Job(
    "elearning.reminders", _("E-learning reminders"), reminders_job, jobs.DAILY, hour=6
)
