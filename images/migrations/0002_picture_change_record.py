import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUPS = ["Editor", "Admin"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the roles need this one now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    change_any = Permission.objects.get(content_type__app_label="images", codename="change_any_image")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(change_any)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="images", codename="change_any_image")
        )


class Migration(migrations.Migration):
    """Reporters change only their own pictures that no story readers see uses; editors change
    any picture, and every change of a picture in use is recorded."""

    dependencies = [
        ("images", "0001_image_library"),
        ("articles", "0008_picture_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="image",
            options={
                "ordering": ["-uploaded_at", "-pk"],
                "permissions": [
                    ("change_any_image", "Can see and change any picture, also those stories use")
                ],
            },
        ),
        migrations.CreateModel(
            name="ImageChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("changes", models.JSONField(help_text="By field name: the old and new value; the stored file's name for the file.")),
                ("changed_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("image", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="changes", to="images.image")),
            ],
            options={"ordering": ["-changed_at", "-pk"]},
        ),
        migrations.RunPython(grant, revoke),
    ]
