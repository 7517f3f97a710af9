# Issue 11: readers' lists walk an index newest first from a position (articles/pagination.py),
# never counting the whole list. Partial on published stories: smaller, and on SQLite, whose
# planner keeps no statistics, no longer chosen over a lookup by id for queries that only say
# status = 'published' (related stories, translations).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_front_page"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="article", name="article_published_idx"),
        migrations.RemoveIndex(model_name="article", name="article_section_published_idx"),
        # /latest/, the front page's newest-stories window, feeds, sitemaps and the content API:
        # published() ORDER BY published_at DESC, id DESC, and ?before=/?after= positions.
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["-published_at", "-id"],
                name="article_listing_idx",
            ),
        ),
        # Section pages and the front page's section blocks: published() in one section, newest
        # first, from a position.
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["section", "-published_at", "-id"],
                name="article_section_listing_idx",
            ),
        ),
    ]
