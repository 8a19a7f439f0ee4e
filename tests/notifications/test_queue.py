"""The queue for real: a worker process on Redis (django-tasks-rq) and on the database
(django-tasks-db, the embedded default), against a SQLite file shared with the test.

Nothing is lost while the worker is down: the task waits in Redis and the e-mail is sent when a
worker starts. An SMTP failure is retried by the worker after its delay (RQ's scheduler).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 10
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
RQ_WORKER = ["rqworker", "default", "--job-class", "django_tasks_rq.Job"]


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        reason = "no Redis on 127.0.0.1:6379: the real-worker queue tests need one"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return client


@pytest.fixture(scope="module")
def site():
    """A migrated portal in a temporary VAR_DIR, with one approved RSSI and one document.
    (Its own folder: pytest's shared temporary folders may be rotated by other runs.)"""
    var = Path(tempfile.mkdtemp(prefix="portal-queue-"))
    (var / "mail").mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.notifications.worker_settings",
        VAR_DIR=str(var),
        MAIL_DIR=str(var / "mail"),
        SECRET_KEY="queue-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        TASKS_REDIS_URL=REDIS_URL,
        NOTIFICATIONS_RETRY_DELAYS="1,1,1",
        PYTHONUNBUFFERED="1",
    )
    run(env, "manage.py", "migrate", "--noinput", "-v0")
    run(env, "-m", "tests.notifications.scenario", "setup")
    yield {"env": env, "var": var}
    shutil.rmtree(var, ignore_errors=True)


def run(env, *args, timeout=300, **extra) -> str:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env | extra,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr[-3000:]}"
    return result.stdout


def mails(site) -> str:
    return "".join(p.read_text() for p in sorted((site["var"] / "mail").glob("*.log")))


def state(site, title):
    return json.loads(run(site["env"], "-m", "tests.notifications.scenario", "state", title))


def test_rq_task_queued_while_the_worker_is_down_is_sent_when_it_returns(site):
    redis = _redis()
    redis.flushdb()
    run(site["env"], "-m", "tests.notifications.scenario", "notify", "Titre RQ 1",
        TASKS_BACKEND="rq")  # fmt: skip
    # No worker yet: the fan-out waits in Redis, nothing is sent.
    assert redis.llen("rq:queue:default") == 1
    assert "Titre RQ 1" not in mails(site) and state(site, "Titre RQ 1") == []
    # A worker starts (and stops once the queue is empty): fan-out, then the e-mail.
    run(site["env"], "manage.py", *RQ_WORKER, "--burst", TASKS_BACKEND="rq")
    assert "Titre RQ 1" in mails(site)
    assert "To: rssi@file.example" in mails(site)
    assert state(site, "Titre RQ 1") == [{"email_state": "sent", "email_attempts": 0}]
    assert redis.llen("rq:queue:default") == 0
    redis.flushdb()


def test_rq_worker_retries_an_smtp_failure_after_its_delay(site):
    redis = _redis()
    redis.flushdb()
    (site["var"] / "fail-once").touch()
    run(site["env"], "-m", "tests.notifications.scenario", "notify", "Titre RQ 2",
        TASKS_BACKEND="rq")  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "manage.py", *RQ_WORKER, "--with-scheduler"],
        cwd=ROOT,
        env=site["env"] | {"TASKS_BACKEND": "rq"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while "Titre RQ 2" not in mails(site) and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        redis.flushdb()
    assert not (site["var"] / "fail-once").exists()  # the first attempt was refused
    assert mails(site).count("Subject:") == 2  # the two tests' e-mails, one each
    assert state(site, "Titre RQ 2") == [{"email_state": "sent", "email_attempts": 1}]


def test_database_queue_worker_sends_what_was_queued(site):
    run(site["env"], "-m", "tests.notifications.scenario", "notify", "Titre DB 1",
        TASKS_BACKEND="database")  # fmt: skip
    assert "Titre DB 1" not in mails(site)
    run(site["env"], "manage.py", "db_worker", "--batch", "--no-startup-delay",
        TASKS_BACKEND="database")  # fmt: skip
    assert "Titre DB 1" in mails(site)
    assert state(site, "Titre DB 1") == [{"email_state": "sent", "email_attempts": 0}]
