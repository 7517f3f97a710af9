"""One word per concept: "lead picture" (was hero_image) and "type of work" (was genre), in
the columns and in the content of every stored revision."""

import django.db.models.deletion
from django.db import migrations, models

RENAMED_KEYS = {
    "hero_image": "lead_picture",
    "hero_caption": "lead_picture_caption",
    "genre": "type_of_work",
}


def rename_revision_keys(apps, schema_editor, renames=RENAMED_KEYS):
    Revision = apps.get_model("articles", "Revision")
    for revision in Revision.objects.only("content").iterator():
        content = {renames.get(key, key): value for key, value in revision.content.items()}
        if content != revision.content:
            Revision.objects.filter(pk=revision.pk).update(content=content)


def restore_revision_keys(apps, schema_editor):
    rename_revision_keys(
        apps, schema_editor, renames={new: old for old, new in RENAMED_KEYS.items()}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_body_keeps_its_text"),
        ("images", "0002_picture_change_record"),
    ]

    operations = [
        migrations.RenameField("article", "hero_image", "lead_picture"),
        migrations.RenameField("article", "hero_caption", "lead_picture_caption"),
        migrations.RenameField("article", "genre", "type_of_work"),
        migrations.AlterField(
            model_name="article",
            name="lead_picture",
            field=models.ForeignKey(
                blank=True,
                help_text="Shown above the story, in teasers, feeds and when the story is shared.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lead_picture_of",
                to="images.image",
                verbose_name="lead picture",
            ),
        ),
        migrations.RunPython(rename_revision_keys, restore_revision_keys),
    ]
