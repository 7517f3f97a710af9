"""The search page, /search/: pages of results, queries that aren't ordinary words, and what
the page costs. (What a search finds: test_search.py.)"""

import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from articles.search import MAX_QUERY_LENGTH, clean_query

from .conftest import LIST_PAGE_QUERIES, at, count_queries, make_section
from .search_support import (
    HINT,
    NOTHING_FOUND,
    SEARCH,
    found,
    result_headlines,
    search_page,
    story,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


# Pages of results


@pytest.fixture
def five_matches(settings):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 2
    for day in range(1, 6):
        story(f"Guard defector, day {day}", published_at=at(f"2026-04-0{day} 09:00"))
    story("Parliament passes the budget")


def test_results_come_in_pages_that_keep_the_query_in_their_links(client, five_matches):
    first = search_page(client, "guard defector")
    second = search_page(client, "guard defector", page=2)
    third = search_page(client, "guard defector", page=3)

    assert result_headlines(first) == ["Guard defector, day 5", "Guard defector, day 4"]
    assert result_headlines(second) == ["Guard defector, day 3", "Guard defector, day 2"]
    assert result_headlines(third) == ["Guard defector, day 1"]
    assertContains(first, "5 stories for “guard defector”")
    assertContains(first, 'href="?q=guard%20defector&amp;page=2"')
    assertNotContains(first, 'rel="prev"')
    assertContains(second, 'href="?q=guard%20defector&amp;page=1"')
    assertContains(second, 'href="?q=guard%20defector&amp;page=3"')
    assertNotContains(third, 'rel="next"')


def test_pagination_link_escapes_the_query(client, settings):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 1
    story("Tom & Jerry defect", body="<p>Tom &amp; Jerry defect.</p>")
    story("Tom & Jerry return", body="<p>Tom &amp; Jerry return.</p>")

    response = search_page(client, "Tom & Jerry")

    assertContains(response, 'href="?q=Tom%20%26%20Jerry&amp;page=2"')
    assertContains(response, "2 stories for “Tom &amp; Jerry”")


@pytest.mark.parametrize("page", ["abc", "0", "4", "-1", "1.5"])
def test_page_that_does_not_exist_is_404(client, five_matches, page):
    assert client.get(SEARCH, {"q": "guard defector", "page": page}).status_code == 404


def test_page_that_is_not_a_number_is_404_without_a_query_too(client):
    assert client.get(SEARCH, {"page": "abc"}).status_code == 404


# Queries that aren't ordinary words


def test_query_with_markup_is_shown_escaped(client):
    story("Guard defects to the West", body="<p>An alert went out at 1 o'clock.</p>")
    query = "<script>alert(1)</script>"

    response = search_page(client, query)

    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assertNotContains(response, "<script>alert(1)")
    assertContains(response, f"{NOTHING_FOUND} “{escaped}”")
    assertContains(response, f'value="{escaped}"', count=2)  # masthead and page search boxes


def test_query_is_trimmed_and_single_spaced():
    assert clean_query("  guard \t\n defector  ") == "guard defector"
    assert clean_query(None) == ""


def test_query_is_capped_at_200_characters():
    assert MAX_QUERY_LENGTH == 200
    assert clean_query("x" * 5000) == "x" * 200


def test_very_long_query_is_answered_with_the_query_capped(client):
    story("Guard defects to the West")
    query = "defector " * 556  # 5,004 characters

    response = client.get(SEARCH, {"q": query})

    assert response.status_code == 200
    capped = clean_query(query)
    assert len(capped) == 200
    values = re.findall(r'<input [^>]*name="q" value="([^"]*)"', response.content.decode())
    assert values == [capped, capped]


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}], ids=["none", "empty", "spaces"])
def test_empty_query_shows_the_hint_and_no_results(client, params):
    story("Guard defects to the West")

    response = client.get(SEARCH, params)

    assert response.status_code == 200
    assertContains(response, HINT)
    assertNotContains(response, NOTHING_FOUND)
    assert result_headlines(response) == []
    assert list(Article.objects.published().search(params.get("q", ""))) == []


@pytest.mark.parametrize(
    "query",
    ["&&& !!", "'\"", ":*", "(((", "🦆🦆", "!", "a & | ! b:*"],
    ids=["ampersands", "quotes", "prefix-operator", "brackets", "emoji", "bang", "operators"],
)
def test_garbage_query_finds_nothing_and_does_not_fail(client, query):
    story("Guard defects to the West", body="<p>Tom &amp; Jerry crossed the border.</p>")
    story("Parliament passes the budget (again)", body="<p>It's “final”, they said.</p>")

    response = client.get(SEARCH, {"q": query})

    assert response.status_code == 200
    assertContains(response, NOTHING_FOUND)
    assert result_headlines(response) == []


def test_query_of_a_nul_character_finds_nothing_and_is_not_echoed(client):
    # Browsers send %00 when asked to; PostgreSQL refuses NUL in any string parameter.
    story("Guard defects to the West")

    response = client.get(SEARCH, {"q": "\x00"})

    assert response.status_code == 200
    assert result_headlines(response) == []
    assert b"\x00" not in response.content


def test_query_of_only_stop_words_is_answered(client):
    story("Guard defects to the West")

    response = client.get(SEARCH, {"q": "the"})

    assert response.status_code == 200
    assertContains(response, "“the”")


# The search page's cost


def test_search_page_query_count_does_not_grow_with_the_results(client):
    section = make_section()
    for number in range(3):
        story(f"Karakulov, part {number}", section=section, tags=["Kremlin"])
    assert count_queries(client, "/search/?q=Karakulov") == LIST_PAGE_QUERIES["search"]
    for number in range(3, 20):
        story(f"Karakulov, part {number}", section=section, tags=["Kremlin"])

    assert len(found("Karakulov")) == 20
    assert count_queries(client, "/search/?q=Karakulov") == LIST_PAGE_QUERIES["search"]
