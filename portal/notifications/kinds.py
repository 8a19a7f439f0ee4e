"""Notification kinds: what a module may notify members about, declared through the module kit.

A module lists its kinds in its module declaration; the portal registers them here at start-up.
Members choose a channel per kind (``Channel``); ``default_channel`` applies until they do, and
``default_channel_by_role`` overrides it for members holding one of those roles.

Keys already reserved (members' earlier per-module choices were copied onto them):
``alerts.alert``, ``forum.reply``, ``forum.mention``, ``elearning.course_reminder``,
``elearning.certificate_expiry``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IMMEDIATE = "immediate", _("E-mail at once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    PORTAL = "portal", _("In the portal only")
    OFF = "off", _("Off")


@dataclass(frozen=True)
class NotificationKind:
    key: str  # "<module>.<name>", unique across the portal
    label: str
    module: str
    default_channel: str = Channel.IMMEDIATE
    default_channel_by_role: dict[str, str] = field(default_factory=dict)
    # E-mails of a metadata-only kind carry no title or body: the kind, a reference and a link.
    metadata_only: bool = False
    # The rule that yields the recipients of an object when ``notify`` is given none; it runs in
    # the worker, never in the request: ``recipients(obj)`` -> users (a queryset or a list).
    recipients: Callable | None = None
    # An extra condition for receiving an object, checked at send time with ``can_view``;
    # required for objects that carry no access fields (e.g. "the author of this draft").
    audience: Callable | None = None


_kinds: dict[str, NotificationKind] = {}


def register(kind: NotificationKind) -> None:
    _kinds[kind.key] = kind


def unregister(key: str) -> None:
    _kinds.pop(key, None)


def get(key: str) -> NotificationKind:
    return _kinds[key]


def all_kinds() -> list[NotificationKind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.module, kind.key))
