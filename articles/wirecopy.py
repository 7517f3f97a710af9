"""Plain-text wire copy: parsing a story file and saving it as an article.

The layout is the one of shared/stories/kremlin-defection.txt::

    - Home page                 breadcrumb lines: the last one is the section
    - Politics
    Created: 05.04.2023, 10:15  optional publication time (may be left empty)
    Von: Jens Kiffmeier         or "By:"; several authors separated by commas or "and"
    Headline. Standfirst.       a second sentence on the headline line is the standfirst
    Moscow – First paragraph…   a leading "Place –" is the dateline
    A subheading                short, no final punctuation, between paragraphs
    Last paragraph. (jkf)       trailing initials are the authors' sign-off
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from . import editing
from .models import RESERVED_SLUGS, Article, Author, Revision, Section, validate_storable_time
from .richtext import sanitize_html

HOME_LABELS = {"home", "home page", "homepage", "startseite", "start"}
# The author line's label, and the language it is written in.
BYLINE_LANGUAGES = {"by": "en", "von": "de"}
BYLINE_PREFIXES = tuple(f"{label}:" for label in BYLINE_LANGUAGES)
CREATED_PREFIXES = ("created:", "erstellt:")
DATE_FORMATS = ("%d.%m.%Y, %H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y-%m-%d %H:%M", "%Y-%m-%d")
SUBHEADING_MAX_LENGTH = 120
FINAL_PUNCTUATION = '.!?…:;,"”’“)]'
ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "prof", "st", "gen", "col", "lt", "sgt", "no", "vs"}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“‘'(]?[A-ZÄÖÜ0-9])")
DATELINE = re.compile(r"^(?P<place>[^\W\d_][\w.'’/ ]{0,48}?)\s+[–—-]\s+(?P<rest>\S.*)$")
SIGNOFF = re.compile(r"\s*\((?P<initials>[a-zäöü]{2,5}(?:/[a-zäöü]{2,5})*)\)$")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
ABBREVIATED_ENDING = re.compile(r"(?:\b[A-Z]\.)+$")
AUTHOR_SEPARATORS = re.compile(r"\s*(?:,|&|\band\b|\bund\b)\s*")
WORD = re.compile(r"[^\W\d_]+")
# Frequent short words of each language the site may publish in, none of them a word of the
# other ("in", "an", "so", "also", "war", "was", "will" are both, so they are left out).
# Written as text, which reads better than a list of quoted words.
COMMON_WORDS = {
    "en": frozenset(
        "the a of and to is are be been it its that this with for on at by from but or they he "  # noqa: SIM905
        "she his her their which who were would said has have had there what about when".split()
    ),
    "de": frozenset(
        "der die das und ist sind nicht ein eine einen einem einer zu zum zur den dem des mit "  # noqa: SIM905
        "sich auf für im von auch es sie er dass nach bei aus wie noch nur oder aber wird "
        "werden hat haben wurde wurden über vor seit sein seine ihr ihre durch gegen".split()
    ),
}
# The text decides when it has this many common words, twice as many of one language as of
# any other; otherwise the author line's label does.
DECISIVE_WORDS = 8


class StoryFormatError(Exception):
    """A story file that cannot be read, with the file and line that show why."""

    def __init__(self, path: str, line: int, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}, line {line}: {message}")


@dataclass
class Block:
    kind: str  # "p" or "h2"
    text: str


@dataclass
class ParsedStory:
    path: str
    section_path: list[str]
    authors: list[str]
    headline: str
    byline_label: str = ""  # "By" or "Von", as the author line has it
    standfirst: str = ""
    dateline: str = ""
    published_at: datetime | None = None
    initials: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    @property
    def subheadings(self) -> list[str]:
        return [block.text for block in self.blocks if block.kind == "h2"]

    @property
    def paragraphs(self) -> list[str]:
        return [block.text for block in self.blocks if block.kind == "p"]

    def body_html(self) -> str:
        return "".join(f"<{b.kind}>{escape(b.text)}</{b.kind}>" for b in self.blocks)

    def text(self) -> str:
        return "\n".join([self.headline, self.standfirst, *(b.text for b in self.blocks)])


@dataclass(frozen=True)
class DetectedLanguage:
    code: str
    evidence: str  # how it was told, for the import's report


def detect_language(story: ParsedStory) -> DetectedLanguage:
    """The story's language: the one its text is clearly in, else the one its author line's
    label ("Von:", "By:") is in, else the site's default."""
    languages = {code for code, _ in settings.LANGUAGES}
    # The text goes first: translated wire copy keeps its author line ("Von:" over English).
    if code := _language_of_text(story.text(), languages):
        return DetectedLanguage(code, "detected from the text")
    code = BYLINE_LANGUAGES.get(story.byline_label.lower())
    if code in languages:
        return DetectedLanguage(code, f'detected from the author line "{story.byline_label}:"')
    return DetectedLanguage(
        settings.LANGUAGE_CODE, "the site's default: neither the text nor the author line tells"
    )


def _language_of_text(text: str, languages: set[str]) -> str | None:
    known = languages & COMMON_WORDS.keys()
    counts = Counter(
        code for word in WORD.findall(text.lower()) for code in known if word in COMMON_WORDS[code]
    ).most_common(2)
    if not counts or counts[0][1] < DECISIVE_WORDS:
        return None
    (code, hits), runner_up = counts[0], (counts[1][1] if len(counts) > 1 else 0)
    return code if hits >= 2 * runner_up else None


def read_story_file(path: str | Path) -> ParsedStory:
    """Parse the story file at `path`; raise StoryFormatError naming the line at fault."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise StoryFormatError(str(path), line, "the file is not UTF-8 text") from error
    return parse_story(text, str(path))


def parse_story(text: str, path: str = "<story>") -> ParsedStory:
    """Parse wire copy in the layout described in this module's docstring."""
    if "\x00" in text:
        raise StoryFormatError(path, 1, "the file is binary, not a text story")
    # Only real line breaks count: str.splitlines() would also split at U+2028 and the like,
    # which text pasted from the web carries inside paragraphs.
    raw_lines = LINE_BREAK.split(text.removesuffix("\n"))
    lines = [(number, line.strip()) for number, line in enumerate(raw_lines, start=1)]
    lines = [(number, line) for number, line in lines if line]
    if not lines:
        raise StoryFormatError(path, 1, "the file is empty")
    reader = _Lines(path, lines)
    section_path = _read_breadcrumbs(reader)
    published_at, authors, byline_label = _read_header(reader)
    headline, standfirst = _read_headline(reader)
    blocks, dateline, initials = _read_body(reader)
    return ParsedStory(
        path=path,
        section_path=section_path,
        authors=authors,
        headline=headline,
        byline_label=byline_label,
        standfirst=standfirst,
        dateline=dateline,
        published_at=published_at,
        initials=initials,
        blocks=blocks,
    )


class _Lines:
    def __init__(self, path: str, lines: list[tuple[int, str]]):
        self.path, self.lines, self.index = path, lines, 0

    def peek(self) -> tuple[int, str] | None:
        return self.lines[self.index] if self.index < len(self.lines) else None

    def take(self) -> tuple[int, str]:
        line = self.lines[self.index]
        self.index += 1
        return line

    def rest(self) -> list[tuple[int, str]]:
        rest, self.index = self.lines[self.index :], len(self.lines)
        return rest

    def error(self, message: str, line: int | None = None) -> StoryFormatError:
        if line is None:
            line = self.peek()[0] if self.peek() else self.lines[-1][0]
        return StoryFormatError(self.path, line, message)


def _read_breadcrumbs(reader: _Lines) -> list[str]:
    crumbs = []
    while (line := reader.peek()) and line[1].startswith("-"):
        crumbs.append(reader.take())
    if not crumbs:
        raise reader.error(
            'expected breadcrumb lines such as "- Home page" and "- Politics" at the top'
        )
    names = [(number, text.lstrip("-").strip()) for number, text in crumbs]
    if names[0][1].lower() in HOME_LABELS:
        names = names[1:]
    if not names:
        raise reader.error("the breadcrumb names no section after the home page", crumbs[-1][0])
    for number, name in names:
        if not name:
            raise reader.error("a breadcrumb line has no section name", number)
        _check_length(reader, number, [name], Section, "a section name")
    return [name for _, name in names]


def _unique_names(names: list[str]) -> list[str]:
    """The names without blanks and repeats (ignoring case), in their order."""
    unique = {}
    for name in names:
        if name:
            unique.setdefault(name.casefold(), name)
    return list(unique.values())


def _check_length(reader: "_Lines", number: int, names: list[str], model, what: str) -> None:
    max_length = model._meta.get_field("name").max_length
    for name in names:
        if len(name) > max_length:
            raise reader.error(
                f"{what} is longer than {max_length} characters: {name[:40]}…", number
            )


def _read_header(reader: _Lines) -> tuple[datetime | None, list[str], str]:
    published_at, authors, byline_label = None, None, ""
    while (line := reader.peek()) and _is_header(line[1]):
        number, text = reader.take()
        label, _, value = text.partition(":")
        value = value.strip()
        if text.lower().startswith(CREATED_PREFIXES):
            published_at = _parse_time(value, reader, number) if value else None
        else:
            byline_label = label.strip()
            authors = _unique_names(AUTHOR_SEPARATORS.split(value))
            if not authors:
                raise reader.error(f'the "{label}:" line names no author', number)
            _check_length(reader, number, authors, Author, "an author's name")
    if authors is None:
        raise reader.error('expected the author line ("By: …" or "Von: …") before the headline')
    return published_at, authors, byline_label


def _is_header(text: str) -> bool:
    return text.lower().startswith(BYLINE_PREFIXES + CREATED_PREFIXES)


def _parse_time(value: str, reader: _Lines, number: int) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        for date_format in DATE_FORMATS:
            try:
                moment = datetime.strptime(value, date_format)
                break
            except ValueError:
                continue
        else:
            raise reader.error(
                f'cannot read the time "{value}"; write it as 05.04.2023, 10:15 '
                "or 2023-04-05 10:15",
                number,
            ) from None
    try:
        validate_storable_time(moment)
    except ValidationError as error:
        raise reader.error(
            f'the time "{value}" is out of range. {error.messages[0]}', number
        ) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _read_headline(reader: _Lines) -> tuple[str, str]:
    if reader.peek() is None:
        raise reader.error("the story ends before its headline")
    number, text = reader.take()
    headline, standfirst = _split_first_sentence(text)
    if headline.endswith(".") and not ABBREVIATED_ENDING.search(headline):
        headline = headline[:-1].rstrip()
    max_length = Article._meta.get_field("headline").max_length
    if len(headline) > max_length:
        raise reader.error(f"the headline is longer than {max_length} characters", number)
    return headline, standfirst


def _split_first_sentence(text: str) -> tuple[str, str]:
    for match in SENTENCE_END.finditer(text):
        words = text[: match.start()].split()
        if words and words[-1].rstrip(".").lower() not in ABBREVIATIONS:
            return text[: match.start()], text[match.end() :]
    return text, ""


def _read_body(reader: _Lines) -> tuple[list[Block], str, list[str]]:
    lines = reader.rest()
    if not lines:
        raise reader.error("the story has no text after the headline")
    dateline, initials = "", []
    first_number, first = lines[0]
    if (match := DATELINE.match(first)) and _looks_like_place(match["place"]):
        dateline, first = match["place"], match["rest"]
    lines[0] = (first_number, first)
    last_number, last = lines[-1]
    if match := SIGNOFF.search(last):
        initials = match["initials"].split("/")
        lines[-1] = (last_number, last[: match.start()].rstrip())
    blocks = []
    for position, (_, text) in enumerate(lines):
        is_between_paragraphs = 0 < position < len(lines) - 1
        kind = "h2" if is_between_paragraphs and _looks_like_subheading(text) else "p"
        blocks.append(Block(kind, text))
    return blocks, dateline, initials


def _looks_like_place(text: str) -> bool:
    """A place name is short and starts and ends with a capital ("Frankfurt am Main")."""
    words = text.split()
    return len(words) <= 4 and words[0][0].isupper() and words[-1][0].isupper()


def _looks_like_subheading(text: str) -> bool:
    return len(text) <= SUBHEADING_MAX_LENGTH and text[-1] not in FINAL_PUNCTUATION


@dataclass
class ImportResult:
    article: Article
    outcome: str  # "created", "updated" or "unchanged"
    created_sections: list[Section] = field(default_factory=list)


@transaction.atomic
def import_parsed_story(
    story: ParsedStory, external_id: str, language: str | None = None
) -> ImportResult:
    """Create or update the article imported as `external_id`, all or nothing; in `language`,
    or the one detected from the story."""
    section, created_sections = _section_for(story.section_path)
    authors = [_author_named(name) for name in story.authors]
    for author, initials in zip(authors, story.initials, strict=False):
        if not author.initials:
            author.initials = initials
            author.save(update_fields=["initials"])

    article = Article.objects.filter(external_id=external_id).first()
    outcome = "created" if article is None else "updated"
    if article is None:
        article = Article(external_id=external_id, slug=_free_article_slug(story.headline, section))
    fields = {
        "section": section,
        "headline": story.headline,
        "standfirst": story.standfirst,
        "dateline": story.dateline,
        # Compared with the stored body, so it must be in the form saving gives it.
        "body": sanitize_html(story.body_html()),
        "language": language or detect_language(story).code,
    }
    if story.published_at:
        fields["published_at"] = story.published_at
    changed = (
        outcome == "created"
        or any(getattr(article, name) != value for name, value in fields.items())
        or [byline.author_id for byline in article.bylines.all()] != [a.pk for a in authors]
    )
    if not changed:
        return ImportResult(article, "unchanged", created_sections)
    for name, value in fields.items():
        setattr(article, name, value)
    article.full_clean()
    editing.save_story(
        article, authors=authors, kind=Revision.Kind.IMPORT, note=f"Imported from {story.path}"
    )
    return ImportResult(article, outcome, created_sections)


def _section_for(names: list[str]) -> tuple[Section, list[Section]]:
    parent, created = None, []
    for name in names:
        section = Section.objects.filter(parent=parent, name__iexact=name).first()
        if section is None and parent is None:
            section = Section.objects.filter(slug=slugify(name)).first()
        if section is None:
            section = Section.objects.create(
                name=name, slug=_free_slug(Section, name, reserved=RESERVED_SLUGS), parent=parent
            )
            created.append(section)
        parent = section
    return parent, created


def _author_named(name: str) -> Author:
    author = Author.objects.filter(name__iexact=name).first()
    return author or Author.objects.create(name=name, slug=_free_slug(Author, name))


def _free_slug(model, text: str, reserved: set[str] = frozenset(), **scope) -> str:
    max_length = model._meta.get_field("slug").max_length
    base = _shorten_slug(slugify(text) or "untitled", max_length - 4)
    slug, counter = base, 2
    while slug in reserved or model.objects.filter(slug=slug, **scope).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _free_article_slug(headline: str, section: Section) -> str:
    return _free_slug(Article, _shorten_slug(slugify(headline), 80), section=section)


def _shorten_slug(slug: str, max_length: int) -> str:
    """Cut a slug at a word boundary so that it fits `max_length`."""
    if len(slug) <= max_length:
        return slug
    return slug[:max_length].rsplit("-", 1)[0]
