"""Error pages in the portal's look. The 500 page renders without touching the database."""

import logging

from django.conf import settings
from django.http import HttpResponseServerError
from django.template import loader

from portal import region

logger = logging.getLogger(__name__)


def server_error(request):
    context = {"portal_name": settings.PORTAL_NAME, "region": region.current()}
    try:
        body = loader.get_template("500.html").render(context)
    except Exception:  # the error page itself must never fail
        logger.exception("500 template failed to render")
        body = "<h1>Erreur inattendue / Unexpected error</h1>"
    return HttpResponseServerError(body)
