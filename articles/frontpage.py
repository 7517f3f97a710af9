"""Which story goes where on the front page, from a layout and the stories it may show.

No queries and no markup: `FrontPage.arrange()` loads the candidates in a fixed number of
queries (`ArticleQuerySet.front_page_candidates()`, with the window sizes from here) and this
module places them, so the page costs the same whatever the layout holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Article, FrontPage, Section, SectionBlock


@dataclass(frozen=True)
class WindowSizes:
    """How many of the newest stories to load: of all, per section id, of opinion and analysis."""

    newest: int
    per_section: dict[int, int]
    commentary: int


def window_sizes(layout: FrontPage, blocks: Sequence[SectionBlock]) -> WindowSizes:
    """Enough of the newest stories for every part of the page even when all the stories
    placed before it came from the same window: each part takes its own count plus what the
    parts before it show."""
    before = 1 + layout.top_story_count
    per_section = {}
    for block in blocks:
        per_section[block.section_id] = per_section.get(block.section_id, 0) + (
            block.story_count + before
        )
        before += block.story_count
    commentary = layout.commentary_count + before if layout.commentary_count else 0
    return WindowSizes(
        before + layout.commentary_count + layout.latest_count, per_section, commentary
    )


def story_root(article: Article) -> int:
    """The id every version of a story shares: its original's."""
    return article.translation_of_id or article.pk


@dataclass(frozen=True)
class Choice:
    """Which stories (ids) each part of the front page shows: what the shared cache keeps."""

    top: list[int]  # the lead first
    blocks: list[list[int]]
    commentary: list[int]
    latest: list[int]

    def ids(self) -> list[int]:
        """Every story's id, top to bottom."""
        blocks = [pk for block in self.blocks for pk in block]
        return [*self.top, *blocks, *self.commentary, *self.latest]


@dataclass
class BlockContent:
    section: Section
    stories: list[Article]


@dataclass
class Arrangement:
    """The front page as readers see it."""

    lead: Article | None
    top_stories: list[Article]
    section_blocks: list[BlockContent] = field(default_factory=list)
    commentary: list[Article] = field(default_factory=list)
    latest: list[Article] = field(default_factory=list)

    def stories(self) -> Iterator[Article]:
        """Every story on the page, top to bottom."""
        if self.lead is not None:
            yield self.lead
        yield from self.top_stories
        for block in self.section_blocks:
            yield from block.stories
        yield from self.commentary
        yield from self.latest

    def choice(self) -> Choice:
        """Which stories each part shows, by id."""
        return Choice(
            top=[story.pk for story in [self.lead, *self.top_stories] if story is not None],
            blocks=[[story.pk for story in block.stories] for block in self.section_blocks],
            commentary=[story.pk for story in self.commentary],
            latest=[story.pk for story in self.latest],
        )

    @classmethod
    def of_choice(
        cls, blocks: Sequence[SectionBlock], choice: Choice, stories: dict[int, Article]
    ) -> Arrangement:
        """The arrangement `choice` names, from `stories` by id; those missing (withdrawn since)
        drop out."""

        def found(pks: list[int]) -> list[Article]:
            return [stories[pk] for pk in pks if pk in stories]

        top = found(choice.top)
        return cls(
            lead=top[0] if top else None,
            top_stories=top[1:],
            section_blocks=[
                BlockContent(block.section, found(pks))
                for block, pks in zip(blocks, choice.blocks, strict=True)
            ],
            commentary=found(choice.commentary),
            latest=found(choice.latest),
        )

    @classmethod
    def make(
        cls,
        layout: FrontPage,
        blocks: Sequence[SectionBlock],
        placed: Sequence[int],
        stories: Sequence[Article],
    ) -> Arrangement:
        """Place `stories` (published, newest first) as `layout` and its `blocks` say, the
        stories `placed` (ids, in order) first."""
        page = _Page(stories)
        top = page.take([page.listed_version(pk) for pk in placed], 1 + layout.top_story_count)
        top += page.take(page.newest, 1 + layout.top_story_count - len(top))
        arrangement = cls(lead=top[0] if top else None, top_stories=top[1:])
        for block in blocks:
            wanted = [page.listed_version(block.section.lead_story_id)]
            wanted += [story for story in page.newest if story.section_id == block.section_id]
            arrangement.section_blocks.append(
                BlockContent(block.section, page.take(wanted, block.story_count))
            )
        commentary = [story for story in page.newest if story.is_commentary]
        arrangement.commentary = page.take(commentary, layout.commentary_count)
        arrangement.latest = page.take(page.newest, layout.latest_count)
        return arrangement


class _Page:
    """The stories a page may show, and which stories (in any language) it shows already."""

    def __init__(self, stories: Sequence[Article]) -> None:
        self.by_pk = {story.pk: story for story in stories}
        self.families: dict[int, list[Article]] = {}
        for story in stories:
            self.families.setdefault(story_root(story), []).append(story)
        self.newest = [story for story in stories if self.is_listed(story)]
        self.shown: set[int] = set()

    def is_listed(self, story: Article) -> bool:
        family = self.families[story_root(story)]
        return not any(other.is_better_version_than(story) for other in family if other != story)

    def listed_version(self, pk: int | None) -> Article | None:
        """The version of story `pk` lists show; None if it is not published."""
        story = self.by_pk.get(pk)
        if story is None or self.is_listed(story):
            return story
        family = self.families[story_root(story)]
        return next((other for other in family if self.is_listed(other)), story)

    def take(self, candidates: Sequence[Article | None], count: int) -> list[Article]:
        """Up to `count` of `candidates`, in order, that the page does not show yet."""
        taken = []
        for story in candidates:
            if len(taken) >= count:
                break
            if story is not None and story_root(story) not in self.shown:
                self.shown.add(story_root(story))
                taken.append(story)
        return taken
