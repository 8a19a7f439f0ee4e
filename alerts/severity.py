"""Severity from a CVSS 3.1 or 4.0 vector (the ``cvss`` package), and CVE identifiers."""

import re
from dataclasses import dataclass

from cvss import CVSS3, CVSS4
from cvss.exceptions import CVSSError
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    NONE = "none", _("None")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


# Lowest to highest: a rank compares severities ("from high up").
SEVERITY_RANK = {value: rank for rank, value in enumerate(Severity.values)}
CVE_PATTERN = re.compile(r"^CVE-\d{4}-\d{4,}$")


@dataclass(frozen=True)
class CvssScore:
    version: str  # "3.1" or "4.0"
    score: float
    severity: str  # a Severity value


def parse_cvss(vector: str) -> CvssScore:
    """The base score and severity of a CVSS 3.1 or 4.0 vector; ValidationError otherwise."""
    vector = vector.strip()
    try:
        if vector.startswith("CVSS:3.1/"):
            parsed = CVSS3(vector)
            return CvssScore("3.1", float(parsed.base_score), parsed.severities()[0].lower())
        if vector.startswith("CVSS:4.0/"):
            parsed = CVSS4(vector)
            return CvssScore("4.0", float(parsed.base_score), parsed.severity.lower())
    except CVSSError as error:
        raise ValidationError(
            _("This CVSS vector is not valid: %(error)s"),
            params={"error": cvss_error_detail(error)},
            code="cvss",
        ) from error
    raise ValidationError(
        _("A CVSS vector starts with CVSS:3.1/ or CVSS:4.0/."), code="cvss_version"
    )


# The ``cvss`` package's messages (English), by their opening words: what the admin says
# instead, with the part of the vector at fault.
CVSS_ERROR_DETAILS = (
    ("Missing mandatory metrics", _("mandatory metrics are missing: %(part)s")),
    ("Duplicate metric", _("a metric is given twice: %(part)s")),
    ("Unknown metric", _("unknown metric: %(part)s")),
    ("Invalid metric key", _("unknown metric: %(part)s")),
    ("Unknown value", _("unknown value: %(part)s")),
    ("Invalid metric value", _("unknown value: %(part)s")),
    ("Malformed CVSS3 field", _("a metric is not written METRIC:VALUE: %(part)s")),
    ("Malformed CVSS4 field", _("a metric is not written METRIC:VALUE: %(part)s")),
)


def cvss_error_detail(error: CVSSError) -> str:
    """The ``cvss`` package's complaint, in the reader's language (French in the admin)."""
    text = str(error)
    quoted = re.findall(r'"([^"]*)"', text)
    for opening, message in CVSS_ERROR_DETAILS:
        if text.startswith(opening) and quoted:
            # "Unknown value "X" in field "AV:X"": the field says more than the value.
            return str(message) % {"part": quoted[-1]}
    return str(_("the vector is malformed (an empty field, or a trailing “/”)"))


def validate_cvss(vector: str) -> None:
    if vector:
        parse_cvss(vector)


def split_cves(text: str) -> list[str]:
    """CVE identifiers, one per line or separated by commas or spaces, upper-cased."""
    return [item.upper() for item in re.split(r"[\s,;]+", text or "") if item]


def validate_cves(text: str) -> None:
    bad = [item for item in split_cves(text) if not CVE_PATTERN.match(item)]
    if bad:
        raise ValidationError(
            _("Not a CVE identifier (expected CVE-YYYY-NNNN): %(items)s"),
            params={"items": ", ".join(bad)},
            code="cve",
        )


def at_least(severity: str, minimum: str) -> bool:
    return SEVERITY_RANK.get(severity, 0) >= SEVERITY_RANK.get(minimum, 0)
