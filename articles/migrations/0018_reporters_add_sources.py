from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the role needs this one now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    add_source = Permission.objects.get(content_type__app_label="articles", codename="add_source")
    for group in Group.objects.filter(name="Reporter"):
        group.permissions.add(add_source)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    add_source = Permission.objects.filter(
        content_type__app_label="articles", codename="add_source"
    )
    for group in Group.objects.filter(name="Reporter"):
        group.permissions.remove(*add_source)


class Migration(migrations.Migration):
    """Reporters add a source they cite that the newsroom has no entry for yet, from the
    citation row of their story; changing and merging sources stays with editors."""

    dependencies = [("articles", "0017_review_comment_status_change")]

    operations = [migrations.RunPython(grant, revoke)]
