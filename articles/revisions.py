"""Revisions of an article: comparing two of them readably, and restoring one."""

import difflib
import re
from dataclasses import dataclass
from html import unescape

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from images.models import Image

from .models import Article, Author, Byline, Citation, Revision, Section, Source

BLOCK = re.compile(r"<(p|h2|h3|ul|ol|blockquote)\b[^>]*>.*?</\1>", re.DOTALL)
WORDS = re.compile(r"\s+|[^\s]+")
COMPARED_TEXT_FIELDS = [
    ("kicker", "Kicker"),
    ("headline", "Headline"),
    ("standfirst", "Standfirst"),
    ("dateline", "Dateline"),
    ("slug", "Slug"),
    ("hero_caption", "Lead picture caption"),
]


@dataclass
class BodyRow:
    change: str  # "same", "changed", "added" or "removed"
    tag: str
    html: SafeString


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
    fields = [
        FieldChange(label, word_diff(old.get(name, ""), new.get(name, "")))
        for name, label in COMPARED_TEXT_FIELDS
        if old.get(name, "") != new.get(name, "")
    ]
    for label, before, after in [
        ("Section", old["section"]["name"], new["section"]["name"]),
        ("Lead picture", _picture(old), _picture(new)),
        ("Authors", _names(old["authors"]), _names(new["authors"])),
        ("Sources", _citations(old["citations"]), _citations(new["citations"])),
        ("Tags", ", ".join(old["tags"]), ", ".join(new["tags"])),
        ("Type of work", old.get("genre", ""), new.get("genre", "")),
        ("Language", old.get("language", ""), new.get("language", "")),
    ]:
        if before != after:
            fields.append(FieldChange(label, word_diff(before, after)))
    return Comparison(fields, body_diff(old.get("body", ""), new.get("body", "")))


def body_diff(old_html: str, new_html: str) -> list[BodyRow]:
    """The two bodies compared paragraph by paragraph, changed paragraphs word by word."""
    old_blocks, new_blocks = _blocks(old_html), _blocks(new_html)
    matcher = difflib.SequenceMatcher(
        a=[text for _, text in old_blocks], b=[text for _, text in new_blocks], autojunk=False
    )
    rows = []
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        old_part, new_part = old_blocks[a_start:a_end], new_blocks[b_start:b_end]
        if operation == "equal":
            rows += [BodyRow("same", tag, escape(text)) for tag, text in new_part]
            continue
        paired = min(len(old_part), len(new_part)) if operation == "replace" else 0
        for (_, before), (tag, after) in zip(old_part[:paired], new_part[:paired], strict=True):
            rows.append(BodyRow("changed", tag, word_diff(before, after)))
        rows += [BodyRow("removed", tag, escape(text)) for tag, text in old_part[paired:]]
        rows += [BodyRow("added", tag, escape(text)) for tag, text in new_part[paired:]]
    return rows


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


def _blocks(html: str) -> list[tuple[str, str]]:
    """The body's blocks as (tag, plain text); the text is escaped again when shown."""
    blocks = [(match[1], _text(match[0])) for match in BLOCK.finditer(html or "")]
    if not blocks and _text(html or ""):
        blocks = [("p", _text(html))]
    return blocks


def _text(fragment: str) -> str:
    return unescape(strip_tags(fragment)).strip()


def _picture(content: dict) -> str:
    return (content.get("hero_image") or {}).get("name", "")


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
    for name in Revision.TEXT_FIELDS:
        # Revisions from before a field existed leave it as it is.
        setattr(article, name, content.get(name, getattr(article, name)))
    if section := Section.objects.filter(pk=content["section"]["id"]).first():
        article.section = section
    if "hero_image" in content:
        hero = content["hero_image"]
        article.hero_image = Image.objects.filter(pk=hero["id"]).first() if hero else None
    article.full_clean(exclude=["tags"])
    article.save()
    authors = Author.objects.in_bulk([person["id"] for person in content["authors"]])
    if authors:
        article.bylines.all().delete()
        Byline.objects.bulk_create(
            Byline(article=article, author=authors[person["id"]], position=position)
            for position, person in enumerate(content["authors"])
            if person["id"] in authors
        )
    sources = Source.objects.in_bulk([c["source"]["id"] for c in content["citations"]])
    article.citations.all().delete()
    Citation.objects.bulk_create(
        Citation(
            article=article,
            source=sources[c["source"]["id"]],
            note=c["note"],
            url=c["url"],
            position=position,
        )
        for position, c in enumerate(content["citations"])
        if c["source"]["id"] in sources
    )
    article.tags.set(content["tags"])
    article.refresh_search_vector()
    return article.record_revision(
        by=by, kind=Revision.Kind.RESTORE, note=f"Restored revision {revision.number}"
    )


def describe_restore_error(error: ValidationError) -> str:
    return "The revision cannot be restored: " + " ".join(error.messages)
