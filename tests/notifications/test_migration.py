"""The data migration keeps every member's former per-module choice (notify_alerts,
notify_forum, notify_courses) as their preference for that module's kinds."""

import importlib
from types import SimpleNamespace

import pytest

from portal.notifications.models import Preference
from tests.portal.factories import MemberFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("portal.notifications.migrations.0002_copy_member_choices")


def test_former_choices_become_preferences_for_the_modules_kinds():
    everything, no_forum = MemberFactory(), MemberFactory()
    rows = [
        {"user_id": everything.pk, "notify_alerts": True, "notify_forum": True,
         "notify_courses": True},
        {"user_id": no_forum.pk, "notify_alerts": True, "notify_forum": False,
         "notify_courses": False},
    ]  # fmt: skip
    profiles = SimpleNamespace(objects=SimpleNamespace(values=lambda *fields: rows))
    models = {"MemberProfile": profiles, "Preference": Preference}
    apps = SimpleNamespace(get_model=lambda app, name: models[name])

    migration.copy_choices(apps, None)
    migration.copy_choices(apps, None)  # run again: nothing doubled

    def choices(user):
        return dict(Preference.objects.filter(user=user).values_list("kind", "channel"))

    assert choices(everything) == {
        "alerts.alert": "immediate",
        "forum.reply": "immediate",
        "forum.mention": "immediate",
        "elearning.course_reminder": "immediate",
        "elearning.certificate_expiry": "immediate",
    }
    assert choices(no_forum) == {
        "alerts.alert": "immediate",
        "forum.reply": "off",
        "forum.mention": "off",
        "elearning.course_reminder": "off",
        "elearning.certificate_expiry": "off",
    }
