"""The newsroom's roles as they stand after all migrations, for setting them up again.

The migrations create the roles on a new database; `ensure_roles()` recreates any that are
missing (a test that flushed the database, a deleted group) without touching those that
exist, whose permissions admins may have changed. A test keeps this list and the
migrations in step.
"""

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions


def _grants(app_label: str, models: list[str], actions: list[str]) -> list[str]:
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


REPORTER = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.add_reviewcomment",
    "articles.view_reviewcomment",
    "articles.add_previewlink",
    "articles.view_previewlink",
    "articles.view_revision",
    *_grants("articles", ["section", "author", "source", "tag"], ["view"]),
    "articles.add_source",  # from the citation row of a story
    *_grants("images", ["image"], ["add", "change", "view"]),
]
EDITOR = [
    *REPORTER,
    "articles.edit_any_article",
    "articles.publish_article",
    *_grants("articles", ["correction"], ["add", "change", "view"]),
    *_grants(
        "articles",
        ["section", "author", "authorlink", "source", "tag"],
        ["add", "change", "delete"],
    ),
    *_grants("articles", ["page", "frontpage"], ["add", "change", "view", "delete"]),
    *_grants("articles", ["publication"], ["add", "change", "view"]),
    "images.delete_image",
    "images.change_any_image",
    "auth.view_user",
]
ADMIN = [
    *EDITOR,
    "articles.delete_article",
    *_grants("auth", ["user", "group"], ["add", "change", "delete"]),
    "auth.view_group",
    "auth.view_permission",
    # Notification emails: which were sent, which failed and why; sending failed ones again.
    *_grants("inbox", ["emaildelivery"], ["view", "change"]),
]
ROLES = {"Reporter": REPORTER, "Editor": EDITOR, "Admin": ADMIN}


def ensure_roles(apps=installed_apps) -> list[str]:
    """Create the roles that don't exist, with their permissions; return their names."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    missing = [name for name in ROLES if not Group.objects.filter(name=name).exists()]
    if not missing:
        return []
    for app_config in apps.get_app_configs():
        create_permissions(app_config, apps=apps, verbosity=0)
    for name in missing:
        group = Group.objects.create(name=name)
        for label in ROLES[name]:
            app_label, codename = label.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return missing
