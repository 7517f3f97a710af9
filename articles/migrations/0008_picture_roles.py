from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Reporter": ["add_image", "change_image", "view_image"],
    "Editor": ["add_image", "change_image", "view_image", "delete_image"],
    "Admin": ["add_image", "change_image", "view_image", "delete_image"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="images", codename__in=codenames)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="images", codename__in=codenames)
            )


class Migration(migrations.Migration):
    """Reporters upload and crop the pictures of their stories; editors also delete them."""

    dependencies = [("articles", "0007_pictures"), ("images", "0001_image_library")]

    operations = [migrations.RunPython(grant, revoke)]
