"""Today's e-learning reminders (certificates expiring or expired, assigned courses due or
overdue), by hand: the daily periodic job ``elearning.reminders`` (``manage.py periodic``) does
the same. Each reminder is notified once, however many times this runs."""

from django.core.management.base import BaseCommand

from elearning import notifications, services


class Command(BaseCommand):
    help = "Hand today's e-learning reminders to the notification service."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list the reminders without handing them over"
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            reminders = services.certificate_reminders() + services.assignment_reminders()
        else:
            reminders = notifications.send_reminders()
        for reminder in reminders:
            recipients = ", ".join(str(user.pk) for user in reminder.recipients)
            self.stdout.write(f"{reminder.kind} ({reminder.stage}) -> member(s) {recipients}")
        if dry_run:
            self.stdout.write(f"{len(reminders)} reminder(s), none handed over (--dry-run)")
        else:
            self.stdout.write(f"{len(reminders)} reminder(s) handed to the notification service")
