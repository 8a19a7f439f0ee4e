"""Each member's earlier per-module choice (MemberProfile.notify_alerts / notify_forum /
notify_courses) becomes their preference for the kinds of that module: e-mail at once where it
was on, off where it was off. The columns are removed afterwards (accounts 0003)."""

from django.db import migrations

LEGACY_KINDS = {
    "notify_alerts": ["alerts.alert"],
    "notify_forum": ["forum.reply", "forum.mention"],
    "notify_courses": ["elearning.course_reminder", "elearning.certificate_expiry"],
}


def copy_choices(apps, schema_editor):
    MemberProfile = apps.get_model("accounts", "MemberProfile")
    Preference = apps.get_model("notifications", "Preference")
    rows = []
    for profile in MemberProfile.objects.values("user_id", *LEGACY_KINDS):
        for column, kinds in LEGACY_KINDS.items():
            channel = "immediate" if profile[column] else "off"
            rows += [Preference(user_id=profile["user_id"], kind=k, channel=channel) for k in kinds]
    Preference.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def restore_choices(apps, schema_editor):
    MemberProfile = apps.get_model("accounts", "MemberProfile")
    Preference = apps.get_model("notifications", "Preference")
    for column, kinds in LEGACY_KINDS.items():
        off = Preference.objects.filter(kind=kinds[0], channel="off").values("user_id")
        MemberProfile.objects.filter(user_id__in=off).update(**{column: False})


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_choices, restore_choices)]
