"""Correctness under load: readers ask a live server for pages without pause while an editor
publishes a story, corrects and edits another, and unpublishes the first, all through the admin.

No reader gets a 5xx; no edit is lost; a request made after a save has returned gets the new
version (the page cache drops what a save changes before the editor's response is sent: the
app servers' cache has no bound to wait out; NEWSROOM_CACHE_MAX_AGE only bounds browsers and
CDNs, which this test has none of); and no request made after the withdrawal gets the
withdrawn story, on its page or on any list.

One gunicorn with two workers sharing a Redis (scripts/with-redis, as `make test` runs it), or
without one a single worker with its own cache.
"""

import os
import threading
import time
from dataclasses import dataclass

import pytest
import redis

from tests.appserver_support import (
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
jens = Author.objects.create(name="Jens Kiffmeier", slug="jens-kiffmeier")
story = Article(headline="Defector reaches Berlin", slug="defector-reaches-berlin",
                section=world, status="published", published_at=timezone.now())
save_story(story, authors=[jens])
draft = Article(headline="Kremlin names an envoy", slug="kremlin-names-an-envoy", section=world,
                standfirst="A new man in Berlin.", body="<p>The envoy arrives.</p>")
save_story(draft, authors=[jens])
print(story.pk, draft.pk)
"""
STORY = "/world/defector-reaches-berlin/"
NEW_STORY = "/world/kremlin-names-an-envoy/"
LISTS = ["/latest/", "/world/", "/author/jens-kiffmeier/", "/feeds/rss/", "/api/ninjs/articles/"]
READERS = 4


@dataclass(frozen=True)
class Reading:
    path: str
    started: float
    status: int
    text: str


class Readers:
    """Reader threads asking for `paths` in turn, as fast as the server answers."""

    def __init__(self, base_url: str, paths: list[str]) -> None:
        self.base_url, self.paths = base_url, paths
        self.readings: list[Reading] = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.read, args=(n,)) for n in range(READERS)]

    def read(self, offset: int) -> None:
        client, turn = WebClient(self.base_url), offset
        while not self.stopping.is_set():
            path = self.paths[turn % len(self.paths)]
            turn += 1
            started = time.monotonic()
            answer = client.get(path)
            self.readings.append(Reading(path, started, answer.status, answer.body.decode()))

    def __enter__(self) -> "Readers":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def since(self, moment: float, paths: list[str]) -> list[Reading]:
        """What readers got for `paths` on requests they made after `moment`."""
        found = [r for r in self.readings if r.started > moment and r.path in paths]
        assert found, f"no reader asked for {paths} after the change"
        return found


@pytest.fixture
def live_site(tmp_path):
    redis_url = os.environ.get("NEWSROOM_TEST_REDIS_URL", "")
    settings = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    if redis_url:
        redis.Redis.from_url(redis_url).flushdb()
        settings["REDIS_URL"] = redis_url
    env = server_env(**settings)
    manage("migrate", "--noinput", env=env)
    story_id, draft_id = map(int, manage("shell", "--no-imports", "-c", SETUP, env=env).split())
    with gunicorn(env, tmp_path / "gunicorn.log", workers=2 if redis_url else 1) as server:
        yield server, story_id, draft_id


def pause() -> None:
    time.sleep(0.6)  # readers read meanwhile


def test_readers_under_load_get_every_change_at_once_and_never_an_error(live_site):
    server, story_id, draft_id = live_site
    editor = WebClient(server.url)
    editor.log_in("chief", "pw-chief-123")

    def save(article_id: int, change, **extra: str) -> float:
        form = f"/admin/articles/article/{article_id}/change/"
        fields = change(form_fields(editor.get(form).text))
        fields |= {name: [value] for name, value in extra.items()}
        assert editor.post(form, fields).status == 302
        return time.monotonic()

    with Readers(server.url, [STORY, NEW_STORY, "/", *LISTS]) as readers:
        pause()
        published = save(draft_id, lambda fields: fields, _transition="publish")
        pause()
        corrected = save(
            story_id,
            lambda fields: with_inline_row(
                fields, "corrections", {"kind": "correction", "text": "He crossed at dusk."}
            ),
        )
        pause()
        edited = save(story_id, lambda fields: fields | {"headline": ["Defector safe in Berlin"]})
        pause()
        transition = f"/admin/articles/article/{draft_id}/transition/unpublish/"
        editor.get(transition)
        withdrawing = time.monotonic()
        assert editor.post(transition, {"comment": "Not confirmed."}).status == 302
        withdrawn = time.monotonic()
        pause()

    assert len(readers.readings) > 100
    assert not [(r.path, r.status) for r in readers.readings if r.status >= 500]
    # The new story, on its page and every list, from the first request after its publication.
    for reading in readers.since(published, [NEW_STORY, *LISTS]):
        if reading.started < withdrawing:
            assert "Kremlin names an envoy" in reading.text, reading.path
    # The correction, then the edit too: neither lost, neither late.
    for reading in readers.since(corrected, [STORY]):
        assert "He crossed at dusk." in reading.text
    for reading in readers.since(edited, [STORY, *LISTS]):
        assert "Defector safe in Berlin" in reading.text, reading.path
    # The withdrawn story: gone from its page and every list.
    for reading in readers.since(withdrawn, [NEW_STORY]):
        assert reading.status == 410
    for reading in readers.since(withdrawn, ["/", *LISTS]):
        assert "Kremlin names an envoy" not in reading.text, reading.path
