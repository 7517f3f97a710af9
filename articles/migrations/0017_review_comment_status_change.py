"""Each review comment that came with a workflow step (a request for changes, a reason for
unpublishing) knows its step, so that the form can show which comment asked for changes."""

import django.db.models.deletion
from django.db import migrations, models


def link_steps(apps, schema_editor):
    # The workflow wrote both in one go, with the same article, author, text and time.
    StatusChange = apps.get_model("articles", "StatusChange")
    ReviewComment = apps.get_model("articles", "ReviewComment")
    for change in StatusChange.objects.exclude(comment="").iterator():
        comment = (
            ReviewComment.objects.filter(
                article_id=change.article_id,
                author_id=change.changed_by_id,
                text=change.comment,
                created_at=change.changed_at,
                status_change__isnull=True,
            )
            .order_by("pk")
            .first()
        )
        if comment is not None:
            comment.status_change = change
            comment.save(update_fields=["status_change"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_autosave")]

    operations = [
        migrations.AddField(
            model_name="reviewcomment",
            name="status_change",
            field=models.OneToOneField(
                blank=True,
                help_text="The workflow step this comment came with, such as a request for changes.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="review_comment",
                to="articles.statuschange",
            ),
        ),
        migrations.RunPython(link_steps, migrations.RunPython.noop),
    ]
