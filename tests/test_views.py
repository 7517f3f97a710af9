"""The public pages: home, latest, section, author, tag and source lists, plus addresses and
paging."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from articles.editing import save_story
from articles.models import Article, AuthorLink, Tag

from .conftest import (
    HIDDEN_STATES,
    LIST_PAGE_QUERIES,
    at,
    count_queries,
    make_article,
    make_author,
    make_section,
    make_source,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

CHANNELS = ["home", "latest", "section", "author", "tag", "source"]
# The pages that list every story a page at a time (the home page is arranged instead).
PAGED_CHANNELS = [channel for channel in CHANNELS if channel != "home"]


class Desk:
    """A section, author, tag and source that every story made by `story()` belongs to."""

    def __init__(self):
        self.section = make_section(name="Politics", slug="politics", description="Power.")
        self.author = make_author(name="Jens Kiffmeier", slug="jens-kiffmeier")
        self.source = make_source(name="Reuters", slug="reuters", kind="agency")
        self.tag_name = "Putin"

    def story(self, headline: str, **fields) -> Article:
        defaults = {
            "published_at": at("2026-04-02 09:00"),
            "section": self.section,
            "authors": [self.author],
            "sources": [self.source],
            "tags": [self.tag_name],
        }
        return make_article(headline=headline, **(defaults | fields))

    def url(self, channel: str) -> str:
        if channel == "home":
            return "/"
        if channel == "latest":
            return "/latest/"
        if channel == "tag":
            return Tag.objects.get(name=self.tag_name).get_absolute_url()
        return getattr(self, channel).get_absolute_url()


@pytest.fixture
def desk():
    return Desk()


# Home page


def test_home_lists_published_headlines_newest_first(client):
    make_article(headline="Oldest story", published_at=at("2026-04-01 09:00"))
    make_article(headline="Newest story", published_at=at("2026-04-05 11:00"))
    make_article(headline="Middle story", published_at=at("2026-04-03 09:00"))

    response = client.get("/")

    assert response.status_code == 200
    assertTemplateUsed(response, "articles/front_page.html")
    content = response.content.decode()
    positions = [content.index(h) for h in ["Newest story", "Middle story", "Oldest story"]]
    assert positions == sorted(positions)


def test_home_teaser_links_to_article_and_section(client):
    article = make_article(headline="Defector reaches Berlin", section=make_section(name="World"))

    response = client.get("/")

    assertContains(response, f'<a href="{article.get_absolute_url()}">Defector reaches Berlin</a>')
    assertContains(response, f'href="{article.section.get_absolute_url()}">World</a>')


def test_home_without_stories_says_so(client):
    response = client.get("/")

    assertContains(response, "No stories have been published yet.")


@pytest.mark.parametrize("channel", CHANNELS)
def test_channel_page_hides_unpublished_stories(client, desk, channel):
    desk.story("Live story")
    for state, fields in HIDDEN_STATES.items():
        desk.story(f"Hidden {state} story", **fields)

    response = client.get(desk.url(channel))

    assertContains(response, "Live story")
    for state in HIDDEN_STATES:
        assertNotContains(response, f"Hidden {state} story")


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_tag_only_hidden_stories_carry_has_no_page(client, state):
    make_article(tags=["Embargoed"], **HIDDEN_STATES[state])

    response = client.get("/tag/embargoed/")

    assert response.status_code == 404
    assertNotContains(response, "Embargoed", status_code=404)


# Section, author, tag and source pages


def test_section_page_lists_only_its_published_stories(client, desk):
    desk.story("Politics story")
    make_article(headline="Sport story", section=make_section(name="Sport"))

    response = client.get("/politics/")

    assert response.status_code == 200
    assertTemplateUsed(response, "articles/section_detail.html")
    assertContains(response, '<h1 class="page-title">Politics</h1>', html=True)
    assertContains(response, "Power.")
    assertContains(response, "Politics story")
    assertNotContains(response, "Sport story")


def test_section_page_marks_itself_current_in_navigation(client, desk):
    response = client.get("/politics/")

    assertContains(response, '<a href="/politics/" aria-current="page">Politics</a>', count=2)


def test_author_page_shows_profile_and_only_their_stories(client, desk):
    desk.author.job_title = "Moscow correspondent"
    desk.author.bio = "Reports on Russia."
    desk.author.save()
    AuthorLink.objects.create(author=desk.author, label="Mastodon", url="https://m.example/@jkf")
    desk.story("Kiffmeier story")
    make_article(headline="Other author story", authors=[make_author()])

    response = client.get("/author/jens-kiffmeier/")

    assert response.status_code == 200
    assertTemplateUsed(response, "articles/author_detail.html")
    assertContains(response, "Jens Kiffmeier")
    assertContains(response, "Moscow correspondent")
    assertContains(response, "Reports on Russia.")
    assertContains(response, '<a href="https://m.example/@jkf" rel="me noopener">Mastodon</a>')
    assertContains(response, "Kiffmeier story")
    assertNotContains(response, "Other author story")


def test_tag_page_lists_only_tagged_stories(client, desk):
    desk.story("Tagged story")
    make_article(headline="Untagged story")
    make_article(headline="Kremlin story", tags=["Kremlin"])

    response = client.get("/tag/putin/")

    assert response.status_code == 200
    assertTemplateUsed(response, "articles/tag_detail.html")
    assertContains(response, '<h1 class="page-title">Putin</h1>', html=True)
    assertContains(response, "Tagged story")
    assertNotContains(response, "Untagged story")
    assertNotContains(response, "Kremlin story")


def test_source_page_shows_source_and_only_citing_stories(client, desk):
    desk.source.description = "A news agency based in London."
    desk.source.save()
    desk.story("Citing story")
    make_article(headline="Uncited story", sources=[make_source()])

    response = client.get("/source/reuters/")

    assert response.status_code == 200
    assertTemplateUsed(response, "articles/source_detail.html")
    assertContains(response, "News agency")
    assertContains(response, "A news agency based in London.")
    assertContains(response, "Stories citing Reuters")
    assertContains(response, "Citing story")
    assertNotContains(response, "Uncited story")


def test_source_page_lists_a_story_citing_it_twice_once(client, desk):
    article = desk.story("Twice-citing story")
    article.citations.create(source=desk.source, note="second mention", position=1)

    response = client.get("/source/reuters/")

    assertContains(response, "Twice-citing story", count=1)


# Not found


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-section/",
        "/politics/no-such-story/",
        "/author/nobody/",
        "/tag/nothing/",
        "/source/nowhere/",
    ],
)
def test_unknown_address_is_404(client, desk, url):
    desk.story("Live story", slug="live-story")

    response = client.get(url)

    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")


def test_article_under_the_wrong_section_is_404(client, desk):
    desk.story("Live story", slug="live-story")
    make_section(slug="sport")

    assert client.get("/politics/live-story/").status_code == 200
    assert client.get("/sport/live-story/").status_code == 404


# Former addresses


def test_renamed_article_redirects_permanently_from_old_address(client, desk):
    article = desk.story("Story", slug="old-slug")
    article.slug = "new-slug"
    save_story(article)

    response = client.get("/politics/old-slug/")

    assert response.status_code == 301
    assert response["Location"] == "/politics/new-slug/"


def test_moved_article_redirects_permanently_to_new_section(client, desk):
    article = desk.story("Story", slug="story")
    article.section = make_section(slug="world")
    save_story(article)

    response = client.get("/politics/story/")

    assert response.status_code == 301
    assert response["Location"] == "/world/story/"


def test_renamed_section_redirects_its_old_addresses(client, desk):
    desk.story("Story", slug="story")
    desk.section.slug = "politik"
    desk.section.save()

    section_response = client.get("/politics/")
    article_response = client.get("/politics/story/")

    assert (section_response.status_code, section_response["Location"]) == (301, "/politik/")
    assert (article_response.status_code, article_response["Location"]) == (
        301,
        "/politik/story/",
    )


def test_renamed_article_in_renamed_section_redirects_from_oldest_address(client, desk):
    article = desk.story("Story", slug="old-slug")
    article.slug = "new-slug"
    save_story(article)
    desk.section.slug = "politik"
    desk.section.save()

    response = client.get("/politics/old-slug/")

    assert (response.status_code, response["Location"]) == (301, "/politik/new-slug/")


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_redirect_never_reveals_a_hidden_article(client, desk, state):
    article = desk.story("Secret story", slug="old-slug")
    article.slug = "new-slug"
    for field, value in HIDDEN_STATES[state].items():
        setattr(article, field, value)
    save_story(article)

    response = client.get("/politics/old-slug/")

    assert response.status_code == 404
    assertNotContains(response, "new-slug", status_code=404)


# Pagination


@pytest.fixture
def three_pages(settings, desk):
    """Three stories, one a page."""
    settings.NEWSROOM_ARTICLES_PER_PAGE = 1
    desk.story("Oldest story", published_at=at("2026-04-01 09:00"))
    desk.story("Middle story", published_at=at("2026-04-02 09:00"))
    desk.story("Newest story", published_at=at("2026-04-03 09:00"))
    return desk


@pytest.mark.parametrize("channel", PAGED_CHANNELS)
def test_second_page_lists_the_next_older_stories(client, three_pages, channel):
    response = client.get(three_pages.url(channel), {"page": "2"})

    assert response.status_code == 200
    assertContains(response, "Middle story")
    assertNotContains(response, "Newest story")
    assertNotContains(response, "Oldest story")
    assertContains(response, "Page 2 of 3")
    assertContains(response, '<a rel="prev" href="?page=1">')
    assertContains(response, '<a rel="next" href="?page=3">')


@pytest.mark.parametrize("page", ["abc", "99999", "-1", "0", "1.5"])
@pytest.mark.parametrize("channel", PAGED_CHANNELS)
def test_page_that_does_not_exist_is_404(client, three_pages, channel, page):
    response = client.get(three_pages.url(channel), {"page": page})

    assert response.status_code == 404


# Query counts


@pytest.mark.parametrize("channel", CHANNELS)
def test_list_page_query_count_does_not_grow_with_stories(client, settings, desk, channel):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 30
    desk.story("Story 0")
    url = desk.url(channel)
    assert count_queries(client, url) == LIST_PAGE_QUERIES[channel]

    for number in range(1, 25):
        desk.story(f"Story {number}", authors=[desk.author, make_author()])

    assert count_queries(client, url) == LIST_PAGE_QUERIES[channel]


# Accessibility


@pytest.mark.parametrize("channel", CHANNELS)
def test_pages_have_skip_link_landmarks_and_language(client, desk, channel):
    desk.story("Live story")

    response = client.get(desk.url(channel))

    assertContains(response, '<html lang="en">')
    assertContains(response, '<a class="skip-link" href="#content">')
    assertContains(response, '<main id="content"')
    assertContains(response, '<nav class="site-nav" aria-label="Sections">')


# The site's icon


def test_favicon_address_leads_to_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]
    icon = Path(finders.find("img/favicon.ico"))
    assert icon.read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.parametrize("address", ["/", "/admin/login/"])
def test_public_and_admin_pages_name_their_icon(client, address):
    response = client.get(address)

    assertContains(response, '<link rel="icon" type="image/png" href="/static/img/logo.png">')
