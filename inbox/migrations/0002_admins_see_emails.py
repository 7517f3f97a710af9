from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_emaildelivery", "change_emaildelivery"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the role needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Admin"):
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="inbox", codename__in=CODENAMES)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Admin"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="inbox", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    """Admins see which notification emails failed and why, and send them again."""

    dependencies = [("inbox", "0001_notifications"), ("articles", "0003_roles")]

    operations = [migrations.RunPython(grant, revoke)]
