from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.add_reviewcomment",
    "articles.view_reviewcomment",
    "articles.add_previewlink",
    "articles.view_previewlink",
    "articles.view_revision",
    "articles.view_section",
    "articles.view_author",
    "articles.view_source",
    "articles.view_tag",
]
EDITOR = REPORTER + [
    "articles.edit_any_article",
    "articles.publish_article",
    "articles.add_correction",
    "articles.change_correction",
    "articles.view_correction",
    *(
        f"articles.{action}_{model}"
        for model in ["section", "author", "authorlink", "source", "tag"]
        for action in ["add", "change", "delete"]
    ),
]
ADMIN = EDITOR + [
    "articles.delete_article",
    *(
        f"auth.{action}_{model}"
        for model in ["user", "group"]
        for action in ["add", "change", "delete", "view"]
    ),
    "auth.view_permission",
]
ROLES = {"Reporter": REPORTER, "Editor": EDITOR, "Admin": ADMIN}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for label in codenames:
            app_label, codename = label.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
