"""Search snippets: search.py gives text with the matches marked, and the `highlight_matches`
template filter makes it HTML. (The snippets on the search page: test_search.py.)"""

import pytest

from articles.search import MATCH_END, MATCH_START, snippet
from articles.templatetags.articles import highlight_matches

from .conftest import make_article

pytestmark = pytest.mark.django_db


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
