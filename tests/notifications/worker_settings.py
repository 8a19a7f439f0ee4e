"""Settings of the real-worker tests: the portal's own, with an e-mail backend that writes
files and can be told to refuse the next message (tests/notifications/test_queue.py)."""

from portal.settings import *  # noqa: F403
from portal.settings import env

EMAIL_BACKEND = "tests.notifications.worker_settings.FlakyFileBackend"
EMAIL_FILE_PATH = env("MAIL_DIR")

from django.core.mail.backends.filebased import EmailBackend  # noqa: E402


class FlakyFileBackend(EmailBackend):
    """Writes each message to EMAIL_FILE_PATH; refuses one if a ``fail-once`` file is there."""

    def send_messages(self, email_messages):
        import smtplib
        from pathlib import Path

        marker = Path(EMAIL_FILE_PATH).parent / "fail-once"
        if marker.exists():
            marker.unlink()
            raise smtplib.SMTPServerDisconnected("the relay went away (test)")
        return super().send_messages(email_messages)
