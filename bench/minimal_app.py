"""Reference point for the benchmark: the cheapest possible Django response.

Served by gunicorn as ``minimal_app:application`` (with ``bench/`` on the Python path).
"""

import secrets

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY=secrets.token_urlsafe(32),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
)


def ok(request):
    return HttpResponse("ok")


urlpatterns = [path("", ok)]

application = get_wsgi_application()
