"""Revisions of an article: comparing two of them readably, and restoring one."""

import difflib
import re
from dataclasses import dataclass, field
from html import unescape

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from .blocks import Block, find_blocks
from .editing import save_story
from .models import Article, Author, Citation, RelatedStory, Revision, Source

BLOCK = re.compile(r"<(p|h2|h3|ul|ol|blockquote)\b[^>]*>.*?</\1>", re.DOTALL)
WORDS = re.compile(r"\s+|[^\s]+")


@dataclass
class BodyRow:
    change: str  # "same", "changed", "added" or "removed"
    tag: str  # "p", "h2"… or the kind of a body block ("picture", "embed"…)
    html: SafeString
    # What happened, in words, for a body block: "Picture added", "Picture: caption changed".
    label: str = ""


@dataclass
class Part:
    """A paragraph, heading, list… or body block of a body, as compared."""

    tag: str
    text: str
    attributes: dict = field(default_factory=dict)


# The body's blocks as a comparison names them, and the attributes whose changes it names.
BLOCK_NAMES = {
    "picture": "Picture",
    "embed": "Embed",
    "pull-quote": "Pull quote",
    "fact-box": "Fact box",
    "read-more": "“Read more”",
}
ATTRIBUTE_CHANGES = {
    "data-image": "another picture",
    "data-caption": "caption changed",
    "data-alt": "alt text changed",
    "data-size": "size changed",
    "data-embed": "another address",
    "data-read-more": "another story",
}


@dataclass
class FieldChange:
    label: str
    html: SafeString


@dataclass
class Comparison:
    fields: list[FieldChange]
    body: list[BodyRow]

    @property
    def has_changes(self) -> bool:
        return bool(self.fields) or any(row.change != "same" for row in self.body)


def compare(old: dict, new: dict) -> Comparison:
    """What changed from content `old` to content `new` (both as stored in a Revision)."""
    compared = [
        (_label(name), _shown(old.get(name)), _shown(new.get(name)))
        for name in Article.EDITORIAL_FIELDS
        if name != "body"  # compared paragraph by paragraph
    ]
    compared += [
        (_label("authors"), _names(old["authors"]), _names(new["authors"])),
        (_label("sources"), _citations(old["citations"]), _citations(new["citations"])),
        # Revisions from before editors picked related stories have none.
        (
            capfirst(RelatedStory._meta.verbose_name_plural),
            _names(old.get("related", [])),
            _names(new.get("related", [])),
        ),
    ]
    fields = [
        FieldChange(label, word_diff(before, after))
        for label, before, after in compared
        if before != after
    ]
    return Comparison(fields, body_diff(old.get("body", ""), new.get("body", "")))


def body_diff(old_html: str, new_html: str) -> list[BodyRow]:
    """The two bodies compared paragraph by paragraph (and block by block: pictures, embeds…),
    changed paragraphs word by word."""
    old_parts, new_parts = _parts(old_html), _parts(new_html)
    matcher = difflib.SequenceMatcher(
        a=[(part.tag, part.text) for part in old_parts],
        b=[(part.tag, part.text) for part in new_parts],
        autojunk=False,
    )
    rows = []
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        old_part, new_part = old_parts[a_start:a_end], new_parts[b_start:b_end]
        if operation == "equal":
            rows += [BodyRow("same", part.tag, escape(part.text)) for part in new_part]
            continue
        paired = 0
        if operation == "replace":
            # Paired in order while of the same kind: a paragraph is not a changed picture.
            while (
                paired < min(len(old_part), len(new_part))
                and old_part[paired].tag == new_part[paired].tag
            ):
                paired += 1
        for before, after in zip(old_part[:paired], new_part[:paired], strict=True):
            rows.append(
                BodyRow(
                    "changed",
                    after.tag,
                    word_diff(before.text, after.text),
                    _changed_label(before, after),
                )
            )
        rows += [_row("removed", part) for part in old_part[paired:]]
        rows += [_row("added", part) for part in new_part[paired:]]
    return rows


def _row(change: str, part: Part) -> BodyRow:
    name = BLOCK_NAMES.get(part.tag)
    return BodyRow(change, part.tag, escape(part.text), f"{name} {change}" if name else "")


def _changed_label(before: Part, after: Part) -> str:
    name = BLOCK_NAMES.get(after.tag)
    if name is None:
        return ""
    changes = [
        words
        for attribute, words in ATTRIBUTE_CHANGES.items()
        if before.attributes.get(attribute, "") != after.attributes.get(attribute, "")
    ]
    return f"{name}: {', '.join(changes)}" if changes else f"{name} changed"


def word_diff(before: str, after: str) -> SafeString:
    """`after`, with words removed since `before` in <del> and words added in <ins>."""
    old_words, new_words = WORDS.findall(before or ""), WORDS.findall(after or "")
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    parts = []
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        removed = escape("".join(old_words[a_start:a_end]))
        added = escape("".join(new_words[b_start:b_end]))
        if operation == "equal":
            parts.append(added)
            continue
        if removed.strip():
            parts.append(f"<del>{removed}</del>")
        if added.strip():
            parts.append(f"<ins>{added}</ins>")
        elif added:
            parts.append(added)
    return mark_safe("".join(parts))  # noqa: S308 - every piece was escaped above


def _parts(html: str) -> list[Part]:
    """The body's parts in order: its body blocks, and the paragraphs, headings and lists
    around them, each as plain text (escaped again when shown)."""
    html = html or ""
    parts, position = [], 0
    for block in find_blocks(html):
        parts += _text_parts(html[position : block.start])
        parts.append(Part(block.kind or block.tag, _describe(block), block.attributes))
        position = block.end
    return parts + _text_parts(html[position:])


def _text_parts(html: str) -> list[Part]:
    parts = [Part(match[1], _text(match[0])) for match in BLOCK.finditer(html)]
    if not parts and _text(html):
        parts = [Part("p", _text(html))]
    return parts


def _describe(block: Block) -> str:
    """A body block in words, as a comparison shows it."""
    get = block.get
    if block.kind == "picture":
        size = get("data-size") or "inline"
        caption = f" Caption: {get('data-caption')}." if get("data-caption") else ""
        return f"Picture {get('data-image')} ({size}).{caption} Alt text: {get('data-alt')}"
    if block.kind == "embed":
        return f"{get('data-provider') or 'Embed'}: {get('data-title')} ({get('data-embed')})"
    if block.kind == "read-more":
        return f"Read more: story {get('data-read-more')}, “{_text(block.inner)}”"
    return " ".join(
        _text(re.sub(r"</(p|li|h2|h3|figcaption|blockquote)>", " \\g<0>", block.inner)).split()
    )


def _text(fragment: str) -> str:
    return unescape(strip_tags(fragment)).strip()


def _label(name: str) -> str:
    return capfirst(Article._meta.get_field(name).verbose_name)


def _shown(value) -> str:
    """A stored value as text: a related object by its name, tags joined, nothing as ""."""
    if isinstance(value, dict):
        return value["name"]
    if isinstance(value, list):
        return ", ".join(value)
    return value or ""


def _names(people: list[dict]) -> str:
    return ", ".join(person["name"] for person in people)


def _citations(citations: list[dict]) -> str:
    return "; ".join(
        " – ".join(filter(None, [c["source"]["name"], c["note"], c["url"]])) for c in citations
    )


@transaction.atomic
def restore(article: Article, revision: Revision, by) -> Revision:
    """Make `revision`'s content current again, as a new revision; nothing is overwritten."""
    content = revision.content
    tags = None
    for name in Article.EDITORIAL_FIELDS:
        if name not in content:
            continue  # revisions from before a field existed leave it as it is
        field = Article._meta.get_field(name)
        if field.many_to_many:
            tags = content[name]
        elif field.many_to_one:
            kept = content[name]
            chosen = field.related_model.objects.filter(pk=kept["id"]).first() if kept else None
            # An object deleted since is left out where the field may be empty, else kept.
            if chosen is not None or field.null:
                setattr(article, name, chosen)
        else:
            setattr(article, name, content[name])
    article.full_clean(exclude=["tags"])
    authors = Author.objects.in_bulk([person["id"] for person in content["authors"]])
    sources = Source.objects.in_bulk([c["source"]["id"] for c in content["citations"]])
    picks = content.get("related")
    # Picked stories deleted since are left out; unpublished ones stay picked, unseen.
    stories = Article.objects.in_bulk([pick["id"] for pick in picks or []])
    return save_story(
        article,
        # A revision whose authors were all deleted since keeps today's: a byline is required.
        authors=[authors[p["id"]] for p in content["authors"] if p["id"] in authors] or None,
        citations=[
            Citation(source=sources[c["source"]["id"]], note=c["note"], url=c["url"])
            for c in content["citations"]
            if c["source"]["id"] in sources
        ],
        tags=tags,
        related=None if picks is None else [stories[p["id"]] for p in picks if p["id"] in stories],
        by=by,
        kind=Revision.Kind.RESTORE,
        note=f"Restored revision {revision.number}",
    )


def describe_restore_error(error: ValidationError) -> str:
    return "The revision cannot be restored: " + " ".join(error.messages)
