"""Two-factor authentication: mandatory for sensitive roles, encrypted secrets, single-use codes."""

import base64
import hmac
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from portal.access import Role
from tests.portal.factories import EstablishmentFactory, MemberFactory, can_log_in, home_page

pytestmark = pytest.mark.django_db
PASSWORD = "une-phrase-de-passe-solide"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str, at: float | None = None) -> str:
    """RFC 6238, computed here independently of the library under test."""
    counter = int((at or time.time()) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), "sha1").digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _member(role, email):
    home_page()
    user = MemberFactory(
        username=email,
        email=email,
        profile__roles={role},
        profile__establishment=EstablishmentFactory(),
        profile__mfa=False,
    )
    return can_log_in(user, PASSWORD)


def _login(client, user):
    return client.post("/compte/login/", {"login": user.email, "password": PASSWORD})


@pytest.mark.parametrize(
    "role", [Role.RSSI, Role.DSI, Role.MODERATOR, Role.EDITOR, Role.REGIONAL_ADMIN]
)
def test_sensitive_roles_are_taken_to_mfa_setup_before_anything_else(client, role):
    user = _member(role, f"{role}@chu.example")
    _login(client, user)
    for path in ("/", "/recherche/?q=x", "/adhesion/statut/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/compte/2fa/totp/activate/"
    # Setting up a factor is a sensitive change: the password is asked again first.
    setup = client.get("/compte/2fa/totp/activate/")
    assert setup.status_code == 302 and setup["Location"].startswith("/compte/reauthenticate/")
    client.post(setup["Location"], {"password": PASSWORD})
    assert client.get("/compte/2fa/totp/activate/").status_code == 200


@pytest.mark.parametrize("role", [Role.CAREGIVER, Role.DIRECTOR, Role.DPO])
def test_other_roles_are_not_forced(client, role):
    user = _member(role, f"{role}@chu.example")
    _login(client, user)
    assert client.get("/").status_code == 200


def test_totp_secret_is_encrypted_at_rest():
    user = _member(Role.RSSI, "rssi@chu.example")
    authenticator = TOTP.activate(user, SECRET).instance
    stored = Authenticator.objects.get(pk=authenticator.pk).data["secret"]
    assert SECRET not in stored and stored != SECRET
    assert SECRET not in str(
        Authenticator.objects.filter(pk=authenticator.pk).values_list("data", flat=True)[0]
    )


def _login_with_code(user, code):
    client = Client()
    first = _login(client, user)
    assert first["Location"] == "/compte/2fa/authenticate/"
    client.post("/compte/2fa/authenticate/", {"code": code})
    return client


def test_totp_login_and_reused_code_refused():
    user = _member(Role.RSSI, "rssi@chu.example")
    TOTP.activate(user, SECRET)
    code = totp_code(SECRET)
    first = _login_with_code(user, code)
    assert "_auth_user_id" in first.session
    assert first.get("/").status_code == 200  # MFA set up: no longer redirected
    second = _login_with_code(user, code)
    assert "_auth_user_id" not in second.session


def test_recovery_code_is_single_use():
    user = _member(Role.RSSI, "rssi@chu.example")
    TOTP.activate(user, SECRET)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    assert "_auth_user_id" in _login_with_code(user, codes[0]).session
    assert "_auth_user_id" not in _login_with_code(user, codes[0]).session
    assert "_auth_user_id" in _login_with_code(user, codes[1]).session


def test_a_wrong_code_is_refused_and_logged(caplog):
    import logging

    user = _member(Role.RSSI, "rssi@chu.example")
    TOTP.activate(user, SECRET)
    wrong = f"{(int(totp_code(SECRET)) + 1) % 1_000_000:06d}"
    with caplog.at_level(logging.INFO, logger="portal.security"):
        client = _login_with_code(user, wrong)
    assert "_auth_user_id" not in client.session
    assert any(f"event=mfa_failure user={user.pk}" in r.getMessage() for r in caplog.records)
    assert not any(wrong in r.getMessage() or SECRET in r.getMessage() for r in caplog.records)
