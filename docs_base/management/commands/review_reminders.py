"""Daily: notify each document owner of their documents past their review date."""

from django.core.management.base import BaseCommand

from docs_base.documents.lifecycle import send_review_reminders


class Command(BaseCommand):
    help = (
        "Notify each owner of the documents past their review date (a periodic job: "
        "`manage.py periodic` runs it every morning)."
    )

    def handle(self, *args, **options):
        documents, owners = send_review_reminders()
        self.stdout.write(f"{documents} document(s) to review, {owners} owner(s) notified.")
