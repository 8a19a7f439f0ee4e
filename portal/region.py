"""The region the portal serves: configuration, never code.

Presets live in ``regions.toml``; ``settings.REGION`` holds the chosen one, with any
``REGION_*`` overrides from the environment already applied (see ``portal.settings``).
"""

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings

PRESETS_FILE = Path(__file__).with_name("regions.toml")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    ars_name: str
    gcs_name: str
    gcs_long_name: str
    contact_email: str
    departments: dict[str, str] = field(default_factory=dict)
    oncall_phone: str = ""  # the regional cyber on-call number ("Vous êtes attaqué ?")

    def department_label(self, code: str) -> str:
        return f"{code} {self.departments[code]}" if code in self.departments else code

    @property
    def department_choices(self) -> list[tuple[str, str]]:
        return [(code, self.department_label(code)) for code in self.departments]


def presets() -> dict[str, dict]:
    with PRESETS_FILE.open("rb") as fh:
        return tomllib.load(fh)


def parse_departments(text: str) -> dict[str, str]:
    """``"44:Loire-Atlantique,49:Maine-et-Loire"`` -> ``{"44": "Loire-Atlantique", ...}``."""
    departments = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        code, sep, name = item.partition(":")
        if not sep or not code.strip() or not name.strip():
            raise ValueError(f"REGION_DEPARTMENTS: expected CODE:Name, got {item!r}")
        departments[code.strip().upper()] = name.strip()
    return departments


def build(code: str, overrides: dict[str, str]) -> dict:
    """The region settings dict: preset ``code`` with non-empty ``overrides`` applied."""
    all_presets = presets()
    if code not in all_presets:
        raise ValueError(f"REGION={code!r}: unknown preset, expected one of {sorted(all_presets)}")
    values = dict(all_presets[code], code=code)
    for key, value in overrides.items():
        if not value:
            continue
        values[key] = parse_departments(value) if key == "departments" else value
    return values


@cache
def _current(frozen: tuple) -> Region:
    values = dict(frozen)
    values["departments"] = dict(values["departments"])
    return Region(**values)


def current() -> Region:
    values = dict(settings.REGION)
    values["departments"] = tuple(values["departments"].items())
    return _current(tuple(sorted(values.items())))
