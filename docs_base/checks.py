"""Deploy checks of the document base's configuration."""

from urllib.parse import urlsplit

from django.core import checks


def check_antivirus(app_configs, **kwargs):
    """Uploaded files are scanned only when clamd is configured."""
    from django.conf import settings

    url = urlsplit(settings.CLAMD_URL)
    if settings.CLAMD_URL and not (url.scheme == "tcp" and url.hostname):
        return [
            checks.Error(
                f"CLAMD_URL {settings.CLAMD_URL!r} is not of the form tcp://host:3310: every "
                "upload would be refused.",
                id="docs_base.E001",
            )
        ]
    if settings.CLAMD_SOCKET or settings.CLAMD_URL:
        return []
    return [
        checks.Warning(
            "No antivirus: uploads are refused (accepted unscanned with "
            "UPLOADS_WITHOUT_ANTIVIRUS=1 or DEBUG). Set CLAMD_SOCKET (Unix socket of clamd) "
            "or CLAMD_URL (tcp://host:3310).",
            id="docs_base.W001",
        )
    ]


def register_deploy_checks() -> None:
    checks.register(check_antivirus, checks.Tags.security, deploy=True)
