"""The times every public channel gives: when readers last saw a story change (one rule,
`modified_at`, for the API, feeds, sitemaps, structured data and conditional responses), and
every machine-readable time to the whole second."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.core.cache import cache
from django.utils.http import parse_http_date

from articles.models import Article, Correction

from .api_support import LIST_URL, detail_url, get_item, get_list, item_uri, listed_uris
from .conftest import at, make_article, make_section

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
STORY_URL = "/world/defector-reaches-berlin/"
# A time of day with a fraction of a second: "12:41:10.812719", as the review found.
FRACTION = re.compile(rb"\d\d:\d\d:\d\d[.,]\d")


def fetch(client, url: str) -> bytes:
    cache.clear()  # sitemaps are cached for crawlers
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content


def last_modified(client, url: str) -> datetime:
    seconds = parse_http_date(client.get(url)["Last-Modified"])
    return datetime.fromtimestamp(seconds, tz=UTC)


def sitemap_lastmods(client, url: str) -> dict[str, datetime]:
    """The lastmod of each entry of a sitemap or the index that has one, by address."""
    return {
        entry.findtext(f"{SITEMAP}loc"): datetime.fromisoformat(lastmod)
        for entry in ET.fromstring(fetch(client, url))
        if (lastmod := entry.findtext(f"{SITEMAP}lastmod"))
    }


def feed_updated(client, url: str) -> list[datetime]:
    feed = feedparser.parse(fetch(client, url))
    return [datetime(*entry.updated_parsed[:6], tzinfo=UTC) for entry in feed.entries]


def date_modified(client, url: str) -> datetime:
    found = re.search(rb'"dateModified": "([^"]+)"', fetch(client, url))
    return datetime.fromisoformat(found[1].decode())


# When readers last saw a change


@pytest.fixture
def scheduled(clock):
    """A story saved at 09:00 and scheduled for 18:00."""
    clock.now = at("2026-04-05 09:00")
    return make_article(
        section=make_section(slug="world"),
        slug="defector-reaches-berlin",
        published_at=at("2026-04-05 18:00"),
    )


def test_polling_the_api_receives_a_scheduled_story_once_it_goes_live(client, clock, scheduled):
    clock.now = at("2026-04-05 17:30")
    assert listed_uris(client, "updated_since=2026-04-05T17:00:00") == []

    clock.now = at("2026-04-05 18:05")
    [item] = get_list(client, "updated_since=2026-04-05T17:00:00")["items"]

    assert item["uri"] == item_uri(scheduled)
    assert item["versionCreated"] == "2026-04-05T16:00:00Z"  # 18:00 in Berlin


def test_every_channel_dates_a_scheduled_story_from_when_it_went_live(client, clock, scheduled):
    clock.now = at("2026-04-05 18:05")
    live = at("2026-04-05 18:00")

    assert get_item(client, scheduled)["versionCreated"] == "2026-04-05T16:00:00Z"
    assert last_modified(client, LIST_URL) == live
    assert last_modified(client, detail_url(scheduled)) == live
    assert sitemap_lastmods(client, "/sitemap-articles.xml") == {
        f"http://testserver{STORY_URL}": live
    }
    index = sitemap_lastmods(client, "/sitemap.xml")
    assert index["http://testserver/sitemap-articles.xml"] == live
    assert feed_updated(client, "/feeds/rss/") == feed_updated(client, "/feeds/atom/") == [live]
    assert date_modified(client, STORY_URL) == live


def test_a_correction_is_a_change_in_every_channel(client, clock):
    clock.now = at("2026-04-05 09:00")
    story = make_article(section=make_section(slug="world"), slug="defector-reaches-berlin")
    clock.now = at("2026-04-05 15:00")
    Correction.objects.create(
        article=story, text="The colonel's name is spelled Karakulov.", created_at=clock.now
    )
    clock.now = at("2026-04-05 16:00")
    corrected = at("2026-04-05 15:00")

    assert listed_uris(client, "updated_since=2026-04-05T14:30:00") == [item_uri(story)]
    assert get_item(client, story)["versionCreated"] == "2026-04-05T13:00:00Z"
    assert last_modified(client, detail_url(story)) == corrected
    assert sitemap_lastmods(client, "/sitemap-articles.xml") == {
        f"http://testserver{STORY_URL}": corrected
    }
    assert feed_updated(client, "/feeds/atom/") == [corrected]
    assert date_modified(client, STORY_URL) == corrected


def test_the_queryset_and_the_model_agree_on_when_readers_saw_a_change(clock):
    stories = [
        make_article(status=Article.Status.DRAFT, published_at=None),
        make_article(published_at=clock.now + timedelta(hours=6)),  # scheduled
        make_article(published_at=clock.now - timedelta(days=2)),  # saved after publication
    ]
    clock.advance(hours=1)
    stories[2].save()  # an edit
    clock.advance(hours=1)
    Correction.objects.create(article=stories[2], text="Corrected.", created_at=clock.now)

    annotated = dict(Article.objects.with_modified_at().values_list("pk", "modified_at"))

    assert annotated == {story.pk: story.modified_at for story in Article.objects.all()}
    assert annotated == {
        stories[0].pk: at("2026-04-05 12:00"),
        stories[1].pk: at("2026-04-05 18:00"),
        stories[2].pk: at("2026-04-05 14:00"),
    }


def test_articles_loaded_with_modified_at_carry_the_databases_answer(
    clock, django_assert_num_queries
):
    for hours in [1, 2, 3]:
        make_article(published_at=clock.now - timedelta(hours=hours))

    with django_assert_num_queries(1):  # their dates stay unloaded
        times = [story.modified_at for story in Article.objects.with_modified_at().only("pk")]

    assert times == [at("2026-04-05 12:00")] * 3  # saved at noon, after publication


# To the whole second


@pytest.fixture
def story(clock):
    """A story whose times all have a fraction of a second: published at 09:00:00.65, saved at
    11:30:00.81 and corrected at 11:45:00.25."""
    clock.now = at("2026-04-05 11:30:00.812719")
    story = make_article(
        section=make_section(name="World", slug="world"),
        slug="defector-reaches-berlin",
        published_at=at("2026-04-05 09:00:00.654321"),
        expires_at=at("2026-05-05 09:00:00.5"),
        tags=["Kremlin"],
    )
    clock.now = at("2026-04-05 11:45:00.25")
    Correction.objects.create(
        article=story, text="The colonel's name is spelled Karakulov.", created_at=clock.now
    )
    clock.now = at("2026-04-05 12:00")
    return story


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", 'datetime="2026-04-05T09:00:00+02:00"'),
        (STORY_URL, 'datetime="2026-04-05T11:45:00+02:00"'),  # the correction
        (STORY_URL, 'content="2026-04-05T11:45:00+02:00"'),  # article:modified_time
        (STORY_URL, '"dateModified": "2026-04-05T11:45:00+02:00"'),  # JSON-LD
        ("/sitemap.xml", "<lastmod>2026-04-05T11:45:00+02:00</lastmod>"),
        ("/sitemap-articles.xml", "<lastmod>2026-04-05T11:45:00+02:00</lastmod>"),
        ("/sitemap-sections.xml", "<lastmod>2026-04-05T11:45:00+02:00</lastmod>"),
        ("/sitemap-news.xml", "<news:publication_date>2026-04-05T09:00:00+02:00<"),
        ("/feeds/rss/", "<atom:updated>2026-04-05T09:45:00+00:00</atom:updated>"),
        ("/feeds/atom/", "<published>2026-04-05T07:00:00+00:00</published>"),
        ("/feeds/atom/", "<updated>2026-04-05T09:45:00+00:00</updated>"),
    ],
)
def test_pages_sitemaps_and_feeds_give_times_to_the_whole_second(client, story, url, expected):
    content = fetch(client, url)

    assert expected.encode() in content
    assert FRACTION.findall(content) == []


def test_an_empty_feed_is_dated_to_the_whole_second(client, clock):
    make_section(slug="quiet")

    content = fetch(client, "/feeds/section/quiet/atom/")

    assert b"<updated>" in content
    assert FRACTION.findall(content) == []


def test_the_api_gives_times_to_the_whole_second(client, story):
    item = get_item(client, story)

    assert item["firstCreated"] == "2026-04-05T09:30:00Z"
    assert item["versionCreated"] == "2026-04-05T09:45:00Z"
    assert item["contentCreated"] == "2026-04-05T07:00:00Z"
    assert item["expires"] == "2026-05-05T07:00:00Z"


def test_updated_since_is_taken_to_the_whole_second(client, story):
    make_article(published_at=at("2026-04-05 10:00"))

    page = get_list(client, "updated_since=2026-04-05T11:45:00.9%2B02:00&page_size=1")

    # The fraction is dropped, as versionCreated has none: the story changed at 11:45:00.25
    # is listed, and the next page asks for the same.
    assert page["count"] == 2
    assert "updated_since=2026-04-05T09%3A45%3A00%2B00%3A00&" in page["next"]
