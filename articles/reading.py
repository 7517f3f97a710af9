"""How long a story takes to read, from the words of its body.

The article page shows it under the byline; the article form's word count (writing_aids.js)
counts words the same way, by the whitespace between them.
"""

import math
import re
from html import unescape

from django.utils.html import strip_tags

# An adult's silent reading of non-fiction on a screen, in words a minute (Brysbaert, 2019:
# 238 on average); rounded down, as a reader would rather finish early than late.
WORDS_PER_MINUTE = 230

# Tags that end a word, unlike <strong> or <a>, which may sit inside one ("<b>un</b>fair").
_BLOCK_TAG = re.compile(r"</?(?:p|br|h[1-6]|li|ul|ol|blockquote)\b[^>]*>", re.IGNORECASE)


def body_text(html: str) -> str:
    """The text of a body's (sanitized) HTML, with its paragraphs, headings and list items
    apart."""
    return unescape(strip_tags(_BLOCK_TAG.sub(" ", html or "")))


def count_words(html: str) -> int:
    """How many words a body's HTML holds."""
    return len(body_text(html).split())


def reading_minutes(html: str) -> int:
    """The whole minutes reading a body takes, at least one; none for a body without words."""
    words = count_words(html)
    return max(1, math.ceil(words / WORDS_PER_MINUTE)) if words else 0
