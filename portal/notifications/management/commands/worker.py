"""Run the background worker of the configured queue (TASKS_BACKEND), or check its health."""

from datetime import UTC, timedelta

import django_rq
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rq import Worker

STUCK_AFTER = timedelta(minutes=15)


class Command(BaseCommand):
    help = (
        "Run the task worker: `db_worker` for the database queue (embedded default), RQ's "
        "worker (with its scheduler, for delayed retries) for the Redis queue. --check exits 1 "
        "when no worker is there or a task has waited more than 15 minutes (health checks)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="stop once the queue is empty")
        parser.add_argument("--check", action="store_true", help="health check, then exit")

    def handle(self, *args, burst, check, **options):
        backend = settings.TASKS_BACKEND
        if check:
            return self.check_health(backend)
        if backend == "database":
            extra = ["--batch"] if burst else []
            call_command(
                "db_worker", "--no-reload", "--interval", "1", *extra,
                verbosity=options["verbosity"],
            )  # fmt: skip
        elif backend == "rq":
            extra = ["--burst"] if burst else []
            call_command(
                "rqworker", "default", "--job-class", "django_tasks_rq.Job",
                "--with-scheduler", *extra,
            )  # fmt: skip
        else:
            self.stdout.write(f"TASKS_BACKEND={backend}: tasks run in process, no worker needed.")

    def check_health(self, backend):
        oldest = None
        if backend == "rq":
            queue = django_rq.get_queue("default")
            if not Worker.all(queue=queue):
                raise CommandError("No RQ worker is listening on the queue.")
            if job_ids := queue.get_job_ids(0, 0):
                job = queue.fetch_job(job_ids[0])
                oldest = job.enqueued_at if job else None
        elif backend == "database":
            waiting = DBTaskResult.objects.ready().order_by("enqueued_at").first()
            oldest = waiting.enqueued_at if waiting else None
        if oldest is not None:
            if timezone.is_naive(oldest):
                oldest = oldest.replace(tzinfo=UTC)
            if timezone.now() - oldest > STUCK_AFTER:
                raise CommandError(f"A task has waited since {oldest.isoformat()}.")
        self.stdout.write("ok")
