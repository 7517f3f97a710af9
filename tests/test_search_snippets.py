"""Search snippets: search.py gives text with the matches marked, the `highlight_matches`
template filter makes it HTML, and the search page shows it escaped once."""

import pytest

from articles.search import MATCH_END, MATCH_START, snippet
from articles.templatetags.articles import highlight_matches

from .conftest import make_article
from .search_support import search_page, snippets, story

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def marked(text: str) -> str:
    return f"{MATCH_START}{text}{MATCH_END}"


def test_snippet_is_text_with_the_words_searched_for_marked():
    article = make_article(body="<p>The defector met Tom &amp; Jerry. He wrote &lt;b&gt;.</p>")

    text = snippet(article, "defector jerry")

    assert text == f"The {marked('defector')} met Tom & {marked('Jerry')}. He wrote <b>."


def test_snippet_marks_no_word_inside_another_match():
    article = make_article(body="<p>The defector crossed at dawn.</p>")

    assert snippet(article, "defect defector") == f"The {marked('defector')} crossed at dawn."


def test_snippet_marks_nothing_inside_a_character_reference():
    article = make_article(body="<p>The defector phoned AT&amp;T.</p>")

    assert snippet(article, "amp") == "The defector phoned AT&T."


def test_highlighting_escapes_the_text_and_marks_the_matches():
    html = highlight_matches(f"Tom & {marked('Jerry')} wrote <b>.")

    assert html == "Tom &amp; <mark>Jerry</mark> wrote &lt;b&gt;."


def test_highlighting_ignores_a_marker_without_its_partner():
    html = highlight_matches(f"A {MATCH_END}stray {marked('match')} {MATCH_START}and more")

    assert html == "A stray <mark>match</mark> and more"


# On the search page


def test_snippet_marks_the_words_searched_for(client):
    story(
        "Guard defects to the West",
        body="<p>Officials said the defector crossed the border at dawn.</p>"
        "<p>He carried papers from the archive of the guard.</p>",
    )

    response = search_page(client, "defector archive")

    [snippet] = snippets(response)
    assert "<mark>defector</mark>" in snippet
    assert "<mark>archive</mark>" in snippet
    assert "<p>" not in snippet  # the body's tags are gone


def test_snippet_shows_the_bodys_special_characters_escaped_once(client):
    story(
        "Guard defects to the West",
        body="<p>The defector met Tom &amp; Jerry. He wrote &lt;b&gt;secret&lt;/b&gt; on it.</p>",
    )

    [snippet] = snippets(search_page(client, "defector"))

    assert "<mark>defector</mark> met Tom &amp; Jerry." in snippet
    assert "&lt;b&gt;secret" in snippet
    assert "&amp;amp;" not in snippet
    assert "&amp;lt;" not in snippet
    assert "<b>" not in snippet
