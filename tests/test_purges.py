"""Purges: a change asks the caches in front of the site (Varnish, Fastly, Cloudflare) to drop
the responses carrying its surrogate keys, after the commit, with retries; a cache that fails
never fails the save. A fake receiver on 127.0.0.1 stands in for the CDNs' APIs."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import caching, workflow
from articles.editing import save_story
from articles.models import Article
from articles.purges import PurgeTarget
from articles.tasks import PURGE_ATTEMPTS, invalidate_again, purge

from .appserver_support import run_manage, server_env
from .cache_support import commit
from .conftest import make_article, make_staff

pytestmark = pytest.mark.django_db


class Receiver(ThreadingHTTPServer):
    """Records every request; answers each with `status`."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.received: list[dict] = []
        self.status = 200

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class ReceiverHandler(BaseHTTPRequestHandler):
    def handle_one(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.server.received.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": dict(self.headers),
                "body": self.rfile.read(length),
            }
        )
        self.send_response(self.server.status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_BAN = do_POST = handle_one

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def receiver():
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def purged(settings, receiver) -> Receiver:
    """The receiver, configured as a Varnish, a Fastly service and a Cloudflare zone."""
    settings.NEWSROOM_PURGE_URLS = [
        f"varnish+{receiver.base}/",
        f"fastly+http://:fastly-secret@127.0.0.1:{receiver.server_address[1]}/service/SVC/purge",
        f"cloudflare+http://:cf-secret@127.0.0.1:{receiver.server_address[1]}"
        "/client/v4/zones/ZONE/purge_cache",
    ]
    return receiver


@pytest.fixture
def story(clock, receiver) -> Article:
    """A story in review in a new section (whose making purged the navigation: forgotten)."""
    story = make_article(status=Article.Status.IN_REVIEW, published_at=None, tags=["Kremlin"])
    commit()
    receiver.received.clear()
    return story


def test_publishing_purges_the_storys_keys_from_every_configured_cache(purged, story):
    workflow.apply(story, "publish", make_staff("Editor"))
    assert purged.received == []  # not before the commit

    commit()

    varnish, fastly, cloudflare = purged.received
    expected = {
        f"article-{story.pk}",
        "home",
        "feed",
        "sitemap",
        f"list-section-{story.section_id}",
    }
    assert varnish["method"] == "BAN" and varnish["path"] == "/"
    assert expected <= set(varnish["headers"]["Surrogate-Key"].split())
    assert (fastly["method"], fastly["path"]) == ("POST", "/service/SVC/purge")
    assert expected <= set(fastly["headers"]["Surrogate-Key"].split())
    assert fastly["headers"]["Fastly-Key"] == "fastly-secret"
    assert (cloudflare["method"], cloudflare["path"]) == (
        "POST",
        "/client/v4/zones/ZONE/purge_cache",
    )
    assert expected <= set(json.loads(cloudflare["body"])["tags"])
    assert cloudflare["headers"]["Authorization"] == "Bearer cf-secret"


def test_one_purge_per_transaction_however_many_saves_it_makes(purged, story):
    workflow.apply(story, "publish", make_staff("Editor"))
    story.headline = "A new headline"
    save_story(story)

    commit()

    assert [request["method"] for request in purged.received] == ["BAN", "POST", "POST"]


def test_saving_a_draft_purges_nothing(purged, story):
    make_article(section=story.section, status=Article.Status.DRAFT, published_at=None)
    commit()

    assert purged.received == []


def test_a_failing_cache_never_fails_the_save(purged, clock, caplog, client):
    story = make_article(headline="Defector reaches Berlin")
    commit()
    client.get(story.get_absolute_url())
    purged.status = 503
    purged.received.clear()

    story.headline = "Saved all the same"
    save_story(story)
    commit()

    assert Article.objects.get(pk=story.pk).headline == "Saved all the same"
    assert len(purged.received) == 3
    assert "Purge 1 of" in caplog.text and "HTTP Error 503" in caplog.text
    assert b"Saved all the same" in client.get(story.get_absolute_url()).content


def test_an_unreachable_cache_never_fails_the_save(settings, clock, caplog):
    settings.NEWSROOM_PURGE_URLS = ["varnish+http://127.0.0.1:9/"]  # the discard port: closed
    story = make_article()

    save_story(story)
    commit()

    assert "Purge 1 of" in caplog.text and "refused" in caplog.text


def test_a_failed_purge_is_asked_again_later(purged, settings, caplog):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    purged.status = 500

    purge.call(["article-1"])

    retry = DBTaskResult.objects.get(task_path="articles.tasks.purge")
    assert retry.args_kwargs["args"] == [["article-1"], [0, 1, 2], 2]
    assert retry.run_after - timezone.now() == pytest.approx(timedelta(seconds=4), abs=timedelta(2))

    purge.call(["article-1"], [1], PURGE_ATTEMPTS)  # the last attempt

    assert DBTaskResult.objects.count() == 1
    assert "Gave up purging ['article-1']" in caplog.text


def test_behind_read_replicas_a_change_is_dropped_again_once_they_caught_up(settings, story):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DATABASE_REPLICAS = ["replica1"]

    save_story(story)
    workflow.apply(story, "publish", make_staff("Editor"))
    commit()

    again = DBTaskResult.objects.get(task_path="articles.tasks.invalidate_again")
    assert f"article-{story.pk}" in again.args_kwargs["args"][0]
    lag = timedelta(seconds=settings.NEWSROOM_REPLICA_PIN_SECONDS)
    assert again.run_after - timezone.now() == pytest.approx(lag, abs=timedelta(seconds=2))


def test_invalidating_again_drops_the_cached_responses_once_more(story):
    before = cache.get(caching.VERSION_KEY + "home")

    invalidate_again.call(["home"])

    assert cache.get(caching.VERSION_KEY + "home") > (before or 0)


def test_cloudflare_gets_at_most_30_tags_a_request():
    target = PurgeTarget.parse(
        "cloudflare+https://:t@api.cloudflare.com/client/v4/zones/Z/purge_cache"
    )
    keys = [f"article-{number}" for number in range(100)]

    requests = target.requests(keys)

    batches = [json.loads(request.data)["tags"] for request in requests]
    assert [len(batch) for batch in batches] == [30, 30, 30, 10]
    assert sum(batches, []) == keys
    assert all(request.full_url.startswith("https://api.cloudflare.com/") for request in requests)


def test_a_token_is_sent_as_a_header_never_in_the_address():
    target = PurgeTarget.parse("fastly+https://:s3cret@api.fastly.com/service/abc/purge")

    (request,) = target.requests(["home"])

    assert request.full_url == "https://api.fastly.com/service/abc/purge"
    assert request.get_header("Fastly-key") == "s3cret"


@pytest.mark.parametrize("text", ["varnish+ftp://cache/", "akamai+https://x/", "https://x/"])
def test_a_purge_url_without_a_known_kind_and_web_address_is_refused(text):
    with pytest.raises(ValueError, match="A purge URL looks like"):
        PurgeTarget.parse(text)


def test_the_site_refuses_to_start_with_an_unknown_kind_of_purge_url():
    result = run_manage("check", env=server_env(NEWSROOM_PURGE_URLS="akamai+https://api.example/"))

    assert result.returncode != 0
    assert "NEWSROOM_PURGE_URLS" in result.stderr
