"""Run the periodic jobs: one tick (for cron), a scheduler loop, or one job now."""

import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from portal.notifications import jobs, tasks

logger = logging.getLogger(__name__)
HEARTBEAT = settings.VAR_DIR / "scheduler.heartbeat"


class Command(BaseCommand):
    help = (
        "Queue the periodic jobs that are due (digests, reminders, pruning, e-mail retries). "
        "Run it every few minutes from cron, or once with --loop as the scheduler process."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="tick forever (scheduler)")
        parser.add_argument("--interval", type=int, default=60, help="seconds between ticks")
        parser.add_argument("--run", metavar="JOB", help="queue this job now, whatever the time")
        parser.add_argument("--list", action="store_true", help="list the jobs and their times")
        parser.add_argument(
            "--check", action="store_true", help="health check: the scheduler ticked lately"
        )

    def handle(self, *args, loop, interval, run, list, check, **options):
        if check:
            age = time.time() - HEARTBEAT.stat().st_mtime if HEARTBEAT.exists() else None
            if age is None or age > 3 * interval:
                raise CommandError("The scheduler has not ticked lately.")
            self.stdout.write("ok")
            return
        if list:
            for job in jobs.all_jobs():
                when = job.every if job.every == jobs.TICK else f"{job.every} {job.hour:02d}:00"
                self.stdout.write(f"{job.name:<32} {when:<14} {job.label}")
            return
        if run:
            try:
                jobs.get(run)
            except KeyError:
                raise CommandError(f"Unknown job {run!r}; see --list.") from None
            tasks.run_job.enqueue(run)
            self.stdout.write(f"{run} queued.")
            return
        if not loop:
            self._tick()
            return
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        self.stdout.write(f"Scheduler: a tick every {interval} s (Ctrl-C to stop).")
        try:
            while not stopping:
                try:
                    self._tick()
                except DatabaseError as error:  # e.g. the database restarting: next tick
                    logger.warning("Periodic jobs not queued this time: %s", error)
                for _second in range(interval):
                    if stopping:
                        break
                    time.sleep(1)
        except KeyboardInterrupt:
            pass

    def _tick(self):
        HEARTBEAT.touch()
        queued = [name for name in jobs.tick() if name != "notifications.retry"]
        if queued:
            self.stdout.write("Queued: " + ", ".join(queued))
