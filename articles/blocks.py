"""The body's blocks: pictures from the library, embeds, pull quotes, fact boxes and "Read
more" links, as the sanitizer stores them (see /work/briefs/blocks-contract.md, and
docs/editors-guide.md) and as every channel shows them.

The stored form names a picture or a story by id; what readers see is made at display time
from the current picture (its crops, credit) and the current story (its headline, address,
whether it is still published), so a change to either shows everywhere. Loading what the
blocks of any number of stories name costs two queries: one for the pictures, one for the
stories (`load_blocks()`).
"""

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.text import get_text_list
from django.utils.translation import gettext

from images.models import Image
from images.templatetags.images import figure

from . import caching, embeds
from .richtext import PICTURE_SIZES, allowed_value, is_id, normalize_html

# A block as sanitized HTML stores it: html5ever writes attributes double-quoted with any
# quote inside escaped, and blocks do not nest, so the first closing tag ends the block.
BLOCK = re.compile(
    r'<(?P<tag>figure|aside)(?P<attributes>(?:\s+[\w-]+="[^"]*")*)\s*>(?P<inner>.*?)</(?P=tag)>',
    re.DOTALL,
)
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
# Elements pasted in to load something from elsewhere: refused by name rather than dropped.
FRAME_ELEMENTS = re.compile(r"<(iframe|embed)\b", re.IGNORECASE)


@dataclass
class Block:
    """One block of a body: its element, attributes (unescaped) and inner HTML."""

    tag: str
    attributes: dict[str, str]
    inner: str
    start: int
    end: int

    @property
    def kind(self) -> str:
        """ "picture", "embed", "pull-quote", "fact-box", "read-more", or "" for a plain one."""
        if self.tag == "figure" and "data-image" in self.attributes:
            return "picture"
        if self.tag == "figure" and "data-embed" in self.attributes:
            return "embed"
        if self.tag == "aside" and "data-read-more" in self.attributes:
            return "read-more"
        return self.attributes.get("data-block", "")

    def get(self, name: str) -> str:
        return self.attributes.get(name, "").strip()

    @property
    def picture_id(self) -> int | None:
        value = self.get("data-image")
        return int(value) if self.kind == "picture" and is_id(value) else None

    @property
    def story_id(self) -> int | None:
        value = self.get("data-read-more")
        return int(value) if self.kind == "read-more" and is_id(value) else None


def find_blocks(body: str) -> list[Block]:
    """The blocks of `body`, in order."""
    return [
        Block(
            tag=found["tag"],
            attributes={
                name.lower(): html.unescape(value)
                for name, value in ATTRIBUTE.findall(found["attributes"])
            },
            inner=found["inner"],
            start=found.start(),
            end=found.end(),
        )
        for found in BLOCK.finditer(body or "")
    ]


def picture_ids(body: str) -> list[int]:
    """The ids of the library pictures in `body`, in order, each once."""
    return list(dict.fromkeys(block.picture_id for block in find_blocks(body) if block.picture_id))


# Checking a body an editor saves


def validate_blocks(body: str, user) -> None:
    """Refuse a body (as typed, before sanitizing) whose blocks saving would break or drop:
    a pasted frame, an embed off the allowlist, a picture without alt text or that `user` may
    not use, a "Read more" story that does not exist. One message per problem."""
    problems = []
    if found := FRAME_ELEMENTS.search(body or ""):
        names = get_text_list([provider.name for provider in embeds.providers()], "or")
        problems.append(
            f"The body contains an <{found[1].lower()}> element, which is not allowed. To embed "
            f"a post, video or chart from {names}, insert it as an embed, by its address."
        )
    blocks = find_blocks(normalize_html(body))
    problems += [problem for block in blocks for problem in _block_problems(block)]
    problems += _missing_pictures(blocks, user) + _missing_stories(blocks)
    if problems:
        raise ValidationError([ValidationError(problem, code="block") for problem in problems])


def _block_problems(block: Block) -> list[str]:
    name = _block_name(block)
    article = "An" if name[0] in "aeiou" else "A"
    problems = [
        f"{article} {name} has an invalid {attribute} (“{value[:80]}”)."
        for attribute, value in block.attributes.items()
        if attribute.startswith("data-")
        and value.strip()  # an empty value is as good as none
        and not allowed_value(block.tag, attribute, value.strip())
    ]
    if block.kind == "picture" and not block.get("data-alt"):
        problems.append(
            f"Picture {block.get('data-image')} has no alt text. Describe what it shows for "
            "readers who can't see it."
        )
    if block.kind == "embed":
        problems += _embed_problems(block)
    return problems


def _embed_problems(block: Block) -> list[str]:
    url = block.get("data-embed")
    provider = embeds.provider_for(url)
    if provider is None:
        return [embeds.not_allowed_message(url)]
    frame = block.get("data-frame")
    if frame and not provider.allows_frame(frame):
        return [
            f"The embed of “{url[:80]}” names a player outside {provider.name} "
            f"({embeds.origin(frame)}). Insert the embed again from its address."
        ]
    return []


def _missing_pictures(blocks: list[Block], user) -> list[str]:
    wanted = {block.picture_id for block in blocks if block.picture_id}
    if not wanted:
        return []
    # Without a user (a script's form), any picture of the library will do.
    pictures = Image.objects.visible_to(user) if user is not None else Image.objects.all()
    usable = set(pictures.filter(pk__in=wanted).values_list("pk", flat=True))
    return [
        f"Picture {pk} does not exist in the picture library, or you may not use it. Choose "
        "the picture again."
        for pk in sorted(wanted - usable)
    ]


def _missing_stories(blocks: list[Block]) -> list[str]:
    from .models import Article

    wanted = {block.story_id for block in blocks if block.story_id}
    if not wanted:
        return []
    found = set(Article.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    return [
        f"The “Read more” link names story {pk}, which does not exist. Choose the story again."
        for pk in sorted(wanted - found)
    ]


def _block_name(block: Block) -> str:
    return {
        "picture": "picture",
        "embed": "embed",
        "read-more": "“Read more” link",
        "pull-quote": "pull quote",
        "fact-box": "fact box",
    }.get(block.kind, block.tag)


# What the blocks of some stories name, loaded once


@dataclass
class LoadedBlocks:
    """The pictures and stories the blocks of some bodies name, by id: the pictures that
    exist, the stories readers may see."""

    pictures: dict[int, Image] = field(default_factory=dict)
    stories: dict[int, object] = field(default_factory=dict)


LOADED = "_loaded_blocks"


def load_blocks(articles: Iterable) -> LoadedBlocks:
    """Load what the bodies of `articles` name in two queries at most (none without blocks),
    and keep it on each article for `loaded_blocks()`."""
    from .models import Article

    articles = list(articles)
    blocks = [block for article in articles for block in find_blocks(article.body)]
    picture_ids = {block.picture_id for block in blocks if block.picture_id}
    story_ids = {block.story_id for block in blocks if block.story_id}
    loaded = LoadedBlocks(
        pictures=Image.objects.in_bulk(picture_ids) if picture_ids else {},
        stories=Article.objects.published().select_related("section").in_bulk(story_ids)
        if story_ids
        else {},
    )
    for article in articles:
        setattr(article, LOADED, loaded)
    return loaded


def loaded_blocks(article) -> LoadedBlocks:
    """What `article`'s blocks name, loaded now unless `load_blocks()` did already."""
    loaded = getattr(article, LOADED, None)
    return loaded if loaded is not None else load_blocks([article])


# What readers see

# The `sizes` of a body picture at each of its sizes, as the theme lays them out
# (static/css/site.css: .figure--inline, --wide, --full).
PICTURE_SIZES_ATTRIBUTE = {
    "inline": "18rem",
    "wide": "(min-width: 48rem) 48rem, 100vw",
    "full": "(min-width: 76rem) 76rem, 100vw",
}


def render_blocks(body: str, loaded: LoadedBlocks) -> str:
    """`body` (sanitized) with each block made into what readers see; names what it shows for
    the page cache. Runs no query: `loaded` holds what the blocks name."""
    return BLOCK.sub(lambda found: _render(_block_of(found), loaded), body)


def _block_of(found: re.Match) -> Block:
    (block,) = find_blocks(found[0])
    return block


def _render(block: Block, loaded: LoadedBlocks) -> str:
    renderer = RENDERERS.get(block.kind)
    return renderer(block, loaded) if renderer else f"<{block.tag}>{block.inner}</{block.tag}>"


def _render_picture(block: Block, loaded: LoadedBlocks) -> str:
    image = loaded.pictures.get(block.picture_id)
    if image is None:
        return ""  # deleted since (a restored revision), or never there: nothing to show
    caching.shows(image)
    size = block.get("data-size") if block.get("data-size") in PICTURE_SIZES else "inline"
    context = figure(
        image,
        sizes=PICTURE_SIZES_ATTRIBUTE[size],
        css_class=f"figure--{size}",
        caption=block.get("data-caption"),
        alt=block.get("data-alt"),
    )
    return render_to_string("images/_figure.html", context).strip()


def _render_embed(block: Block, loaded: LoadedBlocks) -> str:
    url = block.get("data-embed")
    provider = embeds.provider_for(url)
    if provider is None:  # no longer allowed: a link is all that is left
        return format_html('<p><a href="{}">{}</a></p>', url, block.get("data-title") or url)
    frame = block.get("data-frame")
    context = {
        "url": url,
        "provider": provider.name,
        "title": block.get("data-title") or url,
        "author": block.get("data-author"),
        "frame": frame if provider.allows_frame(frame) else "",
    }
    return render_to_string("articles/_embed.html", context).strip()


def _render_pull_quote(block: Block, loaded: LoadedBlocks) -> str:
    return f'<figure class="pull-quote">{block.inner}</figure>'


def _render_fact_box(block: Block, loaded: LoadedBlocks) -> str:
    return f'<aside class="fact-box">{block.inner}</aside>'


def _render_read_more(block: Block, loaded: LoadedBlocks) -> str:
    caching.shows(caching.object_key("article", block.story_id))  # published again, it comes back
    story = loaded.stories.get(block.story_id)
    if story is None:  # not published (any more): readers see nothing
        return ""
    return render_to_string("articles/_read_more.html", {"story": story}).strip()


RENDERERS = {
    "picture": _render_picture,
    "embed": _render_embed,
    "pull-quote": _render_pull_quote,
    "fact-box": _render_fact_box,
    "read-more": _render_read_more,
}


def frame_origins(body: str) -> list[str]:
    """The origins of the players the body's embeds may load (for the page's frame-src)."""
    origins = set()
    for block in find_blocks(body):
        provider = embeds.provider_for(block.get("data-embed")) if block.kind == "embed" else None
        frame = block.get("data-frame")
        if provider and frame and provider.allows_frame(frame):
            origins.add(embeds.origin(frame))
    return sorted(origins)


def body_pictures(article) -> list[Image]:
    """The library pictures `article`'s body shows, in order, each once."""
    pictures = loaded_blocks(article).pictures
    return [pictures[pk] for pk in picture_ids(article.body) if pk in pictures]


# What feeds and the content API carry


def plain_html(body: str, loaded: LoadedBlocks, absolute: Callable[[str], str]) -> str:
    """`body` with each block as plain HTML any feed reader or receiving system shows: a
    picture as <figure><img><figcaption>, an embed as a link, pull quotes and fact boxes as
    their HTML, "Read more" as a link while its story is published. Runs no query."""
    return BLOCK.sub(lambda found: _plain(_block_of(found), loaded, absolute), body)


def _plain(block: Block, loaded: LoadedBlocks, absolute: Callable[[str], str]) -> str:
    if block.kind == "picture":
        image = loaded.pictures.get(block.picture_id)
        if image is None:
            return ""
        caching.shows(image)
        picture = image.picture()
        caption = block.get("data-caption") or image.caption
        credit = f"{image.get_credit_kind_display()}: {image.credit}" if image.credit else ""
        return format_html(
            '<figure><img src="{}" alt="{}" width="{}" height="{}">{}</figure>',
            absolute(picture.src),
            block.get("data-alt") or image.alt_text,
            picture.width,
            picture.height,
            format_html("<figcaption>{}</figcaption>", " ".join(filter(None, [caption, credit])))
            if caption or credit
            else "",
        )
    if block.kind == "embed":
        url = block.get("data-embed")
        if embeds.provider_for(url) is None:
            return ""
        title = block.get("data-title") or url
        return format_html(
            '<p><a href="{}">{}</a> ({})</p>', url, title, block.get("data-provider")
        )
    if block.kind == "read-more":
        caching.shows(caching.object_key("article", block.story_id))
        story = loaded.stories.get(block.story_id)
        if story is None:
            return ""
        return format_html(
            '<p>{} <a href="{}">{}</a></p>',
            gettext("Read more:"),
            absolute(story.get_absolute_url()),
            story.headline,
        )
    return f"<{block.tag}>{block.inner}</{block.tag}>"
