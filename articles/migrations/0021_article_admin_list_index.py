# Issue 11: the admin's article list, at 100,000 stories in 471 ms, sorted every story to show
# the first 100: SELECT … FROM articles_article ORDER BY published_at DESC, id DESC LIMIT 100
# (in every state, so the partial listing indexes of 0020 do not serve it). The date
# drill-down's MIN(published_at) and MAX(published_at) read this index's two ends. The review
# queue, which found the stories in review by reading every story (58 ms), and the list's
# status filter read the second: WHERE status = 'in_review' ORDER BY published_at DESC, id DESC.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_published_listing_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["-published_at", "-id"], name="article_admin_list_idx"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status", "published"), _negated=True),
                fields=["status", "-published_at", "-id"],
                name="article_desk_status_idx",
            ),
        ),
    ]
