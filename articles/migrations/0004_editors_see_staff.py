from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_user = Permission.objects.get(content_type__app_label="auth", codename="view_user")
    for editor in Group.objects.filter(name="Editor"):
        editor.permissions.add(view_user)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_user = Permission.objects.get(content_type__app_label="auth", codename="view_user")
    for editor in Group.objects.filter(name="Editor"):
        editor.permissions.remove(view_user)


class Migration(migrations.Migration):
    """Editors manage authors, so they must be able to pick an author's staff login."""

    dependencies = [("articles", "0003_roles")]

    operations = [migrations.RunPython(grant, revoke)]
