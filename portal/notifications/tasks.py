"""The notification service's background work (see portal.notifications.services)."""

from django_tasks import default_task_backend, task

from portal.notifications import jobs, services


@task()
def fan_out(payload: dict) -> int:
    return services.fan_out(payload)


@task()
def send_emails(ids: list[int]) -> int:
    return services.send_emails(ids)


@task()
def send_digest(user_id: int, channel: str) -> int:
    return services.send_digest(user_id, channel)


@task()
def run_job(name: str) -> None:
    jobs.get(name).run()


def defer(task_, run_after, *args) -> None:
    """Queue ``task_`` for ``run_after``; a backend that cannot wait (the immediate one) leaves it
    to ``services.retry_due``, which the scheduler runs at every tick."""
    if default_task_backend.supports_defer:
        task_.using(run_after=run_after).enqueue(*args)
