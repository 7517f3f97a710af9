from django.db import migrations

INDEX = "article_search_vector_gin"


def create_index(apps, schema_editor):
    # Search: `search_vector @@ query` on published articles. PostgreSQL only; SQLite
    # searches with the simple fallback and has no GIN indexes.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles_article USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_translations_search_pages")]

    operations = [migrations.RunPython(create_index, drop_index)]
