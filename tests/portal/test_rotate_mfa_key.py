"""Rotating MFA_ENCRYPTION_KEY: the two-factor secrets are re-encrypted, all or nothing."""

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.test import override_settings

from portal.access import Role
from tests.portal.factories import TEST_TOTP_SECRET, MemberFactory

pytestmark = pytest.mark.django_db


def test_secrets_are_re_encrypted_with_the_new_key(settings, monkeypatch):
    old_key = settings.MFA_ENCRYPTION_KEY
    MemberFactory(profile__roles={Role.RSSI})  # TOTP set up with the current key
    monkeypatch.setenv("OLD_MFA_ENCRYPTION_KEY", old_key)
    with override_settings(MFA_ENCRYPTION_KEY="a-brand-new-key-for-the-totp-secrets"):
        call_command("rotate_mfa_key", stdout=(out := __import__("io").StringIO()))
        (totp,) = Authenticator.objects.filter(type="totp")
        assert get_adapter().decrypt(totp.data["secret"]) == TEST_TOTP_SECRET
    assert "1 authenticator(s) re-encrypted." in out.getvalue()


def test_a_wrong_old_key_changes_nothing(monkeypatch):
    MemberFactory(profile__roles={Role.RSSI})
    before = Authenticator.objects.get(type="totp").data
    monkeypatch.setenv("OLD_MFA_ENCRYPTION_KEY", "not-the-key")
    with override_settings(MFA_ENCRYPTION_KEY="a-brand-new-key"), pytest.raises(CommandError):
        call_command("rotate_mfa_key")
    assert Authenticator.objects.get(type="totp").data == before
