"""System checks for the portal's own configuration."""

from django.core import checks
from django.core.exceptions import ValidationError
from django.core.validators import validate_email


def check_region(app_configs, **kwargs):
    from portal import region

    errors = []
    current = region.current()
    if not current.departments:
        errors.append(checks.Error("The region has no departments.", id="portal.E001"))
    try:
        validate_email(current.contact_email)
    except ValidationError:
        errors.append(
            checks.Error(
                f"REGION_CONTACT_EMAIL {current.contact_email!r} is not an e-mail address.",
                id="portal.E002",
            )
        )
    return errors


def register() -> None:
    checks.register(check_region, checks.Tags.compatibility)
