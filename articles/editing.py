"""Saving a story: the one operation every writer uses (the admin, the wire-copy importer,
restoring a revision, the demo and the tests' fixtures).

`save_story()` stores an article with its bylines, citations, tags, the related stories
editors picked and the pictures its body shows, then brings what depends on them up to date
once: the redirect from a former address, the search vector, the revision and the cached
responses showing it.
`Article.save()` itself only keeps the row valid.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from images.models import Image

from .blocks import picture_ids
from .caching import invalidate
from .models import (
    Article,
    ArticleRedirect,
    Author,
    BodyPicture,
    Byline,
    Citation,
    RelatedStory,
    Revision,
    Tag,
)


@transaction.atomic
def save_story(
    article: Article,
    *,
    authors: Iterable[Author] | None = None,
    citations: Iterable[Citation] | None = None,
    tags: Iterable[str | Tag] | None = None,
    related: Iterable[Article] | None = None,
    by: AbstractBaseUser | None = None,
    kind: str = Revision.Kind.SAVE,
    note: str = "",
    record_revision: bool = True,
) -> Revision | None:
    """Save `article` as one story, all or nothing, and return the revision it makes.

    `authors` (in byline order), `citations` (in order: their source, note and link are
    stored for this article), `tags` and `related` (the stories editors picked to show with
    it, in order) replace what the article had; None leaves them as they are. Without
    `record_revision`, no revision is stored and None is returned: for fixtures and loads
    that write a history of their own.
    """
    is_new = article._state.adding
    stored = None if is_new else _stored(article)
    # What readers saw of the story as stored: the lists it leaves must forget it too.
    shown_before = (
        stored.surrogate_keys() if stored and stored.status in Article.READER_FACING else set()
    )
    article.save()
    if authors is not None:
        if not is_new:
            article.bylines.all().delete()
        Byline.objects.bulk_create(
            Byline(article=article, author=author, position=position)
            for position, author in enumerate(authors)
        )
    if citations is not None:
        if not is_new:
            article.citations.all().delete()
        Citation.objects.bulk_create(
            Citation(
                article=article,
                source=citation.source,
                note=citation.note,
                url=citation.url,
                position=position,
            )
            for position, citation in enumerate(citations)
        )
    _keep_body_pictures(article, is_new)
    if tags is not None:
        article.tags.set(list(tags))
    if related is not None:
        if not is_new:
            article.related_stories.all().delete()
        RelatedStory.objects.bulk_create(
            RelatedStory(article=article, related=story, position=position)
            for position, story in enumerate(related)
        )
    if stored and (stored.section.slug, stored.slug) != (article.section.slug, article.slug):
        section_slug, slug = stored.section.slug, stored.slug
        ArticleRedirect.objects.update_or_create(
            section_slug=section_slug, slug=slug, defaults={"article": article}
        )
    # Once, now that the authors' and tags' names it indexes are saved too.
    article.refresh_search_vector()
    # Drafts are shown nowhere; a story enters or leaves readers' view through the workflow,
    # which says so itself, or through a save like this one (imports, scripts).
    if shown_before or article.status in Article.READER_FACING:
        invalidate(shown_before | article.surrogate_keys())
    if not record_revision:
        return None
    return article.record_revision(by=by, kind=kind, note=note)


def _keep_body_pictures(article: Article, is_new: bool) -> None:
    """Record which library pictures the body shows (see BodyPicture); a picture id that names
    no picture (a revision older than a deleted picture) records nothing."""
    wanted = set(picture_ids(article.body))
    kept = set() if is_new else set(article.body_pictures.values_list("image_id", flat=True))
    if kept - wanted:
        article.body_pictures.filter(image_id__in=kept - wanted).delete()
    if added := wanted - kept:
        existing = Image.objects.filter(pk__in=added).values_list("pk", flat=True)
        BodyPicture.objects.bulk_create(
            BodyPicture(article=article, image_id=pk) for pk in existing
        )


def _stored(article: Article) -> Article | None:
    """The article as the database has it, before this save: its address, state and links."""
    return (
        Article.objects.select_related("section")
        .only("slug", "status", "translation_of", "section__slug")
        .filter(pk=article.pk)
        .first()
    )
