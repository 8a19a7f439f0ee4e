"""Re-encrypt the two-factor secrets after MFA_ENCRYPTION_KEY changed (see the runbook)."""

import os

from allauth.mfa.models import Authenticator
from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.accounts.mfa import _fernet

ENCRYPTED_FIELDS = ("secret", "seed")  # TOTP secret, recovery codes' seed


class Command(BaseCommand):
    help = (
        "Re-encrypt every TOTP secret and recovery-code seed with the current "
        "MFA_ENCRYPTION_KEY; the former key is read from OLD_MFA_ENCRYPTION_KEY. All or nothing."
    )

    def handle(self, *args, **options):
        old_key = os.environ.get("OLD_MFA_ENCRYPTION_KEY", "")
        if not old_key:
            raise CommandError("Set OLD_MFA_ENCRYPTION_KEY to the former key.")
        old, new = _fernet(old_key), _fernet()
        count = 0
        with transaction.atomic():
            for authenticator in Authenticator.objects.select_for_update().order_by("pk"):
                fields = [f for f in ENCRYPTED_FIELDS if authenticator.data.get(f)]
                for field in fields:
                    try:
                        plain = old.decrypt(authenticator.data[field].encode())
                    except InvalidToken:
                        raise CommandError(
                            f"Authenticator {authenticator.pk} was not encrypted with "
                            "OLD_MFA_ENCRYPTION_KEY: nothing was changed."
                        ) from None
                    authenticator.data[field] = new.encrypt(plain).decode()
                if fields:
                    authenticator.save(update_fields=["data"])
                    count += 1
        self.stdout.write(f"{count} authenticator(s) re-encrypted.")
