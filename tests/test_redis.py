"""Several app servers sharing one Redis: the cache and the sessions (REDIS_URL), the pages
cached for readers and their invalidation.

Two gunicorn processes run against one database file and one Redis, as two machines behind a
load balancer would. The Redis comes from scripts/with-redis (NEWSROOM_TEST_REDIS_URL).
"""

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from tests.appserver_support import (
    AppServer,
    WebClient,
    form_fields,
    gunicorn,
    manage,
    server_env,
    with_inline_row,
)

SETUP = """
from django.contrib.auth import get_user_model
from django.utils import timezone
from articles.editing import save_story
from articles.models import Article, Author, Section
get_user_model().objects.create_superuser("chief", "", "pw-chief-123")
world = Section.objects.create(name="World", slug="world")
story = Article(headline="Defector reaches Berlin", slug="defector-reaches-berlin", section=world,
                status="published", published_at=timezone.now())
save_story(story, authors=[Author.objects.create(name="Jens Kiffmeier", slug="jens-kiffmeier")])
print(world.pk, story.pk)
"""
STORY = "/world/defector-reaches-berlin/"
# What a load balancer passes on to every app server: the site's name.
SITE = "localhost"


@pytest.fixture(scope="module")
def redis_url() -> str:
    url = os.environ.get("NEWSROOM_TEST_REDIS_URL")
    if not url:
        message = "no Redis to test with: run the tests through scripts/with-redis (make test)"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"{message}; REQUIRE_REDIS=1 makes that a failure")
        pytest.skip(message)
    return url


@pytest.fixture(scope="module")
def app_servers(redis_url, tmp_path_factory):
    """Two app servers, A and B, sharing a database file and a Redis."""
    folder = tmp_path_factory.mktemp("redis")
    database = folder / "db.sqlite3"
    env = server_env(DATABASE_URL=f"sqlite:///{database}", REDIS_URL=redis_url)
    redis.Redis.from_url(redis_url).flushdb()
    manage("migrate", "--noinput", env=env)
    section_id, story_id = map(int, manage("shell", "--no-imports", "-c", SETUP, env=env).split())
    with gunicorn(env, folder / "a.log") as a, gunicorn(env, folder / "b.log") as b:
        yield AppServers(a, b, database, section_id, story_id)


@pytest.fixture
def shared_redis(redis_url):
    return redis.Redis.from_url(redis_url)


@pytest.fixture(autouse=True)
def fresh_state(app_servers, shared_redis):
    """Each test starts from a section named World, the story's first headline and an empty
    cache."""
    rename_section_behind_the_sites_back(app_servers.database, "World")
    retitle_story_behind_the_sites_back(app_servers.database, "Defector reaches Berlin")
    shared_redis.flushdb()


@dataclass
class AppServers:
    a: AppServer
    b: AppServer
    database: Path
    section_id: int
    story_id: int


def rename_section_behind_the_sites_back(database: Path, name: str) -> None:
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE articles_section SET name = ? WHERE slug = 'world'", [name])


def retitle_story_behind_the_sites_back(database: Path, headline: str) -> None:
    """Change the row without telling the site: no invalidation, as no save of the app's."""
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE articles_article SET headline = ?", [headline])


def test_a_login_on_one_app_server_works_on_another(app_servers):
    on_a = WebClient(app_servers.a.url)
    on_a.log_in("chief", "pw-chief-123")

    on_b = on_a.for_server(app_servers.b.url)

    assert on_b.get("/admin/").status == 200
    assert WebClient(app_servers.b.url).get("/admin/").status == 302  # no cookie, no entry


def test_sessions_are_read_from_redis_and_survive_a_flush(app_servers, shared_redis):
    on_a = WebClient(app_servers.a.url)
    on_a.log_in("chief", "pw-chief-123")
    session_key = on_a.cookie("sessionid")

    assert shared_redis.keys(f"*{session_key}")  # cached where every server reads it
    shared_redis.flushdb()

    assert on_a.for_server(app_servers.b.url).get("/admin/").status == 200


def test_a_value_cached_by_one_app_server_is_seen_by_another(app_servers):
    # The search page shows the navigation, and no section's name otherwise.
    assert "World" in WebClient(app_servers.a.url).get("/search/").text  # A caches it

    rename_section_behind_the_sites_back(app_servers.database, "Planet")

    page = WebClient(app_servers.b.url).get("/search/").text
    assert "World" in page  # B shows what A cached
    assert "Planet" not in page


def test_saving_a_section_on_one_app_server_clears_the_cache_of_another(app_servers):
    assert "World" in WebClient(app_servers.b.url).get("/").text  # B caches the navigation
    editor = WebClient(app_servers.a.url)
    editor.log_in("chief", "pw-chief-123")
    change_form = f"/admin/articles/section/{app_servers.section_id}/change/"
    fields = form_fields(editor.get(change_form).text) | {"name": ["Europe"]}

    saved = editor.post(change_form, fields)

    assert saved.status == 302, saved.text
    page = WebClient(app_servers.b.url).get("/").text
    assert "Europe" in page
    assert "World" not in page


def test_a_page_cached_by_one_app_server_is_served_by_another(app_servers):
    assert "Defector reaches Berlin" in WebClient(app_servers.a.url, SITE).get(STORY).text

    retitle_story_behind_the_sites_back(app_servers.database, "Defector vanishes")

    page = WebClient(app_servers.b.url, SITE).get(STORY)
    assert "Defector reaches Berlin" in page.text  # A's copy, from Redis
    assert "Defector vanishes" not in page.text
    assert "public" in page.headers["Cache-Control"]


def test_a_correction_saved_on_one_app_server_refreshes_the_pages_of_another(app_servers):
    reader = WebClient(app_servers.b.url, SITE)
    assert "Defector reaches Berlin" in reader.get(STORY).text  # cached through B
    retitle_story_behind_the_sites_back(app_servers.database, "Defector vanishes")
    assert "Defector vanishes" not in reader.get(STORY).text
    editor = WebClient(app_servers.a.url, SITE)
    editor.log_in("chief", "pw-chief-123")
    change_form = f"/admin/articles/article/{app_servers.story_id}/change/"
    fields = with_inline_row(
        form_fields(editor.get(change_form).text),
        "corrections",
        {"kind": "correction", "text": "He crossed at dusk."},
    )

    assert editor.post(change_form, fields).status == 302

    page = reader.get(STORY).text
    assert "He crossed at dusk." in page
    assert "Defector vanishes" in page  # made again from the database


def test_staff_on_another_app_server_never_get_the_cached_copy(app_servers):
    WebClient(app_servers.a.url, SITE).get(STORY)
    retitle_story_behind_the_sites_back(app_servers.database, "Defector vanishes")
    editor = WebClient(app_servers.a.url, SITE)
    editor.log_in("chief", "pw-chief-123")

    page = editor.for_server(app_servers.b.url).get(STORY)

    assert "Defector vanishes" in page.text
    assert "private" in page.headers["Cache-Control"]
