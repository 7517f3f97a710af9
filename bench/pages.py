"""Reading at scale: time and queries of the public pages, feeds, sitemaps and the API.

    scripts/with-postgres .venv/bin/python bench/pages.py --articles 100000

Builds the demo newsroom with N generated stories in the database DATABASE_URL names
(creating a PostgreSQL database that doesn't exist yet), then requests each address a few
times through Django's test client (no network, no web server) and prints the median time,
the number of queries and the slowest query. A script that measures, not a test.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="newsroom-bench-media-"))
# WhiteNoise looks for collectstatic's output, which measuring doesn't need.
warnings.filterwarnings("ignore", message="No directory at")


def create_postgres_database(url: str) -> None:
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def addresses() -> list[str]:
    from articles.models import Article, Author, Tag

    story = Article.objects.get(external_id="kremlin-defection")
    tag = Tag.objects.filter(name="Economy").first() or Tag.objects.first()
    author = Author.objects.get(slug="lena-brandt")
    return [
        "/",
        "/?page=50",
        story.section.get_absolute_url(),
        story.get_absolute_url(),
        author.get_absolute_url(),
        tag.get_absolute_url(),
        "/search/?q=pension+reform",
        "/search/?q=Karakulov",
        "/feeds/rss/",
        f"/feeds/section/{story.section.slug}/atom/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
        "/api/ninjs/articles/",
        f"/api/ninjs/articles/?tag={tag.slug}",
    ]


def measure(url: str, repeats: int) -> str:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, times = Client(), []
    for _ in range(repeats + 1):  # the first request warms connections and imports
        cache.clear()  # the cost of a page, not of the cache
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
    slowest = max(queries.captured_queries, key=lambda query: float(query["time"]))
    median_ms = statistics.median(times[1:]) * 1000
    slowest_ms = float(slowest["time"]) * 1000
    return (
        f"{url[:56]:56} {response.status_code} {median_ms:8.1f} ms "
        f"{len(queries.captured_queries):4} queries  slowest {slowest_ms:6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        create_postgres_database(database_url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    call_command("load_demo", articles=options.articles, stdout=StringIO())
    print(
        f"{connection.vendor}: demo newsroom with {options.articles} generated stories "
        f"loaded in {time.perf_counter() - start:.0f} s (nothing, if it was there already)"
    )
    print(f"{'address':56} {'':3} {'median':>11} {'':4} queries")
    for url in addresses():
        print(measure(url, options.repeats))


if __name__ == "__main__":
    main()
