"""Text for the XML channels (feeds and sitemaps): what XML 1.0 can carry, and what reads the
same whether a feed reader takes it as text or as HTML."""

import contextlib
import html
import re

from django.core.exceptions import SuspiciousOperation
from django.utils.html import strip_tags

# Characters XML 1.0 cannot carry. Pasted wire copy sometimes brings them along, and one in a
# headline would otherwise stop the whole feed or sitemap from rendering.
XML_INVALID_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# A "<" an HTML parser reads as the start of a tag, end tag, comment or declaration. What
# strip_tags leaves of one (an unclosed tag at the end) runs to the end of the text, as a
# browser would read it; "2 < 3" is text and stays.
MARKUP_START = re.compile(r"<[a-zA-Z/!?].*", re.DOTALL)


def xml_text(value: object) -> object:
    """`value` without the characters XML 1.0 cannot carry, in its strings, lists and dicts."""
    if isinstance(value, str):
        return XML_INVALID_CHARACTERS.sub("", value)
    if isinstance(value, list | tuple):
        return [xml_text(element) for element in value]
    if isinstance(value, dict):
        return {key: xml_text(element) for key, element in value.items()}
    return value


def plain_text(value: str) -> str:
    """`value` as text that reads the same whether a feed reader takes it as text or as HTML:
    tags stripped, character references decoded, and nothing left that decodes to a tag."""
    value, previous = str(value), None
    # Until nothing changes: "&lt;script&gt;" must not come back as a tag after one decode.
    while value != previous:
        previous = value
        value = html.unescape(value)
        # Tags nested too deep for strip_tags are left to MARKUP_START, which cuts them off.
        with contextlib.suppress(SuspiciousOperation):
            value = strip_tags(value)
        value = MARKUP_START.sub("", value)
    return value.strip()
