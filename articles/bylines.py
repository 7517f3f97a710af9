"""A byline's words: "A", "A and B", "A, B and C", in the active language. The page links each
name (the `byline_parts` template filter), the content API gives the text."""

from collections.abc import Sequence

from django.utils.translation import gettext

from .models import Author


def byline_parts(authors: Sequence[Author]) -> list[tuple[str, Author]]:
    """Each author with what comes before their name in the byline: "", ", " or " and "."""
    last = len(authors) - 1
    return [
        ("" if place == 0 else f" {gettext('and')} " if place == last else ", ", author)
        for place, author in enumerate(authors)
    ]


def byline_text(authors: Sequence[Author]) -> str:
    """The authors' names as a sentence: "A", "A and B", "A, B and C"."""
    return "".join(before + author.name for before, author in byline_parts(authors))
