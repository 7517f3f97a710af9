from django.contrib.auth.management import create_permissions
from django.db import migrations, models

CODENAMES = ["add_page", "change_page", "view_page", "delete_page"]
GROUPS = ["Editor", "Admin"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=CODENAMES)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    """Editors keep the newsroom's own pages (standards, corrections policy, masthead) in the
    admin, and are told in words when a role is taken."""

    dependencies = [("articles", "0008_picture_roles")]

    operations = [
        migrations.AlterConstraint(
            model_name="page",
            name="unique_page_role",
            constraint=models.UniqueConstraint(
                condition=models.Q(("role", ""), _negated=True),
                fields=("role",),
                name="unique_page_role",
                violation_error_message="Another page has this role already; clear it there first.",
            ),
        ),
        migrations.RunPython(grant, revoke),
    ]
