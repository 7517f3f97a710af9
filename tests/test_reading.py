"""Reading time (articles/reading.py): the body's words at a reader's pace, shown under the
byline of the article page in the article's language."""

import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from articles.reading import WORDS_PER_MINUTE, count_words, reading_minutes

from .conftest import make_article


def paragraphs(words: int) -> str:
    return "".join(f"<p>{'word ' * 10}</p>" for _ in range(words // 10))


def test_words_are_counted_across_paragraphs_headings_and_lists_not_inside_markup():
    html = (
        "<p>One <strong>two</strong> th<em>re</em>e.</p><h2>Four</h2>"
        "<ul><li>five</li><li>six</li></ul><p>seven<br>eight &amp; nine</p>"
    )

    assert count_words(html) == 10  # "&" is a word of its own, as it reads


@pytest.mark.parametrize(
    ("words", "minutes"),
    [(0, 0), (1, 1), (WORDS_PER_MINUTE, 1), (WORDS_PER_MINUTE + 10, 2), (920, 4)],
)
def test_reading_time_rounds_up_to_whole_minutes(words, minutes):
    html = "<p>" + "word " * words + "</p>" if words else ""

    assert reading_minutes(html) == minutes


@pytest.mark.django_db
def test_article_page_shows_the_reading_time_under_the_byline(client):
    article = make_article(body=paragraphs(920))

    response = client.get(article.get_absolute_url())

    assert re.search(
        r'<p class="byline">.*?</p>\s*<p class="story__reading-time">4 min read</p>',
        response.content.decode(),
    )


@pytest.mark.django_db
def test_german_article_page_gives_the_reading_time_in_german(client):
    article = make_article(body=paragraphs(100), language="de")

    response = client.get(article.get_absolute_url())

    assertContains(response, '<p class="story__reading-time">1 Min. Lesezeit</p>', html=True)


@pytest.mark.django_db
def test_a_story_without_a_body_shows_no_reading_time(client):
    article = make_article(body="")

    response = client.get(article.get_absolute_url())

    assertNotContains(response, "story__reading-time")
