"""Wagtail's Moderators and Editors groups moderate the member reviews and read the reports."""

from django.db import migrations

CODENAMES = ["view_review", "change_review", "view_reviewreport", "change_reviewreport"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("benchmarks")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="benchmarks", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=["Moderators", "Editors"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("benchmarks", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
