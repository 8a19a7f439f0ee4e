"""Compute today's e-learning reminders (certificates expiring or expired, assigned courses
due or overdue) and hand them to the portal's notification service. Run it daily, e.g.
``0 7 * * * cd /srv/cyberportail && .venv/bin/python manage.py elearning_reminders``."""

from django.core.management.base import BaseCommand

from elearning import module, services


class Command(BaseCommand):
    help = "Hand today's e-learning reminders to the notification service."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list the reminders without handing them over"
        )

    def handle(self, *args, dry_run=False, **options):
        reminders = services.certificate_reminders() + services.assignment_reminders()
        for reminder in reminders:
            recipients = ", ".join(str(user.pk) for user in reminder.recipients)
            self.stdout.write(f"{reminder.kind} ({reminder.stage}) -> member(s) {recipients}")
        if dry_run:
            self.stdout.write(f"{len(reminders)} reminder(s), none handed over (--dry-run)")
            return
        delivered = module.deliver(reminders)
        if delivered:
            services.mark_reminded(reminders)
        self.stdout.write(
            f"{len(reminders)} reminder(s), {delivered} handed to the notification service"
            + ("" if delivered or not reminders else " (service not installed: kept for later)")
        )
