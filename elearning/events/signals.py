"""Publishing an event with a replay notifies its registered members (once per replay)."""

from wagtail.signals import page_published

from elearning.events import notifications
from elearning.events.models import EventPage


def on_event_published(sender, instance, **kwargs):
    if instance.replay_id is not None and instance.is_past:
        notifications.replay_published(instance)


def connect() -> None:
    page_published.connect(on_event_published, sender=EventPage, dispatch_uid="elearning_replay")
