import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

CODENAMES = ["add_publication", "change_publication", "view_publication"]
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
    """Default pictures for stories without a lead picture, per section and for the whole
    site; editors set them."""

    dependencies = [
        ("articles", "0009_page_admin"),
        ("images", "0001_image_library"),
    ]

    operations = [
        migrations.AddField(
            model_name="section",
            name="default_picture",
            field=models.ForeignKey(
                blank=True,
                help_text="Shown when a story of this section without a lead picture is shared "
                "or found by search engines (not on the story's page). At least 1200 × 1200 "
                "pixels. Empty: the site's default picture.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="default_for_sections",
                to="images.image",
            ),
        ),
        migrations.CreateModel(
            name="Publication",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(
                        default=1, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "default_picture",
                    models.ForeignKey(
                        blank=True,
                        help_text="Shown when a story without a lead picture, in a section "
                        "without a default picture, is shared or found by search engines (not "
                        "on the story's page). At least 1200 × 1200 pixels.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="default_for_site",
                        to="images.image",
                        verbose_name="site's default picture",
                    ),
                ),
            ],
            options={
                "verbose_name": "publication settings",
                "verbose_name_plural": "publication settings",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("id", 1)),
                        name="publication_single_row",
                        violation_error_message="There is one row of publication settings.",
                    )
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
