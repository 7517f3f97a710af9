"""Build the demo newsroom from `data.py`, leaving alone whatever part of it exists."""

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.text import slugify

from images.demo import make_demo_image
from images.models import Image

from .. import editing, workflow
from ..models import (
    Article,
    Author,
    Byline,
    Citation,
    FrontPage,
    Page,
    Publication,
    Section,
    Source,
    Tag,
    TaggedArticle,
)
from ..roles import ensure_roles
from ..wirecopy import read_story_file, save_story
from . import data
from .data import Step

Log = Callable[[str], object]


def build(articles: int, now: datetime | None = None, log: Log = print) -> None:
    """Build the demo newsroom; parts that exist already are left as they are."""
    now = now or timezone.now()
    with transaction.atomic():
        ensure_roles()
        sections = _sections()
        authors = _staff(log)
        sources = _sources()
        pictures = _pictures()
        _site_default_picture()
        _pages()
    _demo_story(sources, _picture(data.DEMO_STORY_PICTURE), now, log)
    _desk_stories(sections, now)
    _generated_stories(articles, sections, authors, sources, pictures, now, log)
    _demo_story_blocks()
    _front_page(sections, now)


def _save(
    article: Article,
    now: datetime,
    *,
    authors: Sequence[Author] = (),
    citations: Sequence[tuple[Source, str, str]] = (),
    tags: Sequence[str] = (),
    by: AbstractBaseUser | None = None,
    note: str = "",
    steps: Sequence[Step] = (),
) -> None:
    """Save the desk's work on `article` as the application saves stories, with bylines for
    `authors`, citations of `(source, note, link)` and `tags` (those left empty stay as they
    are), recorded as a revision; then take the story through the workflow `steps`.

    The demo's one way into saving and publishing a story (the generated stories are bulk
    inserted instead, see `_create_batch`).
    """
    editing.save_story(
        article,
        authors=list(authors) or None,
        citations=[
            Citation(source=source, note=cited_for, url=link)
            for source, cited_for, link in citations
        ]
        or None,
        tags=list(tags) or None,
        by=by,
        note=note,
    )
    for step in steps:
        at = now + timedelta(hours=step.hours) if step.hours is not None else None
        workflow.apply(article, step.name, _user(step.username), step.comment, at)


def _sections() -> dict[str, Section]:
    sections = {}
    for position, section in enumerate(data.SECTIONS, start=1):
        sections[section.slug], _ = Section.objects.get_or_create(
            slug=section.slug,
            defaults={
                "name": section.name,
                "description": section.description,
                "position": position,
                "parent": sections.get(section.parent),
            },
        )
    return sections


def _staff(log: Log) -> list[Author]:
    users = get_user_model().objects
    authors = []
    log("Demo logins (for local use only; the password is the same for all):")
    for member in data.STAFF:
        user = users.filter(username=member.username).first()
        if user is None:
            first_name, last_name = member.name.split(" ", 1)
            user = users.create_user(
                member.username,
                email=f"{member.username}@newsroom.invalid",
                password=data.DEMO_PASSWORD,
                first_name=first_name,
                last_name=last_name,
                is_staff=True,
            )
            user.groups.add(Group.objects.get(name=member.role))
        author = Author.objects.filter(slug=slugify(member.name)).first()
        if author is None:
            author = Author.objects.create(
                slug=slugify(member.name),
                name=member.name,
                initials=member.initials,
                job_title=member.job_title,
                bio=member.bio,
                user=user,
                photo=make_demo_image(
                    f"Portrait of {member.name}",
                    seed=len(authors),
                    scene="portrait",
                    size=(900, 900),
                ),
            )
        authors.append(author)
        log(
            f"  {member.role.lower():<9} {member.username:<11} {data.DEMO_PASSWORD}"
            f"   ({member.name})"
        )
    return authors


def _sources() -> dict[str, Source]:
    sources = {}
    for source in data.SOURCES:
        sources[source.slug], _ = Source.objects.get_or_create(
            slug=source.slug,
            defaults={
                "name": source.name,
                "kind": source.kind,
                "homepage_url": source.homepage_url,
                "description": source.description,
            },
        )
    return sources


def _picture(picture: data.DemoPicture) -> Image:
    found = Image.objects.filter(caption=picture.caption).first()
    return found or make_demo_image(
        picture.caption, seed=picture.seed, scene=picture.scene, size=picture.size
    )


def _pictures() -> dict[str, list[Image]]:
    """The pictures the generated stories of each section share, by the section's slug."""
    return {
        slug: [_picture(picture) for picture in pictures]
        for slug, pictures in data.SECTION_PICTURES.items()
    }


def _site_default_picture() -> None:
    if not Publication.objects.exists():
        Publication.objects.create(default_picture=_picture(data.DEFAULT_PICTURE))


def _pages() -> None:
    for page in data.POLICY_PAGES:
        Page.objects.get_or_create(
            role=page.role, defaults={"title": page.title, "slug": page.slug, "body": page.body}
        )


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _demo_story(sources: dict[str, Source], picture: Image, now: datetime, log: Log) -> None:
    """The German original and its English translation, published by the desk."""
    if Article.objects.filter(external_id=data.DEMO_STORY_ID).exists():
        return
    citations = [(sources[slug], note, url) for slug, note, url in data.DEMO_STORY_CITATIONS]
    with transaction.atomic():
        original = _import(data.DEMO_ORIGINAL, data.DEMO_ORIGINAL_ID, "de")
        translation = _import(data.DEMO_STORY, data.DEMO_STORY_ID, "en")
        original.kicker, translation.kicker = data.DEMO_ORIGINAL_KICKER, data.DEMO_STORY_KICKER
        translation.translation_of = original
        for article in (original, translation):
            article.lead_picture = picture
            article.lead_picture_caption = data.DEMO_PICTURE_CAPTIONS[article.language]
            _save(
                article,
                now,
                citations=citations,
                tags=data.DEMO_STORY_TAGS,
                note=data.DEMO_STORY_NOTE,
                steps=data.DEMO_STORY_STEPS,
            )
    log(f"Imported and published the demo story: {translation.get_absolute_url()}")
    log(f"  and its German original: {original.get_absolute_url()}")


def _demo_story_blocks() -> None:
    """The desk's blocks in the English demo story: a picture, a pull quote, a fact box and a
    "Read more" link to another story in English (once: a body with blocks is left)."""
    story = Article.objects.get(external_id=data.DEMO_STORY_ID)
    if "data-block" in story.body:
        return
    picture = _picture(data.DEMO_BODY_PICTURE)
    quote, attribution = data.DEMO_PULL_QUOTE
    title, facts = data.DEMO_FACT_BOX
    blocks = {
        "picture": format_html(
            '<figure data-image="{}" data-size="inline" data-alt="{}" data-caption="{}"></figure>',
            picture.pk,
            data.DEMO_BODY_PICTURE_ALT,
            data.DEMO_BODY_PICTURE_CAPTION,
        ),
        "pull-quote": format_html(
            '<figure data-block="pull-quote"><blockquote><p>{}</p></blockquote>'
            "<figcaption>{}</figcaption></figure>",
            quote,
            attribution,
        ),
        "fact-box": format_html(
            '<aside data-block="fact-box"><h2>{}</h2><ul>{}</ul></aside>',
            title,
            format_html_join("", "<li>{}</li>", ((fact,) for fact in facts)),
        ),
    }
    # Another story in its language: of its section if there is one.
    others = (
        Article.objects.published()
        .filter(language=story.language)
        .exclude(pk=story.pk)
        .select_related("section")
    )
    other = others.filter(section=story.section_id).first() or others.first()
    if other is not None:
        blocks["read-more"] = format_html(
            '<aside data-read-more="{}"><a href="{}">{}</a></aside>',
            other.pk,
            other.get_absolute_url(),
            other.headline,
        )
    body = story.body
    ends = [found.end() for found in re.finditer("</p>", body)]
    # From the last to the first, so that the places of the earlier ones stay where they were.
    for kind in sorted(blocks, key=data.DEMO_BLOCKS_AFTER.get, reverse=True):
        at = ends[min(data.DEMO_BLOCKS_AFTER[kind], len(ends)) - 1]
        body = body[:at] + blocks[kind] + body[at:]
    story.body = body
    with transaction.atomic():
        editing.save_story(story, by=_user("editor"), note=data.DEMO_BLOCKS_NOTE)


def _front_page(sections: dict[str, Section], now: datetime) -> None:
    """The front page as the desk arranged it, live from `now`; the demo story also leads
    its section's page."""
    if FrontPage.objects.filter(name=data.FRONT_PAGE_NAME).exists():
        return
    lead = Article.objects.get(external_id=data.DEMO_STORY_ID)
    published = Article.objects.published()
    placed = [lead] + [
        story
        for slug in data.FRONT_PAGE_TOP_SECTIONS
        if (story := published.in_section(sections[slug]).first()) is not None
    ]
    with transaction.atomic():
        layout = FrontPage.objects.create(name=data.FRONT_PAGE_NAME, goes_live_at=now)
        for position, story in enumerate(placed):
            layout.top_stories.create(article=story, position=position)
        for position, slug in enumerate(data.FRONT_PAGE_BLOCKS):
            layout.section_blocks.create(section=sections[slug], position=position)
        lead.section.lead_story = lead
        lead.section.save()


def _import(path: Path, external_id: str, language: str) -> Article:
    """The story in wire-copy file `path`, imported as the importer does."""
    return save_story(read_story_file(path), external_id=external_id, language=language).article


def _desk_stories(sections: dict[str, Section], now: datetime) -> None:
    reporter = _user(data.DESK_STORY_REPORTER)
    for story in data.DESK_STORIES:
        if Article.objects.filter(external_id=story.external_id).exists():
            continue
        article = Article(
            external_id=story.external_id,
            headline=story.headline,
            slug=slugify(story.headline),
            standfirst=data.DESK_STORY_STANDFIRST,
            dateline=data.DESK_STORY_DATELINE,
            body=data.DESK_STORY_BODY,
            section=sections[story.section],
            created_by=reporter,
        )
        with transaction.atomic():
            _save(article, now, authors=[reporter.author_profile], by=reporter, steps=story.steps)


def _generated_stories(
    count: int,
    sections: dict[str, Section],
    authors: list[Author],
    sources: dict[str, Source],
    pictures: dict[str, list[Image]],
    now: datetime,
    log: Log,
) -> None:
    existing = set(
        Article.objects.filter(external_id__startswith="demo-").values_list(
            "external_id", flat=True
        )
    )
    wanted = [number for number in range(1, count + 1) if f"demo-{number:05d}" not in existing]
    reporters = authors[1:]
    tags = {}
    for batch_start in range(0, len(wanted), 1000):
        with transaction.atomic():
            _create_batch(
                wanted[batch_start : batch_start + 1000],
                sections,
                reporters,
                sources,
                tags,
                pictures,
                now,
            )
    if wanted:
        log(f"Generated {len(wanted)} demo stories.")


def _create_batch(numbers, sections, reporters, sources, tags, pictures, now) -> None:
    stories = [_generated_story(number, sections, pictures, now) for number in numbers]
    Article.objects.bulk_create([story.article for story in stories])
    created = {
        article.external_id: article
        for article in Article.objects.filter(
            external_id__in=[story.article.external_id for story in stories]
        )
    }
    bylines, taggings, citations = [], [], []
    source_list = list(sources.values())
    for story in stories:
        article = created[story.article.external_id]
        rng = random.Random(story.number)
        for position, author in enumerate(rng.sample(reporters, rng.choice([1, 1, 1, 2]))):
            bylines.append(Byline(article=article, author=author, position=position))
        for name in story.tag_names:
            if name not in tags:
                tags[name], _ = Tag.objects.get_or_create(
                    name=name, defaults={"slug": slugify(name)}
                )
            taggings.append(TaggedArticle(content_object=article, tag=tags[name]))
        if rng.random() < 0.3:
            citations.append(Citation(article=article, source=rng.choice(source_list)))
    # Generated stories were never edited after publication; don't show them as updated.
    Article.objects.filter(pk__in=[a.pk for a in created.values()]).update(
        updated_at=F("published_at")
    )
    Byline.objects.bulk_create(bylines)
    TaggedArticle.objects.bulk_create(taggings)
    Citation.objects.bulk_create(citations)
    Article.objects.filter(pk__in=[a.pk for a in created.values()]).update_search_vectors()


@dataclass
class _GeneratedStory:
    number: int
    article: Article
    tag_names: list[str]


def _generated_story(
    number: int, sections: dict[str, Section], pictures: dict[str, list[Image]], now: datetime
) -> _GeneratedStory:
    rng = random.Random(number)
    section_slug = rng.choice(list(data.TOPICS))
    topic = data.TOPICS[section_slug]
    subject, action, thing = (
        rng.choice(topic.subjects),
        rng.choice(topic.actions),
        rng.choice(topic.objects),
    )
    headline = f"{subject} {action} {thing}"
    paragraphs = rng.sample(data.PARAGRAPHS, 4)
    paragraphs = [p.format(subject=subject, action=action, object=thing) for p in paragraphs]
    body = [f"<p>{escape(p)}</p>" for p in paragraphs]
    body.insert(2, f"<h2>{escape(rng.choice(data.SUBHEADINGS))}</h2>")
    type_of_work = rng.choices(list(Article.TypeOfWork), weights=data.TYPE_OF_WORK_WEIGHTS)[0]
    article = Article(
        external_id=f"demo-{number:05d}",
        headline=headline,
        slug=f"{slugify(headline)[:80]}-{number}",
        kicker=rng.choice(topic.tags),
        standfirst=rng.choice(data.STANDFIRSTS),
        dateline=rng.choice(topic.places),
        body="".join(body),
        section=sections[section_slug],
        type_of_work=type_of_work,
        status=Article.Status.PUBLISHED,
        lead_picture=rng.choice(pictures[section_slug]) if rng.random() < 0.8 else None,
        # Stories about three hours apart, the newest just before the demo story.
        published_at=now - timedelta(hours=3 * number, minutes=rng.randrange(60)),
    )
    return _GeneratedStory(number, article, rng.sample(topic.tags, 2))
