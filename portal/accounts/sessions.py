"""An absolute session lifetime: a session ends 12 hours after login, however active it is."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.shortcuts import redirect

from portal.security_log import log_event

LOGIN_AT_KEY = "portal_login_at"


def _remember_login_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT_KEY] = int(time.time())


def connect_signals() -> None:
    user_logged_in.connect(_remember_login_time, dispatch_uid="session-login-at")


class AbsoluteSessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            login_at = request.session.get(LOGIN_AT_KEY)
            if login_at is None or time.time() - login_at > settings.SESSION_ABSOLUTE_SECONDS:
                log_event("session_expired", request)
                logout(request)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
