"""A set of roles stored as ``,role_a,role_b,`` so that every database can filter on it."""

from django import forms
from django.db import models

from portal.access.roles import Role


def as_role_set(value) -> frozenset:
    if not value:
        return frozenset()
    if isinstance(value, str):
        return frozenset(filter(None, value.split(",")))
    return frozenset(value)


def role_token(role: str) -> str:
    """The stored fragment a ``__contains`` lookup matches for one role."""
    return f",{role},"


class RoleSetField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", frozenset)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return as_role_set(value)

    def to_python(self, value):
        return as_role_set(value)

    def get_prep_value(self, value):
        if isinstance(value, str):  # already stored form, e.g. a lookup fragment
            return value
        roles = sorted(as_role_set(value))
        return f",{','.join(roles)}," if roles else ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        unknown = as_role_set(value) - set(Role.values)
        if unknown:
            raise forms.ValidationError(
                "Unknown role(s): %(roles)s", params={"roles": ", ".join(sorted(unknown))}
            )
        if not self.blank and not value:
            raise forms.ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=Role.choices,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
            coerce=str,
        )


class CodeSetField(RoleSetField):
    """A set of codes from a ``TextChoices`` class (``codes=``), stored like ``RoleSetField``.

    The codes only validate and build the form field: they are not part of migrations.
    """

    def __init__(self, *args, codes=None, **kwargs):
        self.codes = codes
        super().__init__(*args, **kwargs)

    def code_choices(self) -> list:
        return list(self.codes.choices) if self.codes is not None else []

    def validate(self, value, model_instance):
        if self.codes is not None:
            unknown = as_role_set(value) - set(self.codes.values)
            if unknown:
                raise forms.ValidationError(
                    "Unknown value(s): %(codes)s", params={"codes": ", ".join(sorted(unknown))}
                )
        if not self.blank and not value:
            raise forms.ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.code_choices(),
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
            coerce=str,
        )
