"""Build a realistic French demo portal, idempotently (a second run changes nothing).

The steps are those every module declares (``PortalModule.demo_steps``)."""

import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from portal import demo

DEFAULT_DEMO_PASSWORD = "vigilance-partagee-2026"  # noqa: S105  (demo mode only)


class Command(BaseCommand):
    help = "Load the demo content of every module (idempotent)."

    def handle(self, *args, **options):
        ctx = demo.DemoContext(
            demo_mode=settings.DEMO_MODE,
            password=os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD),
            write=lambda text: self.stdout.write(f"      {text}"),
        )
        steps = demo.steps()
        for number, step in enumerate(steps, start=1):
            self.stdout.write(f"[{number}/{len(steps)}] {step.label}…")
            started = time.monotonic()
            with transaction.atomic():
                step.run(ctx)
            self.stdout.write(f"      ok ({time.monotonic() - started:.1f} s)")
        self._print_logins(ctx)

    def _print_logins(self, ctx):
        if not ctx.demo_mode:
            self.stdout.write("Demo accounts were created without passwords (DEMO_MODE is off).")
            return
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Comptes de démonstration (un par rôle) :"))
        for role, email, establishment in ctx.logins:
            self.stdout.write(f"  {role:<55} {email:<45} {establishment}")
        self.stdout.write(f"  Mot de passe commun : {ctx.password}")
