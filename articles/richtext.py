"""The allowlist for article bodies: what the editor can produce, and nothing else."""

import re
from urllib.parse import urlsplit

import nh3
from django.core.exceptions import ValidationError

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "strong",
    "em",
    "b",
    "i",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    # The body's blocks (pictures, embeds, pull quotes, fact boxes, "Read more" links): stored
    # as these elements with data-* attributes, rendered at display time (articles/blocks.py).
    "figure",
    "figcaption",
    "aside",
}
BLOCK_ATTRIBUTES = {
    "figure": {
        "data-image",
        "data-size",
        "data-alt",
        "data-caption",
        "data-embed",
        "data-provider",
        "data-title",
        "data-author",
        "data-thumbnail",
        "data-frame",
        "data-block",
    },
    "aside": {"data-block", "data-read-more"},
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, **BLOCK_ATTRIBUTES}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
PICTURE_SIZES = ("inline", "wide", "full")
# The data-block of each element: what kind of block it is.
BLOCK_KINDS = {"figure": {"pull-quote"}, "aside": {"fact-box"}}
ID_ATTRIBUTES = {"data-image", "data-read-more"}
URL_ATTRIBUTES = {"data-embed", "data-thumbnail", "data-frame"}
# Longer than any database id; a longer number is not one.
MAX_ID_DIGITS = 18

# Extensions of the admin's rich-text editor, matching ALLOWED_TAGS.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": sorted(ALLOWED_URL_SCHEMES)},
    "History": True,
    # The editor switches the browser's spellcheck off unless told not to; writers want it,
    # in the story's language (see writing_aids.js).
    "NoSpellCheck": False,
}

# The story body's blocks, each an atom node of static/admin/articles/body_blocks.js (loaded
# through DJANGO_PROSE_EDITOR_EXTENSIONS): only stories have them, so the body of a story uses
# EDITOR_EXTENSIONS | BODY_BLOCK_EXTENSIONS.
BODY_BLOCK_EXTENSIONS = {
    "BodyPicture": True,
    "BodyEmbed": True,
    "PullQuote": True,
    "FactBox": True,
    "ReadMore": True,
}

# Elements whose content is code or never shown, dropped with the element. Every other
# element outside the allowlist (object, embed, unknown tags) is unwrapped: its text stays.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "template"}


def is_web_address(value: str) -> bool:
    """Whether `value` is an absolute http(s) address without spaces or control characters."""
    if not value or any(character.isspace() or ord(character) < 32 for character in value):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def is_id(value: str) -> bool:
    """Whether `value` is a database id as a block stores it: digits only."""
    return value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS


def allowed_value(tag: str, attribute: str, value: str) -> bool:
    """Whether a block attribute's value is of its kind (an id, a size, an address, a kind)."""
    if attribute in ID_ATTRIBUTES:
        return is_id(value)
    if attribute in URL_ATTRIBUTES:
        return is_web_address(value)
    if attribute == "data-size":
        return value in PICTURE_SIZES
    if attribute == "data-block":
        return value in BLOCK_KINDS.get(tag, ())
    return True


def _checked_value(tag: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: a block attribute with a value not of its kind is removed."""
    return value if allowed_value(tag, attribute, value) else None


ALLOWLIST = {
    "tags": ALLOWED_TAGS,
    "attributes": ALLOWED_ATTRIBUTES,
    "url_schemes": ALLOWED_URL_SCHEMES,
    "link_rel": "noopener noreferrer",
    "clean_content_tags": DROPPED_WITH_CONTENT,
    "strip_comments": True,
}
_cleaner = nh3.Cleaner(**ALLOWLIST, attribute_filter=_checked_value)
# The same without checking the blocks' values, to tell an editor which value is wrong rather
# than dropping it.
_normalizer = nh3.Cleaner(**ALLOWLIST)
# SVG and MathML are dropped with everything inside, text included. This cleaner keeps only
# them, to tell whether a body has such an element (rather than text that looks like one).
_foreign_finder = nh3.Cleaner(
    tags={"svg", "math"}, attributes={}, clean_content_tags=DROPPED_WITH_CONTENT
)

# Elements whose content runs to their end tag or is dropped: left open, they take the rest.
SWALLOWING_ELEMENTS = DROPPED_WITH_CONTENT | {
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "textarea",
    "title",
    "xmp",
}
# Text that cannot occur in a body, appended to find out whether a body swallows its end.
END_MARKER = "end-of-text-3c9e1f"
OPENING = re.compile(r"<(!--|[a-zA-Z][^\s/>]*)")


def sanitize_html(html: str) -> str:
    """Return `html` reduced to the tags, attributes and URL schemes of the allowlist."""
    cleaned = _cleaner.clean(html or "").strip()
    # ProseMirror saves an untouched editor as one empty paragraph; treat that as empty.
    return "" if cleaned in {"<p></p>", "<p><br></p>"} else cleaned


def normalize_html(html: str) -> str:
    """`html` reduced to the allowlist's elements and attributes, whatever their values."""
    return _normalizer.clean(html or "")


def validate_keeps_text(html: str) -> None:
    """Refuse HTML whose text sanitizing would drop: everything after an unclosed <script>
    (or comment, or <textarea>…), or what SVG and MathML hold."""
    html = html or ""
    if not _keeps_its_end(html):
        opening = unclosed_opening(html)
        if opening is None:
            what = "tag, element or comment"
        elif opening == "<!--":
            what = "comment (<!--)"
        else:
            what = f"{opening.lower()}> element"
        raise ValidationError(
            f"The body contains an unclosed {what}; everything after it would be lost when "
            "it is saved. Close or remove it.",
            code="unclosed",
        )
    if found := re.search(r"<(svg|math)\b", _foreign_finder.clean(html)):
        raise ValidationError(
            f"The body contains SVG or MathML (<{found[1]}>), which saving removes with all "
            "the text inside. Remove it, and type any text it holds as ordinary text.",
            code="foreign_element",
        )


def unclosed_opening(html: str) -> str | None:
    """The opening ("<script", "<!--", …) of what swallows everything after it in `html`."""
    openings = list(OPENING.finditer(html))
    # Besides elements and comments that can swallow the rest, the last tag can, when it
    # is cut short (<a href="… to the end).
    candidates = [
        match
        for match in openings[:-1]
        if match[1] == "!--" or match[1].lower() in SWALLOWING_ELEMENTS
    ] + openings[-1:]
    # Nothing after the culprit reaches the end, so it is the last candidate before which
    # the text still does. Asking the sanitizer itself judges by the parser it uses.
    for match in reversed(candidates):
        if _keeps_its_end(html[: match.start()]):
            return match[0]
    return None


def _keeps_its_end(html: str) -> bool:
    """Whether a paragraph after `html` survives sanitizing as a paragraph, not as text."""
    cleaned = _cleaner.clean(f"{html}<p>{END_MARKER}</p>")
    # Inside <textarea> and the like, the paragraph would come out as "&lt;p&gt;…" text.
    return END_MARKER in cleaned and f"&gt;{END_MARKER}" not in cleaned
