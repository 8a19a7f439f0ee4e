import sys
import time

from django.core.management.base import BaseCommand, CommandError

from search import rebuild
from search.backends.base import SearchUnavailable


class Command(BaseCommand):
    help = "Rebuild the search index, or report drift between the content and the index."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "check"])

    def handle(self, *args, action, **options):
        try:
            if action == "rebuild":
                self.rebuild_index()
            else:
                self.check_index()
        except SearchUnavailable as error:
            raise CommandError(f"Elasticsearch is unavailable: {error}") from error

    def rebuild_index(self):
        total = rebuild.expected_total()
        started = time.monotonic()
        width = 30
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else False

        def progress(done):
            if not interactive and done != total and done % 10_000:
                return
            filled = int(width * min(done, total) / total) if total else width
            bar = "█" * filled + "·" * (width - filled)
            end = "\r" if interactive else "\n"
            self.stdout.write(f"  [{bar}] {done:>9,} / {total:,}", ending=end)
            if interactive:
                sys.stdout.flush()

        counts = rebuild.rebuild(progress)
        if interactive:
            self.stdout.write("")
        for backend, count in counts.items():
            self.stdout.write(
                self.style.SUCCESS(f"{backend}: {count:,} documents indexed")
                + f" ({time.monotonic() - started:.1f} s)"
            )

    def check_index(self):
        drifted = False
        for backend, drift in rebuild.check().items():
            if not drift:
                self.stdout.write(self.style.SUCCESS(f"{backend}: in line with its source"))
                continue
            drifted = True
            self.stdout.write(self.style.WARNING(f"{backend}: drift found"))
            for label, keys in (
                ("missing", drift.missing),
                ("stale", drift.stale),
                ("outdated", drift.outdated),
            ):
                if keys:
                    shown = ", ".join(keys[:10]) + (" …" if len(keys) > 10 else "")
                    self.stdout.write(f"  {label}: {len(keys)} ({shown})")
        if drifted:
            raise CommandError("The index has drifted: run `manage.py search_index rebuild`.")
