"""Validation of establishment identifiers against the configured region."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal import region

FINESS_SHAPE = re.compile(r"^(\d{2}|2A|2B)[0-9]{7}$")


def validate_department(code: str) -> None:
    if code not in region.current().departments:
        raise ValidationError(
            _("%(code)s is not a department of %(region)s."),
            params={"code": code, "region": region.current().name},
            code="department",
        )


def validate_finess(value: str) -> None:
    """A FINESS number: 9 characters starting with a department code of the region."""
    value = (value or "").strip().upper()
    if not FINESS_SHAPE.match(value):
        raise ValidationError(
            _("A FINESS number has 9 characters: the department code, then 7 digits."),
            code="finess_shape",
        )
    if not any(value.startswith(code) for code in region.current().departments):
        raise ValidationError(
            _("This FINESS number does not start with a department code of %(region)s."),
            params={"region": region.current().name},
            code="finess_region",
        )
