"""Deploy check of the upload antivirus (``portal.antivirus``)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


def check_antivirus(app_configs, **kwargs):
    """Uploaded files are scanned only when clamd is configured."""
    url = urlsplit(settings.CLAMD_URL)
    if settings.CLAMD_URL and not (url.scheme == "tcp" and url.hostname):
        return [
            checks.Error(
                f"CLAMD_URL {settings.CLAMD_URL!r} is not of the form tcp://host:3310: every "
                "upload would be refused.",
                id="portal.E004",
            )
        ]
    if settings.CLAMD_SOCKET or settings.CLAMD_URL:
        return []
    return [
        checks.Warning(
            "No antivirus: uploads are refused (accepted unscanned with "
            "UPLOADS_WITHOUT_ANTIVIRUS=1 or DEBUG). Set CLAMD_SOCKET (Unix socket of clamd) "
            "or CLAMD_URL (tcp://host:3310).",
            id="portal.W001",
        )
    ]
