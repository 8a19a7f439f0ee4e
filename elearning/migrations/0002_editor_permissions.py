"""Editors maintain question banks, questions and SCORM packages in the admin."""

from django.db import migrations

MODELS = ("questionbank", "question", "scormpackage")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("elearning")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")]
    permissions = Permission.objects.filter(content_type__app_label="elearning", codename__in=codenames)
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("elearning", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
