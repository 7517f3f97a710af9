"""Varnish in front of an app server, with the repository's VCL (deploy/varnish/newsroom.vcl):
readers get cached copies, staff never do, and an editor's correction reaches readers through
Varnish within a second of saving, by the purge the app server sends.

Needs Debian's varnish (`.ci/run` installs it); skipped loudly without it, and a failure with
REQUIRE_VARNISH=1.
"""

import os
import re
import shutil
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.appserver_support import (
    PROJECT,
    AppServer,
    WebClient,
    form_fields,
    free_port,
    gunicorn,
    manage,
    server_env,
    with_inline_row,
)

VCL = PROJECT / "deploy" / "varnish" / "newsroom.vcl"
STORY = "/world/defector-reaches-berlin/"
CORRECTION = "He crossed the border at dusk, not at dawn."

SETUP = """
from django.contrib.auth import get_user_model
from django.utils import timezone
from articles.editing import save_story
from articles.models import Article, Author, Section
get_user_model().objects.create_superuser("chief", "", "pw-chief-123")
story = Article(
    headline="Defector reaches Berlin",
    slug="defector-reaches-berlin",
    section=Section.objects.create(name="World", slug="world"),
    body="<p>He crossed the border at dawn.</p>",
    status="published",
    published_at=timezone.now(),
)
save_story(story, authors=[Author.objects.create(name="Jens Kiffmeier", slug="jens-kiffmeier")])
print(story.pk)
"""


@dataclass
class Stack:
    url: str
    story_id: int


@pytest.fixture(scope="module")
def varnishd() -> str:
    found = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/usr/local/sbin")
    if not found:
        message = "no varnishd to test with (apt-get install varnish; .ci/run does)"
        if os.environ.get("REQUIRE_VARNISH") == "1":
            pytest.fail(f"{message}; REQUIRE_VARNISH=1 makes that a failure")
        pytest.skip(message)
    return found


def varnish(varnishd: str, port: int, backend_port: int, folder: Path) -> AppServer:
    """varnishd in the foreground on `port`, with our VCL pointed at the app server."""
    vcl = folder / "newsroom.vcl"
    vcl.write_text(re.sub(r'\.port = "\d+";', f'.port = "{backend_port}";', VCL.read_text()))
    command = [
        varnishd,
        "-F",  # in the foreground, stopped with the test
        "-j",  # as the user running the tests, root included, with its private folders
        "none",
        "-a",
        f"127.0.0.1:{port}",
        "-f",
        str(vcl),
        "-n",
        str(folder / "work"),
        "-s",
        "malloc,32m",
        "-T",
        "none",
    ]
    return AppServer(command, os.environ.copy(), port, folder / "varnish.log")


@pytest.fixture(scope="module")
def stack(varnishd, tmp_path_factory):
    """Varnish in front of one gunicorn app server that purges it on every change."""
    folder = tmp_path_factory.mktemp("varnish")
    env = server_env(DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}")
    manage("migrate", "--noinput", env=env)
    story_id = int(manage("shell", "--no-imports", "-c", SETUP, env=env))
    cache_port = free_port()
    purging = env | {"NEWSROOM_PURGE_URLS": f"varnish+http://127.0.0.1:{cache_port}/"}
    with (
        gunicorn(purging, folder / "app.log") as app,
        varnish(varnishd, cache_port, app.port, folder) as cache,
    ):
        yield Stack(cache.url, story_id)


def test_readers_get_the_copy_varnish_keeps(stack):
    reader = WebClient(stack.url)

    answers = [reader.get(STORY), reader.get(STORY)]

    assert [answer.status for answer in answers] == [200, 200]
    assert [answer.headers["X-Cache"] for answer in answers] == ["MISS", "HIT"]
    assert answers[1].body == answers[0].body
    assert "Surrogate-Key" not in answers[1].headers  # Varnish's business only


def test_readers_other_cookies_get_the_cached_copy_too(stack):
    WebClient(stack.url).get("/")
    request = urllib.request.Request(stack.url + "/", headers={"Cookie": "_pk_id=123"})

    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.headers["X-Cache"] == "HIT"


def test_staff_go_past_varnish(stack):
    editor = WebClient(stack.url)
    editor.log_in("chief", "pw-chief-123")

    answers = [editor.get(STORY), editor.get(STORY)]

    assert [answer.headers["X-Cache"] for answer in answers] == ["MISS", "MISS"]
    assert "private" in answers[1].headers["Cache-Control"]


def test_a_correction_reaches_readers_through_varnish_within_a_second(stack):
    reader = WebClient(stack.url)
    reader.get(STORY)
    assert reader.get(STORY).headers["X-Cache"] == "HIT"
    editor = WebClient(stack.url)
    editor.log_in("chief", "pw-chief-123")
    change_form = f"/admin/articles/article/{stack.story_id}/change/"
    fields = with_inline_row(
        form_fields(editor.get(change_form).text),
        "corrections",
        {"kind": "correction", "text": CORRECTION},
    )

    saved = editor.post(change_form, fields)
    saved_at = time.monotonic()

    assert saved.status == 302, saved.text
    while CORRECTION not in (page := reader.get(STORY)).text:
        assert time.monotonic() - saved_at < 1, "the correction took more than a second"
        time.sleep(0.05)
    assert time.monotonic() - saved_at < 1
    assert page.headers["X-Cache"] == "MISS"  # the old copy was dropped, not expired
    assert reader.get(STORY).headers["X-Cache"] == "HIT"
