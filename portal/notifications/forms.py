"""The preferences table of the profile form: one row per kind, one choice of channel."""

from django import forms

from portal.notifications import services
from portal.notifications.kinds import Channel

PREFIX = "notify__"


def field_name(kind_key: str) -> str:
    return PREFIX + kind_key.replace(".", "__")


def add_preference_fields(form, user) -> None:
    for kind, channel, _chosen in services.preferences(user):
        form.fields[field_name(kind.key)] = forms.ChoiceField(
            label=kind.label,
            choices=Channel.choices,
            initial=channel,
            widget=forms.RadioSelect,
            required=False,  # left out: unchanged
        )


def preference_rows(form) -> list:
    """(kind label, bound field) per kind, for the table."""
    return [
        (field.label, form[name]) for name, field in form.fields.items() if name.startswith(PREFIX)
    ]


def save_preferences(form, user) -> None:
    """Store the channels the member changed; the others keep following the kind's default."""
    services.set_preferences(
        user,
        {
            name[len(PREFIX) :].replace("__", "."): form.cleaned_data[name]
            for name in form.changed_data
            if name.startswith(PREFIX) and form.cleaned_data.get(name)
        },
    )
