"""Security events, logged in UTC with user and IP, never with a secret."""

import logging
import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

logger = logging.getLogger("portal.security")


class UTCFormatter(logging.Formatter):
    converter = time.gmtime

    def formatTime(self, record, datefmt=None):  # noqa: N802  (logging's API)
        return time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created)) + "Z"


def client_ip(request) -> str:
    # REMOTE_ADDR is the proxy's address behind a proxy; the proxy sets X-Forwarded-For.
    return request.META.get("REMOTE_ADDR", "-") if request is not None else "-"


def log_event(event: str, request=None, user=None, **fields) -> None:
    if user is None and request is not None:
        user = getattr(request, "user", None)
    user_id = user.pk if user is not None and getattr(user, "is_authenticated", False) else "-"
    details = " ".join(f"{key}={value}" for key, value in sorted(fields.items()))
    logger.info("event=%s user=%s ip=%s %s", event, user_id, client_ip(request), details)


def _logged_in(sender, request, user, **kwargs):
    log_event("login_success", request, user)


def _logged_out(sender, request, user, **kwargs):
    log_event("logout", request, user)


def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the identifier the person typed: never the password.
    identifier = credentials.get("email") or credentials.get("username") or "-"
    log_event("login_failure", request, None, login=identifier)


def _mfa_failed(sender, request, user, **kwargs):
    log_event("mfa_failure", request, user)


def connect_signals() -> None:
    # Not at the top: the logging settings load this module before the apps, and allauth's
    # signals module imports its models.
    from allauth.mfa.signals import authentication_failed

    authentication_failed.connect(_mfa_failed, dispatch_uid="security-mfa-failed")
    user_logged_in.connect(_logged_in, dispatch_uid="security-login")
    user_logged_out.connect(_logged_out, dispatch_uid="security-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="security-login-failed")
