"""Two-factor authentication: secrets encrypted at rest, and mandatory for sensitive roles."""

import base64
import hashlib

from allauth.mfa.adapter import DefaultMFAAdapter, get_adapter
from cryptography.fernet import Fernet
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from portal.access import membership_of
from portal.access.roles import Role

# Roles that may not use the portal without a second factor.
MFA_REQUIRED_ROLES = frozenset(
    {Role.RSSI, Role.DSI, Role.MODERATOR, Role.EDITOR, Role.REGIONAL_ADMIN}
)


def _fernet(key: str | None = None) -> Fernet:
    # MFA_ENCRYPTION_KEY comes from the environment; 32 bytes are derived from it.
    digest = hashlib.sha256((key or settings.MFA_ENCRYPTION_KEY).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class MfaAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _fernet().decrypt(encrypted_text.encode()).decode()

    def get_totp_issuer(self) -> str:
        return settings.PORTAL_NAME


def mfa_required(user) -> bool:
    member = membership_of(user)
    return member.is_superuser or bool(member.roles & MFA_REQUIRED_ROLES)


class RequireMfaMiddleware:
    """A member of a sensitive role without a second factor is taken to its set-up first."""

    ALLOWED_URL_NAMES = (
        "mfa_activate_totp",
        "mfa_index",
        "mfa_add_webauthn",
        "mfa_generate_recovery_codes",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "account_logout",
        "account_reauthenticate",
    )

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed_paths = None

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(settings.STATIC_URL)
            and mfa_required(user)
            and request.path not in self.allowed_paths()
            and not get_adapter().is_mfa_enabled(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def allowed_paths(self) -> set[str]:
        """The set-up, recovery-code and logout pages, in every language (computed once)."""
        if self._allowed_paths is None:
            paths = set()
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    paths.update(reverse(name) for name in self.ALLOWED_URL_NAMES)
            self._allowed_paths = paths
        return self._allowed_paths
