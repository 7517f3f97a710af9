"""The sitemap index and its sitemaps, the Google News sitemap and robots.txt."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from urllib.robotparser import RobotFileParser

import pytest
from django.core.cache import cache

from articles import sitemaps
from articles.models import Page

from .cache_support import commit
from .conftest import HIDDEN_STATES, NOW, at, make_article, make_author, make_section

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"

SITEMAPS = ["sections", "articles", "authors", "tags", "pages"]


def drop_cached_sitemaps() -> None:
    """Drop the copies kept for crawlers (the stories just made wait for their commit, so the
    sitemaps are made anew, without the query for the next scheduled change)."""
    cache.clear()


def get_xml(client, url: str, *, keep_cache: bool = False) -> ET.Element:
    """The sitemap as generated now (its cached copy is dropped first, unless `keep_cache`)."""
    if not keep_cache:
        cache.clear()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def entries(client, name: str, page: int = 1, **options) -> dict[str, datetime | None]:
    """The addresses a page of a sitemap lists, each with its lastmod."""
    root = get_xml(client, f"/sitemap-{name}.xml" + (f"?p={page}" if page > 1 else ""), **options)
    assert root.tag == f"{SITEMAP}urlset"
    return {
        url.findtext(f"{SITEMAP}loc"): (
            datetime.fromisoformat(lastmod)
            if (lastmod := url.findtext(f"{SITEMAP}lastmod"))
            else None
        )
        for url in root.findall(f"{SITEMAP}url")
    }


def news_entries(client) -> list[dict[str, str]]:
    root = get_xml(client, "/sitemap-news.xml")
    assert root.tag == f"{SITEMAP}urlset"
    return [
        {
            "loc": url.findtext(f"{SITEMAP}loc"),
            "name": url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}name"),
            "language": url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language"),
            "date": url.findtext(f"{NEWS}news/{NEWS}publication_date"),
            "title": url.findtext(f"{NEWS}news/{NEWS}title"),
        }
        for url in root.findall(f"{SITEMAP}url")
    ]


@pytest.fixture
def world(clock):
    return make_section(name="World", slug="world")


@pytest.fixture
def reporter(clock):
    return make_author(name="Jens Kiffmeier", slug="jens-kiffmeier")


@pytest.fixture
def story(clock, world, reporter):
    clock.now = at("2026-04-05 08:00")
    story = make_article(
        section=world,
        slug="defector-reaches-berlin",
        headline="Defector reaches Berlin",
        published_at=at("2026-04-05 09:00"),
        authors=[reporter],
        tags=["Kremlin"],
    )
    clock.now = at("2026-04-05 11:30")
    story.save()  # a later edit
    clock.now = NOW
    return story


# The index


def test_index_lists_every_sitemap(client, story):
    root = get_xml(client, "/sitemap.xml")

    assert root.tag == f"{SITEMAP}sitemapindex"
    assert [element.findtext(f"{SITEMAP}loc") for element in root] == [
        f"http://testserver/sitemap-{name}.xml" for name in SITEMAPS
    ]


def test_index_dates_each_sitemap_by_its_newest_change(client, story):
    Page.objects.create(title="Masthead", slug="masthead", role=Page.Role.MASTHEAD)  # at noon
    root = get_xml(client, "/sitemap.xml")

    lastmods = [datetime.fromisoformat(element.findtext(f"{SITEMAP}lastmod")) for element in root]

    assert lastmods == [at("2026-04-05 11:30")] * 4 + [NOW]


def test_index_lists_every_page_of_the_article_sitemap(client, monkeypatch, world, reporter):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    for hour in range(1, 6):
        make_article(section=world, authors=[reporter], published_at=at(f"2026-04-05 0{hour}:00"))

    root = get_xml(client, "/sitemap.xml")

    locations = [element.findtext(f"{SITEMAP}loc") for element in root]
    assert locations[1:4] == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-articles.xml?p=2",
        "http://testserver/sitemap-articles.xml?p=3",
    ]


def test_article_sitemap_pages_go_newest_first(client, monkeypatch, world):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    for hour in range(1, 6):
        make_article(section=world, slug=f"at-{hour}", published_at=at(f"2026-04-05 0{hour}:00"))

    pages = [list(entries(client, "articles", page)) for page in [1, 2, 3]]

    assert pages == [
        ["http://testserver/world/at-5/", "http://testserver/world/at-4/"],
        ["http://testserver/world/at-3/", "http://testserver/world/at-2/"],
        ["http://testserver/world/at-1/"],
    ]


@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", "1.5", "", "9" * 30])
def test_sitemap_page_that_does_not_exist_is_404(client, monkeypatch, world, page):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    for hour in range(1, 6):
        make_article(section=world, published_at=at(f"2026-04-05 0{hour}:00"))

    assert client.get(f"/sitemap-articles.xml?p={page}").status_code == 404


@pytest.mark.parametrize("name", ["news2", "feeds", "Articles", "article"])
def test_unknown_sitemap_is_404(client, name):
    assert client.get(f"/sitemap-{name}.xml").status_code == 404


# What the sitemaps list


def test_article_sitemap_has_absolute_urls_dated_by_their_last_update(client, story):
    assert entries(client, "articles") == {
        "http://testserver/world/defector-reaches-berlin/": at("2026-04-05 11:30")
    }


def test_article_saved_before_its_time_is_dated_by_its_publication(client, clock, world):
    clock.now = at("2026-04-05 08:00")
    make_article(section=world, slug="scheduled", published_at=at("2026-04-05 09:00"))
    clock.now = NOW

    assert entries(client, "articles") == {
        "http://testserver/world/scheduled/": at("2026-04-05 09:00")
    }


def test_sitemap_urls_follow_the_request_scheme(client, story):
    response = client.get("/sitemap-articles.xml", secure=True)

    assert b"<loc>https://testserver/world/defector-reaches-berlin/</loc>" in response.content


def test_section_sitemap_dates_sections_by_their_newest_published_story(
    client, clock, story, world
):
    quiet = make_section(name="Quiet", slug="quiet")
    make_article(section=quiet, **HIDDEN_STATES["scheduled"])

    assert entries(client, "sections") == {
        "http://testserver/world/": at("2026-04-05 11:30"),
        "http://testserver/quiet/": None,
    }


def test_author_sitemap_lists_authors_with_published_stories(client, story, world):
    make_article(section=world, authors=[make_author(slug="only-drafts")], **HIDDEN_STATES["draft"])
    make_article(section=world, authors=[make_author(slug="newer")], published_at=NOW)

    assert entries(client, "authors") == {
        "http://testserver/author/jens-kiffmeier/": at("2026-04-05 11:30"),
        "http://testserver/author/newer/": NOW,
    }


def test_tag_sitemap_leaves_out_tags_used_only_on_hidden_stories(client, story, world):
    for state, fields in HIDDEN_STATES.items():
        make_article(section=world, tags=[f"Embargoed {state}"], **fields)

    assert entries(client, "tags") == {"http://testserver/tag/kremlin/": at("2026-04-05 11:30")}


def test_page_sitemap_lists_the_newsrooms_pages(client, clock):
    Page.objects.create(title="Masthead", slug="masthead", role=Page.Role.MASTHEAD)
    Page.objects.create(title="About us", slug="about")

    assert entries(client, "pages") == {
        "http://testserver/pages/about/": NOW,
        "http://testserver/pages/masthead/": NOW,
    }


@pytest.mark.parametrize("name", SITEMAPS)
def test_empty_sitemap_is_still_valid(client, name):
    assert entries(client, name) == {}


def test_no_sitemap_lists_a_hidden_story(client, clock, story, world, reporter):
    for state, fields in HIDDEN_STATES.items():
        make_article(section=world, slug=state.replace("_", "-"), authors=[reporter], **fields)
    listed = {url for name in SITEMAPS for url in entries(client, name)}
    listed |= {entry["loc"] for entry in news_entries(client)}

    for state in HIDDEN_STATES:
        assert f"http://testserver/world/{state.replace('_', '-')}/" not in listed
    assert "http://testserver/world/defector-reaches-berlin/" in listed


# The Google News sitemap


def test_news_sitemap_lists_the_last_48_hours_newest_first(client, clock, world):
    for label, moment in [
        ("two-days-ago", NOW - timedelta(hours=48, minutes=1)),
        ("almost-two-days-ago", NOW - timedelta(hours=47, minutes=59)),
        ("just-now", NOW),
        ("in-a-minute", NOW + timedelta(minutes=1)),
        ("yesterday", NOW - timedelta(days=1)),
    ]:
        make_article(section=world, slug=label, published_at=moment)

    assert [entry["loc"] for entry in news_entries(client)] == [
        "http://testserver/world/just-now/",
        "http://testserver/world/yesterday/",
        "http://testserver/world/almost-two-days-ago/",
    ]


def test_news_sitemap_never_lists_a_hidden_story(client, clock, world):
    # All within the news sitemap's 48 hours but for their state.
    for state, fields in HIDDEN_STATES.items():
        make_article(section=world, headline=f"Hidden: {state}", **fields)

    assert news_entries(client) == []


def test_news_entry_names_publication_language_date_and_title(client, story):
    make_article(
        section=story.section,
        slug="kontrollverlust",
        headline="Kontrollverlust im Kreml",
        language="de",
        published_at=at("2026-04-05 07:30"),
    )

    assert news_entries(client) == [
        {
            "loc": "http://testserver/world/defector-reaches-berlin/",
            "name": "The Courier",
            "language": "en",
            "date": "2026-04-05T09:00:00+02:00",
            "title": "Defector reaches Berlin",
        },
        {
            "loc": "http://testserver/world/kontrollverlust/",
            "name": "The Courier",
            "language": "de",
            "date": "2026-04-05T07:30:00+02:00",
            "title": "Kontrollverlust im Kreml",
        },
    ]


def test_news_sitemap_names_the_publication_from_the_setting(client, settings, story):
    settings.NEWSROOM_SITE_NAME = "Tom & Jerry's <Gazette>"

    [entry] = news_entries(client)

    assert entry["name"] == "Tom & Jerry's <Gazette>"


def test_news_sitemap_escapes_the_headline(client, clock, world):
    headline = 'Bread & butter: <script>alert("x")</script> costs more'
    make_article(section=world, headline=headline, published_at=NOW)

    response = client.get("/sitemap-news.xml")

    assert b"<script>" not in response.content
    [entry] = news_entries(client)
    assert entry["title"] == headline


def test_news_sitemap_drops_characters_xml_cannot_carry(client, clock, world):
    make_article(section=world, headline="Pasted\x0b from the wire", published_at=NOW)

    [entry] = news_entries(client)

    assert entry["title"] == "Pasted from the wire"


def test_news_sitemap_stops_at_its_limit(client, monkeypatch, clock, world):
    monkeypatch.setattr(sitemaps, "NEWS_SITEMAP_LIMIT", 2)
    for minutes in [30, 10, 20]:
        make_article(
            section=world, slug=f"m{minutes}", published_at=NOW - timedelta(minutes=minutes)
        )

    assert [entry["loc"] for entry in news_entries(client)] == [
        "http://testserver/world/m10/",
        "http://testserver/world/m20/",
    ]


def test_news_sitemap_declares_its_namespaces(client, story):
    content = client.get("/sitemap-news.xml").content.decode()

    assert content.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"' in content
    assert 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' in content


# robots.txt


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_names_both_sitemaps(client, story):
    response = client.get("/robots.txt", secure=True)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: https://testserver/sitemap.xml" in lines
    assert "Sitemap: https://testserver/sitemap-news.xml" in lines
    robots = RobotFileParser()
    robots.parse(lines)
    for private in ["/admin/", "/admin/articles/article/", "/preview/abc/", "/search/?q=putin"]:
        assert not robots.can_fetch("Googlebot", private), private
    for public in [
        "/",
        "/world/",
        "/world/defector-reaches-berlin/",
        "/author/jens-kiffmeier/",
        "/feeds/rss/",
        "/sitemap.xml",
        "/pages/masthead/",
    ]:
        assert robots.can_fetch("Googlebot", public), public


def test_robots_txt_names_the_sitemaps_of_the_host_asked(client):
    response = client.get("/robots.txt", HTTP_HOST="localhost")

    assert "Sitemap: http://localhost/sitemap.xml" in response.content.decode()


# Query budget


def test_index_query_count_does_not_grow_with_stories(
    client, clock, world, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 5)
    for _ in range(3):
        make_article(section=world, tags=["Kremlin"])
    drop_cached_sitemaps()
    # Per sitemap: its newest change and its count.
    with django_assert_num_queries(10):
        get_xml(client, "/sitemap.xml", keep_cache=True)

    for _ in range(17):
        make_article(section=make_section(), tags=["Kremlin", "Putin"])
    drop_cached_sitemaps()
    with django_assert_num_queries(10):
        # Sections, four pages of articles, authors, tags and pages.
        assert len(get_xml(client, "/sitemap.xml", keep_cache=True)) == 8


@pytest.mark.parametrize("name", SITEMAPS)
def test_sitemap_query_count_does_not_grow_with_entries(
    client, clock, name, django_assert_num_queries
):
    def add_entries(count: int) -> None:
        for _ in range(count):
            number = Page.objects.count()
            make_article(section=make_section(), authors=[make_author()], tags=[f"Tag {number}"])
            Page.objects.create(title=f"Page {number}", slug=f"page-{number}")

    add_entries(3)
    drop_cached_sitemaps()
    # The count and the page of entries.
    with django_assert_num_queries(2):
        assert len(entries(client, name, keep_cache=True)) == 3

    add_entries(17)
    drop_cached_sitemaps()
    with django_assert_num_queries(2):
        assert len(entries(client, name, keep_cache=True)) == 20


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-articles.xml"])
def test_sitemaps_are_cached_for_crawlers(client, story, url, django_assert_num_queries):
    commit()
    first = get_xml(client, url)

    with django_assert_num_queries(0):
        again = client.get(url)

    assert ET.fromstring(again.content).tag == first.tag
    assert len(ET.fromstring(again.content)) == len(first)


def test_news_sitemap_query_count_does_not_grow_with_stories(
    client, clock, world, django_assert_num_queries
):
    for _ in range(3):
        make_article(section=world, published_at=NOW)
    with django_assert_num_queries(1):
        assert len(news_entries(client)) == 3

    for _ in range(17):
        make_article(section=make_section(), published_at=NOW)
    with django_assert_num_queries(1):
        assert len(news_entries(client)) == 20
