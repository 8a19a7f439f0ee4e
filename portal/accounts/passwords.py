"""Password rules beyond Django's: no context words, and long passphrases welcome."""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal import region
from portal.accounts.models import Establishment

MAX_LENGTH = 128
# Words an attacker tries first against a regional health portal.
FIXED_WORDS = {"ars", "chu", "ch", "gcs", "ght", "ehpad", "sante", "hopital", "cyber", "portail"}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def context_words() -> set[str]:
    """Region, operator and establishment names (each word of 4+ letters), folded."""
    current = region.current()
    texts = [current.name, current.ars_name, current.gcs_name, settings.PORTAL_NAME]
    texts += list(current.departments.values())
    texts += list(Establishment.objects.values_list("name", flat=True))
    words = set(FIXED_WORDS)
    for text in texts:
        words.update(w for w in map(_fold, re.split(r"[\s'’\-]+", text)) if len(w) >= 4)
        words.add(_fold(text))
    return {w for w in words if w}


class ContextWordsValidator:
    """Refuses a password that is mostly a context word (portal, region, establishment)."""

    def validate(self, password, user=None):
        folded = _fold(password)
        # A context word plus fewer than 8 other characters is guessable.
        if any(word in folded and len(folded) - len(word) < 8 for word in context_words()):
            raise ValidationError(
                _(
                    "This password is too close to a name of the portal, the region or an "
                    "establishment."
                ),
                code="password_context_word",
            )

    def get_help_text(self):
        return _(
            "Your password must not be built on the name of the portal, the region or an "
            "establishment."
        )


class MaximumLengthValidator:
    """Passphrases up to 128 characters are accepted; longer ones are refused (hashing cost)."""

    def validate(self, password, user=None):
        if len(password) > MAX_LENGTH:
            raise ValidationError(
                _("This password is longer than %(max)d characters."),
                code="password_too_long",
                params={"max": MAX_LENGTH},
            )

    def get_help_text(self):
        return _("Use at least 12 characters; a passphrase of several words is ideal.")
