"""Error pages in the portal's look. The 500 page renders without touching the database."""

import logging

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from portal import region
from portal.security_log import log_event

logger = logging.getLogger(__name__)


def server_error(request):
    context = {"portal_name": settings.PORTAL_NAME, "region": region.current()}
    try:
        body = loader.get_template("500.html").render(context)
    except Exception:  # the error page itself must never fail
        logger.exception("500 template failed to render")
        body = "<h1>Erreur inattendue / Unexpected error</h1>"
    return HttpResponseServerError(body)


def csrf_failure(request, reason=""):
    """A refused form (expired or missing security token) in the portal's look."""
    log_event("csrf_refused", request, path=request.path)

    message = _(
        "The form has expired or could not be verified. Go back, reload the page and try again."
    )
    return render(request, "403.html", {"error_message": message}, status=403)
