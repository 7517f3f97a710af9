"""RSS and Atom feeds of the site, a section, an author and a tag, as feed readers parse them."""

import html
import re
from datetime import UTC, datetime

import feedparser
import pytest
from django.urls import reverse

from articles.models import Article, Tag

from .conftest import (
    HIDDEN_STATES,
    at,
    make_article,
    make_author,
    make_section,
    warm_sitewide_cache,
)
from .images_support import make_image

pytestmark = pytest.mark.django_db

CHANNELS = ["site", "section", "author", "tag"]
FEED_TITLES = {
    "site": "The Courier",
    "section": "The Courier: World",
    "author": "The Courier: Ben Brandt",
    "tag": "The Courier: Kremlin",
}
FORMATS = ["rss", "atom"]
FEEDS = [(channel, kind) for channel in CHANNELS for kind in FORMATS]


def feed_url(channel: str, kind: str, slug: str | None = None) -> str:
    """The address of one of the eight feeds; `slug` names the channel's section, author or tag."""
    suffix = "" if kind == "rss" else "_atom"
    if channel == "site":
        return reverse(f"articles:feed{suffix}")
    slug = slug or {"section": "world", "author": "ben-brandt", "tag": "kremlin"}[channel]
    return reverse(f"articles:{channel}_feed{suffix}", kwargs={"slug": slug})


def parse(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def utc(parsed) -> datetime:
    return datetime(*parsed[:6], tzinfo=UTC)


@pytest.fixture
def world(clock):
    return make_section(name="World", slug="world")


@pytest.fixture
def byline(clock):
    """Two authors, in an order that is not alphabetical."""
    return [
        make_author(name="Ben Brandt", slug="ben-brandt"),
        make_author(name="Anna Albers", slug="anna-albers"),
    ]


def make_story(world, byline, **fields) -> Article:
    """A story in every channel's feed: in World, by Ben Brandt and Anna Albers, on the Kremlin."""
    return make_article(section=world, authors=byline, tags=["Kremlin", "Moscow"], **fields)


@pytest.fixture
def story(clock, world, byline, media_root):
    clock.now = at("2026-04-05 08:00")  # first saved before publication
    story = make_story(
        world,
        byline,
        headline="Defector reaches Berlin",
        slug="defector-reaches-berlin",
        standfirst="A colonel of the security service has crossed into the EU.",
        published_at=at("2026-04-05 09:00"),
        lead_picture=make_image(),
    )
    clock.now = at("2026-04-05 11:30")
    story.save()  # a later edit
    clock.now = at("2026-04-05 12:00")
    return story


# What every entry carries


@pytest.mark.parametrize(("channel", "kind"), FEEDS)
def test_feed_parses_without_errors_and_names_its_channel(client, story, channel, kind):
    feed = parse(client, feed_url(channel, kind))

    assert feed.version == ("rss20" if kind == "rss" else "atom10")
    assert feed.feed.title == FEED_TITLES[channel]
    assert [entry.title for entry in feed.entries] == ["Defector reaches Berlin"]


@pytest.mark.parametrize(("channel", "kind"), FEEDS)
def test_entry_has_title_link_times_and_summary(client, story, channel, kind):
    [entry] = parse(client, feed_url(channel, kind)).entries

    assert entry.title == "Defector reaches Berlin"
    assert entry.link == "http://testserver/world/defector-reaches-berlin/"
    assert utc(entry.published_parsed) == at("2026-04-05 09:00")
    # Checked with `in`: feedparser falls back to the published time for a missing `updated`.
    assert "updated" in entry
    assert utc(entry.updated_parsed) == at("2026-04-05 11:30")
    assert entry.summary == "A colonel of the security service has crossed into the EU."


@pytest.mark.parametrize("kind", FORMATS)
def test_story_saved_before_its_time_counts_as_updated_when_it_appears(
    client, clock, world, byline, kind
):
    clock.now = at("2026-04-05 08:00")
    make_story(world, byline, published_at=at("2026-04-05 09:00"))
    clock.now = at("2026-04-05 12:00")

    [entry] = parse(client, feed_url("site", kind)).entries

    assert utc(entry.updated_parsed) == at("2026-04-05 09:00")


@pytest.mark.parametrize(("channel", "kind"), FEEDS)
def test_entry_names_every_author_once_in_byline_order(client, story, channel, kind):
    [entry] = parse(client, feed_url(channel, kind)).entries

    assert [author.name for author in entry.authors] == ["Ben Brandt", "Anna Albers"]


@pytest.mark.parametrize(("channel", "kind"), FEEDS)
def test_entry_has_the_tags_as_categories(client, story, channel, kind):
    [entry] = parse(client, feed_url(channel, kind)).entries

    assert sorted(tag.term for tag in entry.tags) == ["Kremlin", "Moscow"]


@pytest.mark.parametrize(("channel", "kind"), FEEDS)
def test_entry_has_the_lead_picture_as_media_content(client, story, channel, kind):
    [entry] = parse(client, feed_url(channel, kind)).entries
    image = story.lead_picture  # 2400 × 1600, shared at 16:9

    assert entry.media_content == [
        {
            "url": f"http://testserver/images/{image.pk}/{image.content_key}/16x9/1280.jpg",
            "medium": "image",
            "type": "image/jpeg",
            "width": "1280",
            "height": "720",
        }
    ]


@pytest.mark.parametrize("kind", FORMATS)
def test_entry_without_a_picture_has_no_media_content(client, clock, world, byline, kind):
    make_story(world, byline, published_at=at("2026-04-05 09:00"))

    [entry] = parse(client, feed_url("site", kind)).entries

    assert "media_content" not in entry


@pytest.mark.parametrize("kind", FORMATS)
def test_text_with_markup_characters_reads_back_as_written(client, clock, world, byline, kind):
    text = 'Bread & butter < 3 € for "everyone" – isn\'t it?'
    make_story(world, byline, headline=text, standfirst=text, published_at=at("2026-04-05 09:00"))

    [entry] = parse(client, feed_url("site", kind)).entries

    assert entry.title == text
    # The summary is HTML, as feed readers treat it: the text survives, not as markup.
    assert html.unescape(entry.summary) == text


# Markup typed into a headline, a standfirst, a name, a bio or a tag, raw, as character
# references, twice encoded, broken up or left unclosed.
HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&lt;img src=x onerror=alert(1)&gt;",
    "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "unclosed <img src=x onerror=alert(1)",
]


def what_a_reader_shows(feed: feedparser.FeedParserDict) -> list[str]:
    """Every title, description, name and category of a parsed feed and its entries."""
    texts = [feed.feed.title, feed.feed.get("subtitle", "")]
    for entry in feed.entries:
        texts += [entry.title, entry.summary]
        texts += [tag.term for tag in entry.get("tags", [])]
        texts += [author.get("name", "") for author in entry.get("authors", [])]
    return texts


@pytest.mark.parametrize("payload", HOSTILE_TEXT)
@pytest.mark.parametrize(("channel", "kind"), FEEDS)
def test_no_title_or_description_carries_markup_even_after_a_decode(
    client, clock, channel, kind, payload
):
    section = make_section(name=f"World {payload}", slug="world", description=f"News {payload}")
    author = make_author(name=f"Ben {payload}", slug="ben-brandt", bio=f"Writes {payload}")
    make_article(
        section=section,
        authors=[author],
        tags=[f"Kremlin {payload}"],
        headline=f"Defector {payload}",
        standfirst=f"A colonel {payload}",
        published_at=at("2026-04-05 09:00"),
    )
    slug = Tag.objects.get().slug if channel == "tag" else None

    feed = parse(client, feed_url(channel, kind, slug))

    assert len(feed.entries) == 1
    texts = what_a_reader_shows(feed)
    assert "Defector" in feed.entries[0].title
    for text in texts + [html.unescape(text) for text in texts]:
        assert not re.search(r"<\s*(script|img)|onerror\s*=", text, re.IGNORECASE), text


@pytest.mark.parametrize(("channel", "kind"), FEEDS)
def test_titles_and_descriptions_keep_their_words_without_tags(client, clock, channel, kind):
    section = make_section(
        name="<b>World</b>", slug="world", description="<p>Reporting from abroad.</p>"
    )
    author = make_author(name="<i>Ben</i> Brandt", slug="ben-brandt", bio="<p>Covers Russia.</p>")
    make_article(
        section=section,
        authors=[author],
        tags=["<em>Kremlin</em>"],
        headline="<strong>Defector</strong> reaches Berlin",
        standfirst="A <em>colonel</em> has crossed into the EU.",
        published_at=at("2026-04-05 09:00"),
    )

    slug = Tag.objects.get().slug if channel == "tag" else None

    feed = parse(client, feed_url(channel, kind, slug))
    [entry] = feed.entries

    assert feed.feed.title == FEED_TITLES[channel]
    assert (
        feed.feed.subtitle
        == {
            "site": "Independent news, checked and sourced",
            "section": "Reporting from abroad.",
            "author": "Covers Russia.",
            "tag": "Stories on Kremlin",
        }[channel]
    )
    assert entry.title == "Defector reaches Berlin"
    assert entry.summary == "A colonel has crossed into the EU."
    assert [tag.term for tag in entry.tags] == ["Kremlin"]
    assert [author.name for author in entry.authors] == ["Ben Brandt"]


@pytest.mark.parametrize(("channel", "kind"), FEEDS)
def test_control_characters_are_dropped_instead_of_breaking_the_feed(
    client, clock, world, byline, channel, kind
):
    make_story(
        world,
        byline,
        headline="Pasted\x0b from the wire\x0c",
        standfirst="Also\x1f here.",
        published_at=at("2026-04-05 09:00"),
    )

    [entry] = parse(client, feed_url(channel, kind)).entries

    assert entry.title == "Pasted from the wire"
    assert entry.summary == "Also here."


@pytest.mark.parametrize("kind", FORMATS)
def test_newest_story_comes_first(client, clock, world, byline, kind):
    for hour in ["08:00", "10:00", "09:00"]:
        make_story(world, byline, headline=f"At {hour}", published_at=at(f"2026-04-05 {hour}"))

    entries = parse(client, feed_url("site", kind)).entries

    assert [entry.title for entry in entries] == ["At 10:00", "At 09:00", "At 08:00"]


# Identity


@pytest.mark.parametrize(("channel", "kind"), FEEDS)
def test_entry_id_survives_a_change_of_slug_and_section(client, story, channel, kind):
    [before] = parse(client, feed_url(channel, kind)).entries
    story.slug = "colonel-reaches-berlin"
    story.headline = "Colonel reaches Berlin"
    story.save()

    [after] = parse(client, feed_url(channel, kind)).entries

    assert after.link == "http://testserver/world/colonel-reaches-berlin/"
    assert after.id == before.id


def test_entry_ids_differ_between_stories(client, clock, world, byline):
    for hour in ["08:00", "09:00"]:
        make_story(world, byline, published_at=at(f"2026-04-05 {hour}"))

    first, second = parse(client, feed_url("site", "atom")).entries

    assert first.id != second.id


# Published only


@pytest.mark.parametrize(("channel", "kind"), FEEDS)
def test_feed_never_shows_a_hidden_story(client, story, world, byline, channel, kind):
    for state, fields in HIDDEN_STATES.items():
        make_story(world, byline, headline=f"Hidden: {state}", **fields)

    entries = parse(client, feed_url(channel, kind)).entries

    assert [entry.title for entry in entries] == ["Defector reaches Berlin"]


def test_scheduled_story_enters_the_feed_at_its_time(client, clock, story, world, byline):
    make_story(world, byline, headline="Later", published_at=at("2026-04-05 13:00"))
    assert len(parse(client, feed_url("site", "rss")).entries) == 1

    clock.now = at("2026-04-05 13:00")

    titles = [entry.title for entry in parse(client, feed_url("site", "rss")).entries]
    assert titles == ["Later", "Defector reaches Berlin"]


@pytest.mark.parametrize(("channel", "kind"), [feed for feed in FEEDS if feed[0] != "site"])
def test_unknown_channel_is_404(client, story, channel, kind):
    assert client.get(feed_url(channel, kind, slug="no-such-thing")).status_code == 404


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_tag_only_hidden_stories_carry_has_no_feed(client, clock, state, kind):
    make_article(tags=["Embargoed"], **HIDDEN_STATES[state])

    assert client.get(feed_url("tag", kind, slug="embargoed")).status_code == 404


# Query budget


@pytest.mark.parametrize(("channel", "kind"), FEEDS)
def test_feed_query_count_does_not_grow_with_stories(
    client, clock, world, byline, media_root, django_assert_num_queries, channel, kind
):
    url = feed_url(channel, kind)
    # The stories, their bylines, their tags, and the channel's own row; the site's default
    # picture, for the stories without a picture, comes from the site-wide cache.
    expected = 3 if channel == "site" else 4
    picture = make_image()
    for _ in range(3):
        make_story(world, byline, published_at=at("2026-04-05 09:00"), lead_picture=picture)
    warm_sitewide_cache()
    with django_assert_num_queries(expected):
        assert len(parse(client, url).entries) == 3

    for _ in range(17):
        make_story(world, [make_author()] + byline, published_at=at("2026-04-05 09:00"))
    warm_sitewide_cache()
    with django_assert_num_queries(expected):
        assert len(parse(client, url).entries) == 20
