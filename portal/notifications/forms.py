"""The preferences table of the profile form: one row per kind, one choice of channel."""

import functools
from dataclasses import dataclass

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

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


@dataclass(frozen=True)
class PreferenceRow:
    label: str
    errors: list
    cells: SafeString  # one ``<td>`` per channel, each with its radio button


def channel_labels() -> list[str]:
    """The table's column headings."""
    return [str(label) for label in Channel.labels]


def preference_rows(form) -> list[PreferenceRow]:
    """One row per kind; its radio buttons are written here, not by the template: rendering the
    widget of ~20 kinds x 5 channels through templates was most of the profile page's time.
    The markup is the one ``RadioSelect`` would give (names, values, ids, checked)."""
    rows = []
    for name, field in form.fields.items():
        if not name.startswith(PREFIX):
            continue
        bound = form[name]
        selected = str(bound.value() or "")
        label = str(field.label)
        cells = _cells(get_language(), bound.html_name, bound.auto_id or "", label)
        html = "".join(checked if value == selected else plain for value, plain, checked in cells)
        rows.append(PreferenceRow(label, bound.errors, mark_safe(html)))  # noqa: S308 (escaped)
    return rows


@functools.lru_cache(maxsize=512)
def _cells(_language: str, html_name: str, auto_id: str, kind_label: str) -> tuple:
    """(value, cell, cell checked) per channel of one kind, escaped once per language."""
    cells = []
    for index, (value, channel_label) in enumerate(Channel.choices):
        cell_id = f"{auto_id}_{index}"
        parts = (html_name, value, cell_id, cell_id, kind_label, channel_label)
        template = (
            '<td><input type="radio" name="{}" value="{}" id="{}"%s>'
            '<label class="fr-sr-only" for="{}">{} : {}</label></td>'
        )
        cells.append(
            (
                str(value),
                format_html(template % "", *parts),
                format_html(template % " checked", *parts),
            )
        )
    return tuple(cells)


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
