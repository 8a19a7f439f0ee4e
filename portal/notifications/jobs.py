"""Periodic jobs: digests, reminders, pruning. One way to run them, in both profiles:
``manage.py periodic`` (one tick, for cron) or ``manage.py periodic --loop`` (a scheduler
process). A tick queues each job that is due as a task; a daily or weekly job runs once per
period however many ticks there are (``PeriodicRun``), and catches up if the scheduler was down.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.notifications import services
from portal.notifications.kinds import Channel
from portal.notifications.models import PeriodicRun

TICK, DAILY, WEEKLY = "tick", "daily", "weekly"


@dataclass(frozen=True)
class Job:
    name: str
    label: str
    run: Callable[[], object]
    every: str = DAILY  # TICK (every tick), DAILY or WEEKLY (on Mondays)
    hour: int = 0  # local time from which a daily or weekly job is due


_jobs: dict[str, Job] = {}


def register(job: Job) -> None:
    _jobs[job.name] = job


def get(name: str) -> Job:
    return _jobs[name]


def all_jobs() -> list[Job]:
    return list(_jobs.values())


def period_of(job: Job, now=None) -> str | None:
    """The period a due job runs for, or None when it is not due yet."""
    local = timezone.localtime(now)
    if job.every == TICK:
        return local.strftime("%Y-%m-%dT%H:%M")
    if local.hour < job.hour:
        return None
    if job.every == WEEKLY:
        if local.weekday() != 0 and not _missed_monday(job, local):
            return None
        year, week, _day = local.isocalendar()
        return f"{year}-W{week:02d}"
    return local.date().isoformat()


def _missed_monday(job, local) -> bool:
    """A weekly job whose Monday run was missed runs later that week."""
    year, week, _day = local.isocalendar()
    return not PeriodicRun.objects.filter(job=job.name, period=f"{year}-W{week:02d}").exists()


def tick(now=None) -> list[str]:
    """Queue every job that is due and has not run for its period; returns their names."""
    from portal.notifications import tasks  # cycle: the tasks import this module

    queued = []
    for job in all_jobs():
        period = period_of(job, now)
        if period is None:
            continue
        try:
            # The run is recorded with its queueing: if the queue is unreachable, the next
            # tick tries again.
            with transaction.atomic():
                if job.every != TICK:
                    PeriodicRun.objects.create(job=job.name, period=period)
                tasks.run_job.enqueue(job.name)
        except IntegrityError:
            continue  # already run for this period
        queued.append(job.name)
    return queued


def register_portal_jobs() -> None:
    hour = settings.NOTIFICATIONS_DIGEST_HOUR
    register(Job("notifications.retry", _("Retry e-mails"), services.retry_due, TICK))
    register(
        Job(
            "notifications.daily_digest",
            _("Daily digests"),
            lambda: services.queue_digests(Channel.DAILY),
            DAILY,
            hour,
        )
    )
    register(
        Job(
            "notifications.weekly_digest",
            _("Weekly digests"),
            lambda: services.queue_digests(Channel.WEEKLY),
            WEEKLY,
            hour,
        )
    )
    register(Job("notifications.prune", _("Prune old notifications"), services.prune, DAILY, 3))
