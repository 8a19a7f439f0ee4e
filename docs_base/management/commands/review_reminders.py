"""Daily: e-mail each document owner the list of their documents past their review date."""

from django.core.management.base import BaseCommand

from docs_base.documents.lifecycle import send_review_reminders


class Command(BaseCommand):
    help = "E-mail each owner the documents past their review date (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        sent = send_review_reminders()
        self.stdout.write(f"{sent} review reminder(s) sent.")
