"""Accounts through django-allauth: e-mail login, verification, rate limits, password policy."""

import socket

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import caches
from django.test import Client

from tests.portal.factories import EstablishmentFactory, MemberFactory, can_log_in, home_page

pytestmark = pytest.mark.django_db
PASSWORD = "une-phrase-de-passe-solide"


@pytest.fixture
def member():
    home_page()
    user = MemberFactory(username="rssi@chu.example", email="rssi@chu.example")
    return can_log_in(user, PASSWORD)


def _login(client, email, password):
    return client.post("/compte/login/", {"login": email, "password": password})


def test_login_by_email(client, member):
    response = _login(client, member.email, PASSWORD)
    assert response.status_code == 302
    assert "Se déconnecter" in client.get("/").content.decode()


def test_wrong_password_is_refused_with_a_french_message(client, member):
    response = _login(client, member.email, "pas-le-bon-mot-de-passe")
    assert response.status_code == 200
    assert "mot de passe sont incorrects" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unverified_address_cannot_log_in(client, member):
    EmailAddress.objects.filter(user=member).update(verified=False)
    response = _login(client, member.email, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    assert len(mail.outbox) == 1


def _redis_available() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_available(), reason="Redis is not running on 127.0.0.1:6379")
def test_sixth_failed_login_within_five_minutes_is_refused_even_with_the_right_password(
    settings, member
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/11",
        }
    }
    caches["default"].clear()
    try:
        client = Client()
        for _ in range(5):
            assert _login(client, member.email, "mauvais-mot-de-passe-1").status_code == 200
        response = _login(client, member.email, PASSWORD)
        assert response.status_code == 200
        assert "Trop de tentatives" in response.content.decode()
        assert "_auth_user_id" not in client.session
    finally:
        caches["default"].clear()


def test_password_reset_answers_identically_for_known_and_unknown_addresses(client, member):
    known = client.post("/compte/password/reset/", {"email": member.email})
    unknown = client.post("/compte/password/reset/", {"email": "personne@inconnu.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [m.to for m in mail.outbox] == [[member.email], ["personne@inconnu.example"]]


def _signup_data(establishment):
    return {
        "password1": "un-autre-secret-partage",
        "password2": "un-autre-secret-partage",
        "first_name": "Léa",
        "last_name": "Martin",
        "establishment": establishment.pk,
        "roles": ["caregiver"],
    }


def test_signup_answers_identically_for_known_and_unknown_addresses(client, member):
    data = _signup_data(EstablishmentFactory())
    known = client.post("/compte/signup/", {"email": member.email, **data})
    unknown = Client().post("/compte/signup/", {"email": "nouvelle@ch.example", **data})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_signup_sends_a_verification_email(client, member):
    data = _signup_data(EstablishmentFactory())
    client.post("/compte/signup/", {"email": "nouvelle@ch.example", **data})
    assert mail.outbox[-1].to == ["nouvelle@ch.example"]
    assert "/compte/confirm-email/" in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("court-11car", False),
        ("douze-caract", True),
        ("1qaz2wsx3edc", False),  # common
        ("grenoble-2026", False),  # establishment city in a name
        ("CHUGrenobleAlpes1", False),  # establishment name
        ("auvergnerhonealpes", False),  # region
        ("mot " * 16 + "et encore", True),  # 73 characters: passphrases welcome
        ("x" * 129, False),
    ],
)
def test_password_policy(password, accepted):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    EstablishmentFactory(finess="380780080", name="CHU Grenoble Alpes")
    try:
        validate_password(password)
        result = True
    except ValidationError:
        result = False
    assert result is accepted


@pytest.mark.parametrize("path", ["/compte/login/", "/compte/logout/", "/compte/signup/"])
def test_csrf_is_enforced(member, path):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(path, {"login": member.email, "password": PASSWORD})
    assert response.status_code == 403


def test_deploy_check_refuses_a_cache_not_shared_across_processes(settings):
    from portal.checks import check_shared_cache

    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [e.id for e in check_shared_cache(None)] == ["portal.E003"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    assert check_shared_cache(None) == []
    settings.CACHES = {"default": {"BACKEND": "portal.cache.RedisCache"}}  # what REDIS_URL sets
    assert check_shared_cache(None) == []


def test_security_events_are_logged_in_utc_without_secrets(client, member, caplog):
    import logging

    from portal.access import AccessLevel
    from portal.security_log import UTCFormatter
    from tests.portal.factories import standard_page

    restricted = standard_page(title="Réservé", slug="reserve", access_level=AccessLevel.MEMBERS)
    with caplog.at_level(logging.INFO, logger="portal.security"):
        _login(client, member.email, "pas-le-bon-mot-de-passe")
        _login(client, member.email, PASSWORD)
        client.logout()
        client.get(restricted.url)
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert any("event=login_failure" in line and member.email in line for line in lines)
    assert any(f"event=login_success user={member.pk} ip=127.0.0.1" in line for line in lines)
    assert any("event=restricted_content_denied" in line for line in lines)
    assert not any(PASSWORD in line or "pas-le-bon" in line for line in lines)
    stamp = UTCFormatter("%(asctime)s").format(caplog.records[0])
    assert stamp.endswith("Z") and "T" in stamp


def test_login_rotates_the_session_key(client, member):
    session = client.session  # an anonymous session, as a visitor who browsed first
    session["seen"] = True
    session.save()
    client.cookies["sessionid"] = before = session.session_key
    _login(client, member.email, PASSWORD)
    assert client.session.session_key != before and client.session["_auth_user_id"]


def test_session_ends_twelve_hours_after_login_however_active(client, member, monkeypatch):
    import time

    from portal.accounts import sessions

    _login(client, member.email, PASSWORD)
    assert client.get("/").status_code == 200 and "_auth_user_id" in client.session
    later = time.time() + 12 * 3600 + 1
    monkeypatch.setattr(sessions.time, "time", lambda: later)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/compte/login/"
    assert "_auth_user_id" not in client.session


def test_signup_hashes_the_password_for_known_and_unknown_addresses_alike(
    client, member, monkeypatch
):
    """Same work on both paths: the answer's timing does not tell who is registered."""
    from django.contrib.auth.hashers import get_hasher

    hasher_class = type(get_hasher())
    calls = []
    original = hasher_class.encode
    monkeypatch.setattr(
        hasher_class, "encode", lambda self, *a, **kw: calls.append(1) or original(self, *a, **kw)
    )
    data = _signup_data(EstablishmentFactory())
    client.post("/compte/signup/", {"email": member.email, **data})
    known = len(calls)
    Client().post("/compte/signup/", {"email": "nouvelle@ch.example", **data})
    unknown = len(calls) - known
    assert known == unknown == 1
