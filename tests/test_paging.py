"""Paging through the lists of stories (latest, section, author, tag, source) by position:
older and newer stories than the ones shown, never a count of the whole list."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from articles import workflow

from .cache_support import commit, served_from_cache
from .conftest import LIST_PAGE_QUERIES, at, count_queries, make_article, make_section
from .test_views import PAGED_CHANNELS, Desk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def three_pages(settings):
    """Three stories, one a page."""
    settings.NEWSROOM_ARTICLES_PER_PAGE = 1
    desk = Desk()
    desk.oldest = desk.story("Oldest story", published_at=at("2026-04-01 09:00"))
    desk.middle = desk.story("Middle story", published_at=at("2026-04-02 09:00"))
    desk.newest = desk.story("Newest story", published_at=at("2026-04-03 09:00"))
    return desk


def headlines(response) -> list[str]:
    return re.findall(
        r'class="teaser__headline"><a href="[^"]*">([^<]*)<', response.content.decode()
    )


def link(response, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]*)"', response.content.decode())
    return found and found.group(1).replace("&amp;", "&")


@pytest.mark.parametrize("channel", PAGED_CHANNELS)
def test_older_links_lead_through_the_whole_list_and_newer_links_back(client, three_pages, channel):
    address = three_pages.url(channel)
    first = client.get(address)
    assert headlines(first) == ["Newest story"]
    assert link(first, "prev") is None

    second = client.get(address + link(first, "next"))
    assert headlines(second) == ["Middle story"]
    assert link(second, "next") == f"?before={three_pages.middle.pk}"

    last = client.get(address + link(second, "next"))
    assert headlines(last) == ["Oldest story"]
    assert link(last, "next") is None

    back = client.get(address + link(last, "prev"))
    assert headlines(back) == ["Middle story"]
    top = client.get(address + link(back, "prev"))
    assert headlines(top) == ["Newest story"]
    assert link(top, "prev") is None


@pytest.mark.parametrize("channel", PAGED_CHANNELS)
def test_numbered_page_addresses_still_list_the_same_stories(client, three_pages, channel):
    response = client.get(three_pages.url(channel), {"page": "2"})

    assert headlines(response) == ["Middle story"]
    assert link(response, "prev") == f"?after={three_pages.middle.pk}"
    assert link(response, "next") == f"?before={three_pages.middle.pk}"


def test_stories_published_at_the_same_moment_are_each_listed_once(client, settings):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 2
    desk = Desk()
    for number in range(5):
        desk.story(f"Story {number}", published_at=at("2026-04-02 09:00"))

    seen, address = [], "/latest/"
    while address:
        response = client.get(address)
        seen += headlines(response)
        address = "/latest/" + link(response, "next") if link(response, "next") else None

    assert sorted(seen) == [f"Story {number}" for number in range(5)]


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=99999",
        "page=-1",
        "page=0",
        "page=1.5",
        "page=１",
        "page=9999999999999",
        "before=abc",
        "before=0",
        "before=99999999",
        "before=99999999999999999999999",
        "after=-3",
        "before=1&after=1",
    ],
)
@pytest.mark.parametrize("channel", PAGED_CHANNELS)
def test_an_address_naming_no_page_is_404(client, three_pages, channel, query):
    response = client.get(f"{three_pages.url(channel)}?{query}")

    assert response.status_code == 404


def test_the_page_before_the_oldest_story_is_404(client, three_pages):
    assert client.get(f"/latest/?before={three_pages.oldest.pk}").status_code == 404


def test_newer_stories_that_have_gone_lead_back_to_the_newest_page(client, three_pages):
    for story in (three_pages.middle, three_pages.newest):
        workflow.apply(story, "unpublish", workflow.SYSTEM, comment="Withdrawn")

    response = client.get(f"/latest/?after={three_pages.oldest.pk}")

    assert response.status_code == 200
    assert headlines(response) == ["Oldest story"]
    assert link(response, "prev") is None


def test_a_sections_pinned_story_leads_only_its_first_page(client, three_pages):
    three_pages.section.lead_story = three_pages.oldest
    three_pages.section.save()

    first = client.get("/politics/")
    second = client.get("/politics/" + link(first, "next"))
    third = client.get("/politics/" + link(second, "next"))

    assert headlines(first) == ["Oldest story"]
    assert headlines(second) == ["Newest story"]
    assert headlines(third) == ["Middle story"]
    assert link(third, "next") is None


@pytest.mark.parametrize("channel", PAGED_CHANNELS)
def test_list_pages_never_count_the_whole_list(client, three_pages, channel):
    for query in ["", "?page=2", f"?before={three_pages.newest.pk}"]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(three_pages.url(channel) + query).status_code == 200

        assert not [query for query in queries if "COUNT(" in query["sql"].upper()]


@pytest.mark.parametrize("channel", ["latest", "section"])
def test_list_pages_flag_translations_of_the_pages_stories_only(client, three_pages, channel):
    for query in ["", "?page=2", f"?before={three_pages.newest.pk}"]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(three_pages.url(channel) + query).status_code == 200

        # The flag (an EXISTS per story) outside the LIMITed walk that chooses the page: beside
        # it, PostgreSQL plans the flag for the whole list (docs/performance.md).
        [page] = [query["sql"] for query in queries if '"has_translations"' in query["sql"]]
        chooses = re.search(r"IN \(SELECT [^()]*\(?.*LIMIT \d+(?: OFFSET \d+)?\)", page)
        assert chooses is not None, page
        assert "has_translations" not in chooses.group(0)
        assert not re.search(r"LIMIT \d+(?: OFFSET \d+)?$", page)


@pytest.mark.parametrize("channel", PAGED_CHANNELS)
def test_a_page_far_down_costs_the_queries_the_first_does(client, three_pages, channel):
    address = f"{three_pages.url(channel)}?before={three_pages.newest.pk}"

    assert count_queries(client, address) == LIST_PAGE_QUERIES[channel]
    assertContains(client.get(address), "Middle story")
    assertNotContains(client.get(address), "Newest story")


def test_numbered_pages_of_a_section_count_its_pinned_story_first(client, three_pages):
    three_pages.section.lead_story = three_pages.oldest
    three_pages.section.save()

    pages = [headlines(client.get("/politics/", {"page": number})) for number in (1, 2, 3)]

    assert pages == [["Oldest story"], ["Newest story"], ["Middle story"]]
    assert client.get("/politics/", {"page": 4}).status_code == 404


def test_a_story_readers_cannot_see_marks_no_position(client, three_pages):
    # Else paging from a draft's id would tell its (embargoed) publication time.
    draft = three_pages.story("Embargoed story", status="draft")

    assert client.get(f"/latest/?before={draft.pk}").status_code == 404


def test_each_position_is_a_page_of_its_own_in_the_page_cache(client, three_pages):
    commit()
    first = client.get("/latest/")
    address = "/latest/" + link(first, "next")
    client.get(address)

    assert served_from_cache(client, address)
    assert headlines(client.get(address)) == ["Middle story"]


def test_publishing_a_story_reaches_the_cached_older_pages(client, three_pages):
    commit()
    address = f"/latest/?before={three_pages.newest.pk}"
    client.get(address)
    assert served_from_cache(client, address)

    three_pages.story("Late filing", published_at=at("2026-04-02 12:00"))
    commit()

    assert headlines(client.get(address)) == ["Late filing"]


# A tag exists only on a story.
@pytest.mark.parametrize("channel", [channel for channel in PAGED_CHANNELS if channel != "tag"])
def test_an_empty_list_has_its_first_page_but_no_other(client, channel):
    desk = Desk()
    make_article(headline="Elsewhere", section=make_section(name="Other", slug="other"))

    assert client.get(desk.url(channel)).status_code == 200
    assert client.get(desk.url(channel), {"page": 2}).status_code == 404
