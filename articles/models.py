import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list, slugify
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import ItemBase, TagBase

from images.models import SHARING_MIN_WIDTH, SHARING_RATIOS, Image, smallest_sharing_size

from .caching import (
    SITE,
    STORY_LISTINGS,
    forget,
    invalidate,
    listing_key,
    object_key,
    remembered,
    shows,
    slugs_key,
    surrogate_key,
)
from .frontpage import Arrangement, Choice, window_sizes
from .richtext import (
    BODY_BLOCK_EXTENSIONS,
    EDITOR_EXTENSIONS,
    sanitize_html,
    validate_keeps_text,
)
from .search import search, update_search_vectors
from .windows import union_of_windows

# First path segments the site itself uses; a section with one of these slugs would shadow them.
RESERVED_SLUGS = {
    "admin",
    "api",
    "author",
    "authors",
    "feeds",
    "latest",
    "media",
    "search",
    "sitemap.xml",
    "source",
    "sources",
    "static",
    "tag",
    "tags",
    "robots.txt",
    "preview",
    "pages",
}

# What every page shows (navigation, policy pages) is cached across app servers; saving a
# section or page clears it, and the timeout bounds staleness after bulk updates.
NAVIGATION_CACHE_KEY = "articles:navigation"
POLICY_PAGES_CACHE_KEY = "articles:policy-pages"
PUBLICATION_CACHE_KEY = "articles:publication"
SITEWIDE_CACHE_SECONDS = 600

# Edits this soon after publication are the usual last fixes, not an update readers need to see.
UPDATE_GRACE_PERIOD = timedelta(minutes=5)

# How much of a title or description search results and social cards show, in characters.
# They cut by width in pixels; these are the usual cuts, which the form's preview applies and
# the fields' help texts name. A search result's title is the page's whole <title>, with the
# site's name.
SEARCH_TITLE_SHOWN = 60
SEARCH_DESCRIPTION_SHOWN = 155
SOCIAL_TITLE_SHOWN = 70
SOCIAL_DESCRIPTION_SHOWN = 110

# How many related stories an article page shows: those editors picked first, then the
# automatic choice.
RELATED_STORIES_SHOWN = 4


# Python's dates run from the year 1 to 9999. A time in the first or last of those years may
# not survive the conversion to UTC for storage (PostgreSQL would keep a year 0 that cannot be
# read back), nor the date arithmetic of the admin's drill-down, which steps a year further.
EARLIEST_YEAR, LATEST_YEAR = 2, 9998


def validate_storable_time(moment: datetime) -> None:
    """Refuse a time too close to the ends of the calendar to be stored and read back."""
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ValidationError(
            f"Enter a time between the years {EARLIEST_YEAR} and {LATEST_YEAR}.",
            code="out_of_range",
        )


def validate_section_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(f"“{value}” is used by the site itself; choose another slug.")


def default_language() -> str:
    return settings.LANGUAGE_CODE


def placeable_stories() -> Q:
    """The stories an editor may place on the front page or pin on a section: published or
    scheduled, not taken down (the admin's choices and its autocomplete)."""
    return Q(status="published") & (Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))


def validate_default_picture(image: "Image | None") -> None:
    """Refuse, as an error on the `default_picture` field, a picture too small for search
    engines to show large in every crop."""
    width, height = smallest_sharing_size()
    if image is not None and (image.width < width or image.height < height):
        message = (
            "Search engines and social networks show a default picture large, cropped to "
            f"{get_text_list(SHARING_RATIOS, 'and')}, and each crop must be at least "
            f"{SHARING_MIN_WIDTH} pixels wide: choose a picture of at least {width} × {height} "
            f"pixels. This one is {image.width} × {image.height}."
        )
        raise ValidationError({"default_picture": message})


class SectionQuerySet(models.QuerySet):
    def navigation(self) -> list["Section"]:
        """The top-level sections in navigation order, cached until a section changes."""
        return cache.get_or_set(
            NAVIGATION_CACHE_KEY,
            lambda: list(self.filter(parent__isnull=True)),
            SITEWIDE_CACHE_SECONDS,
        )


class Section(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        validators=[validate_section_slug],
        help_text="The section's address: /slug/. Changing it keeps the old address working.",
    )
    description = models.TextField(blank=True, help_text="Shown at the top of the section page.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the site navigation, lowest first."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Leave empty for a top-level section shown in the navigation.",
    )
    default_picture = models.ForeignKey(
        "images.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="default_for_sections",
        help_text="Shown when a story of this section without a lead picture is shared or "
        "found by search engines (not on the story's page). At least 1200 × 1200 pixels. "
        "Empty: the site's default picture.",
    )
    lead_story = models.ForeignKey(
        "Article",
        verbose_name="pinned lead story",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to=placeable_stories,
        help_text="Leads the section page, and the section's block on the front page, while "
        "it is published. A story of this section. Empty: the newest story leads.",
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        previous_slug, previous_parent = (
            Section.objects.filter(pk=self.pk).values_list("slug", "parent").first()
            if self.pk
            else None
        ) or (None, None)
        super().save(*args, **kwargs)
        forget(NAVIGATION_CACHE_KEY)
        if previous_slug is None:  # new: only the navigation can show it yet
            invalidate({SITE} if self.parent_id is None else set())
        else:
            was_in_navigation = previous_parent is None
            invalidate(self.surrogate_keys() | ({SITE} if was_in_navigation else set()))
        if previous_slug and previous_slug != self.slug:
            SectionRedirect.objects.update_or_create(
                old_slug=previous_slug, defaults={"section": self}
            )
        SectionRedirect.objects.filter(old_slug=self.slug).delete()

    def get_absolute_url(self) -> str:
        return reverse("articles:section", kwargs={"slug": self.slug})

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": "A section cannot be inside itself."})
            ancestor = ancestor.parent
        validate_default_picture(self.default_picture)
        if self.lead_story is not None and self.lead_story.section_id != self.pk:
            raise ValidationError(
                {"lead_story": "Pin a story of this section; this one is in another section."}
            )

    def delete(self, *args, **kwargs):
        forget(NAVIGATION_CACHE_KEY)
        invalidate(self.surrogate_keys())
        return super().delete(*args, **kwargs)

    def surrogate_keys(self) -> set[str]:
        """The keys of the cached responses a change to this section may alter: those showing
        its name or address, its list of stories, the sitemaps and, for a top-level section,
        every page (the navigation)."""
        keys = {surrogate_key(self), listing_key("section", self.pk), slugs_key("section")}
        return keys | {"sitemap"} | ({SITE} if self.parent_id is None else set())

    def ancestors(self) -> list["Section"]:
        """The parent sections from the top level down, for breadcrumbs."""
        chain = []
        ancestor = self.parent
        while ancestor is not None:
            chain.insert(0, ancestor)
            ancestor = ancestor.parent
        return chain


class SectionRedirect(models.Model):
    """A former slug of a section, answered with a permanent redirect."""

    old_slug = models.SlugField(max_length=100, unique=True)
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="redirects")

    def __str__(self) -> str:
        return f"/{self.old_slug}/ → {self.section}"


class MergeableQuerySet(models.QuerySet):
    """Sources, tags and authors, which editors merge when one was entered twice."""

    def merge_into(self, keep: models.Model) -> int:
        """Make every story referring to one of these refer to `keep` instead, then delete
        them (except `keep`), all or nothing; return how many stories changed.

        Stored revisions keep the names they had; the deleted ones' pages are gone.
        """
        with transaction.atomic():
            ids = list(self.exclude(pk=keep.pk).values_list("pk", flat=True))
            duplicates = list(self.model.objects.select_for_update().filter(pk__in=ids))
            if not duplicates:
                return 0
            stories = self.move_references(duplicates, keep)
            self.model.objects.filter(pk__in=ids).delete()
            Article.objects.filter(pk__in=stories).update_search_vectors()
            # The stories show `keep` now (their teasers, pages, feed entries and API items
            # carry their keys), `keep`'s lists gained them, the duplicates' pages are gone.
            name = self.model._meta.model_name
            invalidate(
                {object_key("article", pk) for pk in stories}
                | {key for duplicate in duplicates for key in merged_away(duplicate)}
                | {listing_key(name, keep.pk), "sitemap"}
            )
        return len(stories)

    def move_references(self, duplicates: list, keep: models.Model) -> set[int]:
        """Point everything referring to `duplicates` at `keep`; return the stories' ids."""
        raise NotImplementedError


def merged_away(instance: models.Model) -> set[str]:
    """The keys of an author, tag or source merged into another: itself and its list."""
    return {surrogate_key(instance), listing_key(instance._meta.model_name, instance.pk)}


def _repoint_once_per_story(
    rows: models.QuerySet, story_field: str, field: str, keep: models.Model
) -> set[int]:
    """Point `rows` (bylines or taggings of duplicates) at `keep` in their `field`, leaving a
    story at most one row for `keep`, as the table's unique constraint demands; return the
    stories' ids."""
    story_id = f"{story_field}_id"
    stories = set(rows.values_list(story_id, flat=True))
    with_keep = rows.model.objects.filter(**{field: keep, f"{story_field}__in": stories})
    # Of a story's rows for duplicates, the first becomes `keep`'s, unless it has one already.
    firsts = list(
        rows.exclude(**{f"{story_field}__in": with_keep.values(story_id)})
        .order_by()
        .values(story_id)
        .annotate(first=Min("pk"))
        .values_list("first", flat=True)
    )
    rows.exclude(pk__in=firsts).delete()
    rows.model.objects.filter(pk__in=firsts).update(**{field: keep})
    return stories


class AuthorQuerySet(MergeableQuerySet):
    def with_story_count(self) -> "AuthorQuerySet":
        """Annotate `story_count`, the stories each author has a byline on, and what else a
        merge moves: the login, the photo and `link_count`, the profile links."""
        return self.select_related("user", "photo").annotate(
            story_count=Count("bylines", distinct=True),
            link_count=Count("links", distinct=True),
        )

    def move_references(self, duplicates: list["Author"], keep: "Author") -> set[int]:
        """Move the bylines, and the login, photo and profile links `keep` lacks."""
        logins = {author.user_id for author in [keep, *duplicates] if author.user_id}
        if len(logins) > 1:
            with_login = [str(author) for author in [keep, *duplicates] if author.user_id]
            raise ValidationError(
                f"{get_text_list(with_login, 'and')} each have a staff login, and an author has "
                "one at most: take the login off all but one of them first."
            )
        stories = _repoint_once_per_story(
            Byline.objects.filter(author__in=duplicates), "article", "author", keep
        )
        AuthorLink.objects.filter(author__in=duplicates).exclude(
            url__in=keep.links.values("url")
        ).update(author=keep)
        if keep.user_id is None and (owner := next((a for a in duplicates if a.user_id), None)):
            Author.objects.filter(pk=owner.pk).update(user=None)  # one login, one profile
            keep.user_id = owner.user_id
        if keep.photo_id is None:
            keep.photo_id = next(
                (author.photo_id for author in duplicates if author.photo_id), None
            )
        keep.save(update_fields=["user", "photo"])
        return stories


class Author(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    initials = models.CharField(
        max_length=12,
        blank=True,
        help_text="The sign-off at the end of a story, such as “jkf”.",
    )
    job_title = models.CharField(max_length=150, blank=True)
    bio = models.TextField(blank=True, help_text="A few sentences shown on the author page.")
    photo = models.ForeignKey(
        "images.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="author_photos",
        help_text="A portrait; it is shown square, cropped around the picture's focal point.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text="The staff login of this author, if they have one.",
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        is_new = self._state.adding  # shown nowhere until a story names it
        super().save(*args, **kwargs)
        if not is_new:
            invalidate(self.surrogate_keys())

    def get_absolute_url(self) -> str:
        return reverse("articles:author", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        invalidate(self.surrogate_keys())
        return super().delete(*args, **kwargs)

    def surrogate_keys(self) -> set[str]:
        """The keys of the cached responses a change to this author may alter: bylines, the
        author's page and feeds, the sitemaps, the API's lists by author."""
        return {surrogate_key(self), "sitemap", slugs_key("author")}


class AuthorLink(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=60, help_text="For example “Website” or “Mastodon”.")
    url = models.URLField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.url}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        invalidate([object_key("author", self.author_id)])  # the author's page lists them

    def delete(self, *args, **kwargs):
        invalidate([object_key("author", self.author_id)])
        return super().delete(*args, **kwargs)


class SourceQuerySet(MergeableQuerySet):
    def with_story_count(self) -> "SourceQuerySet":
        """Annotate `story_count`, the stories citing each source."""
        return self.annotate(story_count=Count("citations__article", distinct=True))

    def move_references(self, duplicates: list["Source"], keep: "Source") -> set[int]:
        """Make the citations of `duplicates` cite `keep`, with their notes and links."""
        citations = Citation.objects.filter(source__in=duplicates)
        stories = set(citations.values_list("article_id", flat=True))
        citations.update(source=keep)
        return stories


class Source(models.Model):
    class Kind(models.TextChoices):
        NEWS_AGENCY = "agency", _("News agency")
        PUBLICATION = "publication", _("Newspaper or magazine")
        BROADCASTER = "broadcaster", _("Broadcaster")
        INVESTIGATIVE = "investigative", _("Investigative outlet or NGO")
        GOVERNMENT = "government", _("Government or intelligence service")
        PERSON = "person", _("Person")
        SOCIAL_MEDIA = "social", _("Social media")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    homepage_url = models.URLField(blank=True)
    description = models.TextField(
        blank=True, help_text="What this source is, for readers weighing what it says."
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        is_new = self._state.adding  # shown nowhere until a story cites it
        super().save(*args, **kwargs)
        if not is_new:
            invalidate([surrogate_key(self)])  # its page, and the sources boxes citing it

    def get_absolute_url(self) -> str:
        return reverse("articles:source", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        invalidate([surrogate_key(self)])
        return super().delete(*args, **kwargs)


# The slug of a tag whose name has no letters or digits ("🔥", "---"), numbered when taken.
FALLBACK_TAG_SLUG = "tag"


class TagQuerySet(MergeableQuerySet):
    def public(self) -> "TagQuerySet":
        """Tags readers may see: those carried by at least one published story."""
        # A tag only drafts carry could give an embargoed story away.
        return self.filter(Exists(Article.objects.published().tagged(OuterRef("pk"))))

    def delete(self) -> tuple[int, dict[str, int]]:
        """Delete the tags (the admin's bulk action) and the cached responses showing them."""
        invalidate(key for tag in self for key in tag.surrogate_keys())
        return super().delete()

    # As on QuerySet.delete: never copied to the manager.
    delete.alters_data = True
    delete.queryset_only = True

    def with_story_count(self) -> "TagQuerySet":
        """Annotate `story_count`, the stories carrying each tag."""
        return self.annotate(story_count=Count("tagged_articles", distinct=True))

    def move_references(self, duplicates: list["Tag"], keep: "Tag") -> set[int]:
        """Put `keep` on the stories carrying `duplicates`."""
        return _repoint_once_per_story(
            TaggedArticle.objects.filter(tag__in=duplicates), "content_object", "tag", keep
        )


class Tag(TagBase):
    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def save(self, *args, **kwargs) -> None:
        # Taggit would store "" for a name without letters or digits, an address nothing
        # can link to; every way of making a tag (admin, tag field, scripts) passes here.
        if not self.slug:
            self.slug = self.free_slug()
        is_new = self._state.adding  # shown nowhere until a story carries it
        super().save(*args, **kwargs)
        if not is_new:
            invalidate(self.surrogate_keys())

    def delete(self, *args, **kwargs):
        invalidate(self.surrogate_keys())
        return super().delete(*args, **kwargs)

    def surrogate_keys(self) -> set[str]:
        """The keys of the cached responses a change to this tag may alter: the stories and
        feeds showing it, its page, the sitemaps, the API's lists by tag."""
        return {surrogate_key(self), "sitemap", slugs_key("tag")}

    def get_absolute_url(self) -> str:
        return reverse("articles:tag", kwargs={"slug": self.slug})

    def slugify(self, tag: str, i: int | None = None) -> str:
        """The slug of the name `tag` (letters of any script kept), numbered if `i` is given."""
        # Room for a number suffix, so that a numbered slug still fits the field.
        base = slugify(tag, allow_unicode=True)[: self._meta.get_field("slug").max_length - 6]
        base = base.strip("-_") or FALLBACK_TAG_SLUG
        return base if i is None else f"{base}-{i}"

    def free_slug(self) -> str:
        """A slug of this tag's name that no other tag has: "münchen", else "münchen-2"…"""
        base = self.slugify(self.name)
        taken = set(
            Tag.objects.exclude(pk=self.pk)
            .filter(slug__startswith=base)
            .values_list("slug", flat=True)
        )
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = self.slugify(self.name, number)
        return slug


class TaggedArticle(ItemBase):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag")
        ]


# Prefetched bylines are kept in a list attribute, not the related manager's cache: Django
# then makes no queryset per article (on the front page's 140 candidates that was a seventh of
# its time).
PREFETCHED_BYLINES = "prefetched_bylines"


def ordered_bylines(*, with_photos: bool = False) -> Prefetch:
    """The bylines of articles in order with their authors (and their photos), for
    `Article.ordered_authors()` (`prefetch_related_objects(articles, ordered_bylines())` for a
    list)."""
    bylines = Byline.objects.select_related("author__photo" if with_photos else "author")
    return Prefetch("bylines", queryset=bylines, to_attr=PREFETCHED_BYLINES)


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """Articles readers may see: published, past their publication time, not expired."""
        now = timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )

    def withdrawn(self) -> "ArticleQuerySet":
        """Articles readers could once see that have since been unpublished or taken down."""
        return self.filter(
            Q(status=Article.Status.UNPUBLISHED)
            | Q(status=Article.Status.PUBLISHED, expires_at__lte=timezone.now())
        )

    def scheduled(self) -> "ArticleQuerySet":
        """Published articles whose publication time is still to come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def published_since(self, moment: datetime) -> "ArticleQuerySet":
        """Articles readers may see that were published at `moment` or later."""
        return self.published().filter(published_at__gte=moment)

    def next_scheduled_change(self) -> datetime | None:
        """The next publication or takedown time to come: readers' view changes by itself then."""
        now = timezone.now()
        # One pass over the published rows; the page cache asks once per change, not per page.
        times = self.filter(status=Article.Status.PUBLISHED).aggregate(
            publication=Min("published_at", filter=Q(published_at__gt=now)),
            takedown=Min("expires_at", filter=Q(expires_at__gt=now)),
        )
        return min(filter(None, times.values()), default=None)

    def owned_by(self, user) -> "ArticleQuerySet":
        """Articles `user` created or has a byline on."""
        return self.filter(
            Q(created_by=user)
            | Q(pk__in=Byline.objects.filter(author__user=user).values("article"))
        )

    def visible_to(self, user) -> "ArticleQuerySet":
        """The articles `user` may open in the admin: all for editors, their own otherwise."""
        return self if user.has_perm("articles.edit_any_article") else self.owned_by(user)

    def editable_by(self, user) -> "ArticleQuerySet":
        """The articles `user` may edit; the same rule as `Article.can_be_edited_by()`."""
        if not user.is_active or not user.has_perm("articles.change_article"):
            return self.none()
        if user.has_perm("articles.edit_any_article"):
            return self
        return self.owned_by(user).filter(status__in=Article.REPORTER_EDITABLE)

    def with_modified_at(self) -> "ArticleQuerySet":
        """Annotate `modified_at`, when readers last saw each article change, for filtering,
        ordering and aggregating; `Article.modified_at` is the same rule for one article."""
        # A correction moves updated_at (Correction.save), so it needs no subquery here.
        # Coalesce: SQLite's two-argument MAX() is NULL if either is; PostgreSQL's GREATEST
        # skips NULLs. An unpublished draft then counts from its last edit on both.
        return self.annotate(
            modified_at=Greatest("updated_at", Coalesce("published_at", "updated_at"))
        )

    def readable_by(self, user) -> "ArticleQuerySet":
        """The articles `user` may know of: those they may open in the admin and those readers
        see; what forms offer them to choose, such as a translation's original."""
        return self.visible_to(user) | self.published()

    def with_submitted_at(self) -> "ArticleQuerySet":
        """Annotate when each article last went into review."""
        last_submission = StatusChange.objects.filter(
            article=OuterRef("pk"), to_status=Article.Status.IN_REVIEW
        ).order_by("-changed_at")
        return self.annotate(submitted_at=Subquery(last_submission.values("changed_at")[:1]))

    def search(self, query: str) -> "ArticleQuerySet":
        """Articles matching `query`, best first (full-text on PostgreSQL; see search.py)."""
        return search(self, query)

    def update_search_vectors(self) -> int:
        """Recompute the stored search vectors of these articles (PostgreSQL only)."""
        return update_search_vectors(self)

    def in_section(self, section: Section) -> "ArticleQuerySet":
        """Articles filed in `section`."""
        return self.filter(section=section)

    def one_version_per_story(self) -> "ArticleQuerySet":
        """Of a story published in several languages, only the version lists show: the one in
        the site's language, else the original (`Article.is_better_version_than()` for two)."""
        root = Coalesce(OuterRef("translation_of_id"), OuterRef("pk"))
        better = (
            Article.objects.published()
            .exclude(pk=OuterRef("pk"))
            .filter(Q(pk=root) | Q(translation_of=root))
            .filter(Q(language=settings.LANGUAGE_CODE) | Q(pk=OuterRef("translation_of")))
        )
        return self.exclude(~Q(language=settings.LANGUAGE_CODE) & Exists(better))

    def front_page_candidates(
        self, placed: list[int], newest: int, per_section: dict[int, int], commentary: int
    ) -> "ArticleQuerySet":
        """The stories a front page may show, in one query: the `placed` ones with every version
        of them, and the newest stories lists show: `newest` of all, {section id: how many} of
        sections and `commentary` of opinion and analysis."""
        listed = self.one_version_per_story()
        roots = Article.objects.filter(pk__in=placed).values(root=Coalesce("translation_of", "pk"))
        windows = union_of_windows(
            Article,
            [
                (Article.objects.filter(pk__in=placed), None),
                (Article.objects.filter(pk__in=roots), None),
                (Article.objects.filter(translation_of__in=roots), None),
                (listed, newest),
                (listed.filter(type_of_work__in=Article.COMMENTARY), commentary),
                *((listed.filter(section_id=section), n) for section, n in per_section.items()),
            ],
        )
        return self.filter(pk__in=windows).for_front_page()

    def for_front_page(self) -> "ArticleQuerySet":
        """Load what the front page's teasers show, but not the bylines (`FrontPage.arrange()`
        loads them for the stories it shows) nor the bodies."""
        return (
            self.select_related("section", "lead_picture")
            .defer("body", "search_vector")
            .with_translation_flags()
        )

    def with_translation_flags(self) -> "ArticleQuerySet":
        """Annotate `has_translations`, so that `translation_families()` needs no query for
        stories without."""
        return self.annotate(
            has_translations=Exists(Article.objects.filter(translation_of=OuterRef("pk")))
        )

    def attach_other_versions(self, articles: Iterable["Article"]) -> None:
        """Set `other_versions` on each of `articles`: its original and translations among these
        (readers' pages ask `published()`), for "Also in", in at most one query."""
        articles = list(articles)
        families = self.translation_families(articles)
        for article in articles:
            article.other_versions = families[article.pk]

    def by_author(self, author: Author) -> "ArticleQuerySet":
        """Articles `author` has a byline on."""
        return self.filter(bylines__author=author)

    def tagged(self, tag: Tag) -> "ArticleQuerySet":
        """Articles carrying `tag`."""
        return self.filter(tagged_items__tag=tag)

    def citing(self, source: Source) -> "ArticleQuerySet":
        """Articles citing `source` at least once."""
        return self.filter(pk__in=Citation.objects.filter(source=source).values("article"))

    def with_bylines(self) -> "ArticleQuerySet":
        """Load the bylines in order with their authors, for `ordered_authors()`."""
        return self.prefetch_related(ordered_bylines())

    def for_listing(self) -> "ArticleQuerySet":
        """Load what a teaser shows: section, lead picture and ordered bylines."""
        return self.select_related("section", "lead_picture").with_bylines()

    def for_sharing(self) -> "ArticleQuerySet":
        """Load the pictures `sharing_picture()` chooses from, in the articles' own query."""
        return self.select_related("social_picture", "lead_picture", "section__default_picture")

    def for_display(self) -> "ArticleQuerySet":
        """Load what the article page shows, in a fixed number of queries."""
        return (
            self.for_listing()
            .for_sharing()
            .select_related("section__parent__parent")
            .with_translation_flags()
            .annotate(has_picks=Exists(RelatedStory.objects.filter(article=OuterRef("pk"))))
            .prefetch_related(
                Prefetch("citations", queryset=Citation.objects.select_related("source")),
                "tags",
                "corrections",
            )
        )

    def translation_families(self, articles: Iterable["Article"]) -> dict[int, list["Article"]]:
        """The original and translations of each of `articles` among these articles (readers'
        pages ask `published()`), other than itself, by pk, in at most one query."""
        articles = list(articles)
        # The family's key even without translations yet: one published later joins it.
        shows(*(article.family_key for article in articles))
        # for_display() tells which originals have translations, so most pages need no query.
        roots = {
            article.translation_of_id or article.pk
            for article in articles
            if article.translation_of_id or getattr(article, "has_translations", True)
        }
        family = (
            list(
                self.select_related("section")
                .filter(Q(pk__in=roots) | Q(translation_of_id__in=roots))
                .order_by("language", "pk")
            )
            if roots
            else []
        )
        siblings = {}
        for article in articles:
            root = article.translation_of_id or article.pk
            siblings[article.pk] = [
                other
                for other in family
                if other.pk != article.pk and root in (other.pk, other.translation_of_id)
            ]
        return siblings

    def delete(self) -> tuple[int, dict[str, int]]:
        """Delete the articles (the admin's bulk action) and the cached responses showing those
        readers could see."""
        for article in self.filter(status__in=Article.READER_FACING):
            invalidate(article.surrogate_keys())
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True

    def remembered_related_to(
        self, article: "Article", limit: int = RELATED_STORIES_SHOWN
    ) -> list["Article"]:
        """`related_to()` for readers' article pages: the choice kept in the shared cache until
        a list it is made from changes, so that a page costs one short query for its related
        stories (the choice counts shared tags over every story with one of the tags)."""
        keys = [
            surrogate_key(article),  # its picks, and a picked story withdrawn (pickers' keys)
            listing_key("section", article.section_id),
            *(listing_key("tag", tag.pk) for tag in article.tags.all()),
        ]
        shows(*keys[1:])
        made = []

        def choose() -> list[int]:
            made.extend(self.related_to(article, limit))
            return [story.pk for story in made]

        chosen = remembered(f"related:{article.pk}:{limit}", keys, choose)
        if made:
            return made
        # One story of the choice withdrawn since drops out, as in related_to().
        found = self.filter(pk__in=chosen).select_related("section", "lead_picture").in_bulk()
        return [found[pk] for pk in chosen if pk in found]

    def related_to(self, article: "Article", limit: int = RELATED_STORIES_SHOWN) -> list["Article"]:
        """Up to `limit` of these stories to show with `article`: those editors picked for it,
        in their order, then those sharing the most tags with it, then its section's newest."""
        # Translations of the same story are linked separately ("Also in").
        others = (
            self.exclude(pk=article.pk)
            .exclude(translation_of=article.translation_of_id or article.pk)
            .exclude(pk=article.translation_of_id or article.pk)
            .select_related("section", "lead_picture")
        )
        # for_display() tells which stories have picks, so most pages need no query for them.
        # A pick these stories don't include (withdrawn since) drops out by itself.
        related = (
            list(
                others.filter(picked_for__article=article).order_by("picked_for__position")[:limit]
            )
            if getattr(article, "has_picks", True)
            else []
        )
        tag_ids = [tag.pk for tag in article.tags.all()]
        # Chosen from these lists: a story joining or leaving one may change the choice (a
        # picked story's own change reaches this page through its surrogate_keys()).
        shows(
            listing_key("section", article.section_id),
            *(listing_key("tag", pk) for pk in tag_ids),
        )
        if tag_ids and len(related) < limit:
            related += (
                others.filter(tagged_items__tag__in=tag_ids)
                .exclude(pk__in=[story.pk for story in related])
                .annotate(shared_tags=Count("tagged_items"))
                .order_by("-shared_tags", "-published_at")[: limit - len(related)]
            )
        if len(related) < limit:
            related += others.in_section(article.section).exclude(
                pk__in=[story.pk for story in related]
            )[: limit - len(related)]
        return related


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    class TypeOfWork(models.TextChoices):
        NEWS = "news", _("News")
        ANALYSIS = "analysis", _("Analysis")
        OPINION = "opinion", _("Opinion")
        INTERVIEW = "interview", _("Interview")
        EXPLAINER = "explainer", _("Explainer")

    # What the front page's opinion rail shows.
    COMMENTARY = (TypeOfWork.OPINION, TypeOfWork.ANALYSIS)

    headline = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        help_text="The story's address within its section. Changing it keeps the old address "
        "working.",
    )
    kicker = models.CharField(
        max_length=120, blank=True, help_text="The short line above the headline."
    )
    standfirst = models.TextField(
        blank=True, help_text="One or two sentences under the headline that sum up the story."
    )
    dateline = models.CharField(
        max_length=100,
        blank=True,
        help_text="Where the story was reported, such as “Moscow”. Leads the first paragraph.",
    )
    body = ProseEditorField(
        extensions=EDITOR_EXTENSIONS | BODY_BLOCK_EXTENSIONS,
        sanitize=sanitize_html,
        validators=[validate_keeps_text],
        blank=True,
        help_text="Use Heading 2 for subheadings. Insert pictures from the library, embeds "
        "(from the allowed providers), pull quotes, fact boxes and “Read more” links with the "
        "editor's buttons; pasted frames and scripts are refused, styles removed.",
    )
    lead_picture = models.ForeignKey(
        "images.Image",
        verbose_name="lead picture",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_picture_of",
        help_text="Shown above the story and in teasers; also in feeds and when the story is "
        "shared, unless it has a social picture.",
    )
    lead_picture_caption = models.CharField(
        "lead picture caption",
        max_length=300,
        blank=True,
        help_text="This story's caption for the picture; leave empty to use the picture's own.",
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles")
    sources = models.ManyToManyField(Source, through="Citation", related_name="articles")
    tags = TaggableManager(through=TaggedArticle, blank=True, ordering=["name"])
    type_of_work = models.CharField(
        "type of work",
        max_length=20,
        choices=TypeOfWork.choices,
        default=TypeOfWork.NEWS,
        help_text="Shown to readers as a label, so they can tell reporting from opinion.",
    )
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default=default_language)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="Visible once the status is Published and this time has passed. "
        "A time in the future schedules the story; empty means now.",
    )
    expires_at = models.DateTimeField(
        "takedown time",
        null=True,
        blank=True,
        help_text="Optional. The story leaves the site by itself at this time.",
    )
    external_id = models.CharField(
        "import identifier",
        max_length=200,
        blank=True,
        default="",
        help_text="Set by imports: importing a story with the same identifier updates this one.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text="The original this article translates, if it is a translation. Readers of "
        "either see a link to the other.",
    )
    seo_title = models.CharField(
        "SEO title",
        max_length=70,
        blank=True,
        help_text="The title search engines show for the story, if it should differ from the "
        "headline (the browser's tab shows it too). The site's name is added; search results "
        f"show about {SEARCH_TITLE_SHOWN} characters of the whole. Empty: the headline.",
    )
    meta_description = models.CharField(
        max_length=160,
        blank=True,
        help_text=f"What search engines show under the title, about {SEARCH_DESCRIPTION_SHOWN} "
        "characters (fewer on phones). Empty: the standfirst.",
    )
    social_title = models.CharField(
        max_length=90,
        blank=True,
        help_text="The title of the card when the story is shared on social networks and in "
        f"messengers; about {SOCIAL_TITLE_SHOWN} characters are shown. Empty: the headline.",
    )
    social_description = models.CharField(
        max_length=200,
        blank=True,
        help_text="The text under the title on the shared card; about "
        f"{SOCIAL_DESCRIPTION_SHOWN} characters are shown. Empty: the standfirst.",
    )
    social_picture = models.ForeignKey(
        "images.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="social_picture_of",
        help_text="The picture of the shared card and of search results, cropped to 16:9, 4:3 "
        "and 1:1; at least 1200 pixels wide looks best. Readers of the story's page don't see "
        "it. Empty: the lead picture, else the section's or the site's default picture.",
    )
    # Kept up to date by refresh_search_vector(); used on PostgreSQL only.
    search_vector = SearchVectorField(null=True, editable=False)
    version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Goes up with every saved revision; an edit based on an older version is "
        "refused instead of overwriting someone else's work.",
    )

    objects = ArticleQuerySet.as_manager()

    # The states in which an article is still its reporter's to change.
    REPORTER_EDITABLE = {Status.DRAFT, Status.CHANGES_REQUESTED}
    # The states in which readers see the story, will see it (scheduled) or see that it was
    # withdrawn (410 Gone); a change to a story in any other state changes nothing they see.
    READER_FACING = {Status.PUBLISHED, Status.UNPUBLISHED}

    # The story as editors write it, part by part in the order the form shows it. The article
    # form edits these fields; a revision keeps them with the bylines and citations; comparing
    # and restoring revisions read them from here, and their labels are the fields' names.
    STORY_TEXT = ("kicker", "headline", "slug", "standfirst", "dateline", "body")
    STORY_PICTURE = ("lead_picture", "lead_picture_caption")
    STORY_PLACEMENT = ("section", "type_of_work", "tags", "language")
    STORY_SEARCH_AND_SOCIAL = (
        "seo_title",
        "meta_description",
        "social_title",
        "social_description",
        "social_picture",
    )
    EDITORIAL_FIELDS = STORY_TEXT + STORY_PICTURE + STORY_PLACEMENT + STORY_SEARCH_AND_SOCIAL

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [
            ("edit_any_article", "Can edit articles by anyone, in any state"),
            ("publish_article", "Can review, publish, schedule and unpublish articles"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "slug"], name="unique_article_slug_per_section"
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="unique_article_external_id",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_article_has_published_at",
                violation_error_message="A published article needs a publication time.",
            ),
            models.CheckConstraint(
                condition=~Q(translation_of=F("pk")),
                name="article_not_its_own_translation",
                violation_error_message="An article cannot be a translation of itself.",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(expires_at__gt=F("published_at")),
                name="article_expires_after_publication",
                violation_error_message="The takedown time must come after the publication time.",
            ),
        ]
        indexes = [
            # Readers' lists (latest, the front page's windows, feeds, sitemaps, the API):
            # published(), newest first. Partial, on published stories only: smaller, and
            # SQLite's planner, which keeps no statistics, no longer takes an equality on status
            # for a narrow one and walks every published story instead of looking a few up by
            # id (related stories, translations).
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status="published"),
                name="article_listing_idx",
            ),
            # Section pages and the front page's section blocks: published() in one section,
            # newest first.
            models.Index(
                fields=["section", "-published_at", "-id"],
                condition=Q(status="published"),
                name="article_section_listing_idx",
            ),
            # The admin's article list: every story, in every state, newest first, 100 a page
            # (and its date drill-down's first and last publication times).
            models.Index(fields=["-published_at", "-id"], name="article_admin_list_idx"),
            # The desk's lists of stories not yet published: the review queue, and the admin
            # list filtered by such a state (draft, in review, changes requested, unpublished).
            models.Index(
                fields=["status", "-published_at", "-id"],
                condition=~Q(status="published"),
                name="article_desk_status_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs) -> None:
        # The stored body is what renders, so no row may hold unsanitized HTML, however it
        # was written. Everything else a saved story needs is editing.save_story()'s job.
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"section": self.section.slug, "slug": self.slug})

    def delete(self, *args, **kwargs):
        if self.status in self.READER_FACING:
            invalidate(self.surrogate_keys())
        return super().delete(*args, **kwargs)

    @property
    def family_key(self) -> str:
        """The surrogate key of the story's original and translations ("Also in" on each)."""
        return f"translations-{self.translation_of_id or self.pk}"

    def surrogate_keys(self) -> set[str]:
        """The keys of every cached response a change to this story may alter, as it is stored
        now: its own (its page, teasers, related boxes, API item), the lists it is on (home,
        feeds, sitemaps, API, search, its section's, authors', tags' and sources'), which also
        choose the related stories of other pages, the pages of the stories editors picked it
        for (shown there only while published), and its translations' pages ("Also in")."""
        authors = Byline.objects.filter(article=self).values_list("author_id", flat=True)
        tags = TaggedArticle.objects.filter(content_object=self).values_list("tag_id", flat=True)
        sources = Citation.objects.filter(article=self).values_list("source_id", flat=True)
        pickers = RelatedStory.objects.filter(related=self).values_list("article_id", flat=True)
        return {
            surrogate_key(self),
            *(object_key("article", pk) for pk in pickers),
            self.family_key,
            *STORY_LISTINGS,
            listing_key("section", self.section_id),
            *(listing_key("author", pk) for pk in authors),
            *(listing_key("tag", pk) for pk in tags),
            *(listing_key("source", pk) for pk in sources),
        }

    @property
    def is_published(self) -> bool:
        """Whether readers may see this article; the same rule as `published()`."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    @property
    def was_updated(self) -> bool:
        """Whether the story changed after publication, so readers should see an updated time."""
        if self.published_at is None or self.updated_at is None:
            return False
        # A story first saved after its publication time (backdated, imported) counts from
        # when it was created, not from the earlier publication time.
        baseline = max(self.published_at, self.created_at or self.published_at)
        return self.updated_at - baseline > UPDATE_GRACE_PERIOD

    @property
    def modified_at(self) -> datetime | None:
        """When readers last saw a change: the later of the publication time and the last edit
        or correction (the rule `ArticleQuerySet.with_modified_at()` applies in the database,
        whose answer an article loaded through it carries)."""
        if "modified_at" in self.__dict__:
            return self.__dict__["modified_at"]
        # A story saved before its scheduled time changes for readers when it appears.
        return max(filter(None, [self.updated_at, self.published_at]), default=None)

    @modified_at.setter
    def modified_at(self, value: datetime | None) -> None:
        # How with_modified_at(), annotating under the same name, hands its answer over.
        self.__dict__["modified_at"] = value

    def clean(self) -> None:
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def is_scheduled(self) -> bool:
        """Whether the article is published for a time still to come."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def has_expired(self) -> bool:
        """Whether the takedown time has passed."""
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_withdrawn(self) -> bool:
        """Whether readers could once see this article and no longer can; the same rule as
        `withdrawn()`."""
        return self.status == self.Status.UNPUBLISHED or (
            self.status == self.Status.PUBLISHED and self.has_expired
        )

    def is_owned_by(self, user) -> bool:
        """Whether `user` created this article or is one of its authors."""
        if not user.is_authenticated:
            return False
        return self.created_by_id == user.pk or self.bylines.filter(author__user=user).exists()

    def can_be_viewed_by(self, user) -> bool:
        """Editors see every article in the admin; reporters see their own."""
        return user.is_active and (
            user.has_perm("articles.edit_any_article")
            or (user.has_perm("articles.view_article") and self.is_owned_by(user))
        )

    def can_be_edited_by(self, user) -> bool:
        """Editors edit any article; reporters their own drafts and articles returned to them."""
        if not user.is_active or not user.has_perm("articles.change_article"):
            return False
        if user.has_perm("articles.edit_any_article"):
            return True
        return self.status in self.REPORTER_EDITABLE and self.is_owned_by(user)

    def refresh_search_vector(self) -> None:
        """Bring the stored search vector up to date with the text, authors and tags."""
        Article.objects.filter(pk=self.pk).update_search_vectors()

    def record_revision(self, by=None, kind: str = "save", note: str = "") -> "Revision":
        """Store the editorial content as it is now as the next revision."""
        return Revision.objects.record(self, by=by, kind=kind, note=note)

    def search_title(self) -> str:
        """The title search engines show (with the site's name): the SEO title, else the
        headline."""
        return self.seo_title or self.headline

    def search_description(self) -> str:
        """What search engines show under the title: the meta description, else the
        standfirst (may be empty)."""
        return self.meta_description or self.standfirst

    def sharing_title(self) -> str:
        """The title of the card when the story is shared: the social title, else the
        headline."""
        return self.social_title or self.headline

    def sharing_description(self) -> str:
        """The text of the card when the story is shared: the social description, else the
        standfirst (may be empty)."""
        return self.social_description or self.standfirst

    def sharing_picture(self) -> "Image | None":
        """The picture shown when the story is shared or found by search engines: its social
        picture, else its lead picture, else its section's default picture, else the site's
        (or None)."""
        return (
            self.social_picture
            or self.lead_picture
            or (self.section.default_picture if self.section_id else None)
            or Publication.objects.current().default_picture
        )

    @property
    def is_commentary(self) -> bool:
        """Whether the story is opinion or analysis, for the front page's opinion rail."""
        return self.type_of_work in self.COMMENTARY

    def is_better_version_than(self, other: "Article") -> bool:
        """Whether lists show this version of a story rather than `other`, another published
        version of it; the same rule as `one_version_per_story()`."""
        site_language = settings.LANGUAGE_CODE
        return other.language != site_language and (
            self.language == site_language or self.pk == other.translation_of_id
        )

    def ordered_authors(self) -> list[Author]:
        """The authors in byline order (uses the prefetched bylines)."""
        bylines = getattr(self, PREFETCHED_BYLINES, None)
        if bylines is None:
            bylines = self.bylines.all()
        return [byline.author for byline in bylines]

    def signoff(self) -> str:
        """The initials closing the story, such as “jkf” or “jkf/ab”."""
        return "/".join(author.initials for author in self.ordered_authors() if author.initials)


class ArticleRedirectQuerySet(models.QuerySet):
    def find_article(
        self, articles: ArticleQuerySet, section_slug: str, slug: str
    ) -> Article | None:
        """The article among `articles` that used to live at /section_slug/slug/, if any.

        Follows a renamed section as well as a renamed or moved article.
        """
        section_slugs = {
            section_slug,
            *SectionRedirect.objects.filter(old_slug=section_slug).values_list(
                "section__slug", flat=True
            ),
        }
        moved_here = self.filter(section_slug__in=section_slugs, slug=slug).values("article")
        return (
            articles.select_related("section")
            .filter(
                Q(pk__in=moved_here)
                | Q(section__slug__in=section_slugs - {section_slug}, slug=slug)
            )
            .first()
        )


class ArticleRedirect(models.Model):
    """A former address of an article, answered with a permanent redirect."""

    section_slug = models.SlugField(max_length=100)
    slug = models.SlugField(max_length=200)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ArticleRedirectQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["section_slug", "slug"], name="unique_article_redirect_path"
            )
        ]

    def __str__(self) -> str:
        return f"/{self.section_slug}/{self.slug}/ → {self.article}"


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the byline, lowest first."
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="unique_byline")]

    def __str__(self) -> str:
        return f"{self.author} on {self.article}"


class Citation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="What was cited, such as “interview with Gleb Karakulov”.",
    )
    url = models.URLField("link", max_length=500, blank=True, help_text="The cited material.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.source} in {self.article}"


class BodyPicture(models.Model):
    """A library picture shown in a story's body, kept by `save_story()` from the body's
    picture blocks: so the picture library tells which pictures stories use (and refuses to
    delete them) without reading every body."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="body_pictures")
    # The picture's own index (a foreign key's) serves "is it in use?": its rows, then their
    # stories by primary key.
    image = models.ForeignKey("images.Image", on_delete=models.PROTECT, related_name="in_bodies")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "image"], name="unique_body_picture")
        ]

    def __str__(self) -> str:
        return f"{self.article} (in its body)"


class RelatedStory(models.Model):
    """A story an editor picked to show with another, in order, before the automatic choice.

    Readers see a pick only while it is published (`ArticleQuerySet.related_to()`): one that
    is withdrawn drops out by itself, and comes back if it is published again.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_stories")
    related = models.ForeignKey(
        Article,
        verbose_name="story",
        on_delete=models.CASCADE,
        related_name="picked_for",
        help_text="A published story; start typing its headline.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lowest first.")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "related stories"
        constraints = [
            # Also the index of the article page's lookup of its picks (related_to()).
            models.UniqueConstraint(
                fields=["article", "related"],
                name="unique_related_story",
                violation_error_message="This story is picked already.",
            ),
            models.CheckConstraint(
                condition=~Q(related=F("article")),
                name="related_story_not_itself",
                violation_error_message="A story cannot be related to itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.related} with {self.article}"


class StatusChange(models.Model):
    """One step of an article through the workflow: who moved it, when, from where to where."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Article.Status.choices)
    to_status = models.CharField(max_length=20, choices=Article.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [
            # The review queue: when did each article last go into review?
            models.Index(
                fields=["article", "to_status", "-changed_at"], name="status_change_article_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article}: {self.get_from_status_display()} → {self.get_to_status_display()}"


class ReviewComment(models.Model):
    """A note between an article's authors and its editors, shown on the article form."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="review_comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    status_change = models.OneToOneField(
        StatusChange,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_comment",
        help_text="The workflow step this comment came with, such as a request for changes.",
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.article}"

    @property
    def requests_changes(self) -> bool:
        """Whether this comment came with a request for changes."""
        return (
            self.status_change is not None
            and self.status_change.to_status == Article.Status.CHANGES_REQUESTED
        )


class RevisionQuerySet(models.QuerySet):
    def record(
        self, article: Article, by=None, kind: str = "save", note: str = "", content=None
    ) -> "Revision":
        """Store the next revision of `article`: its current content, or `content` if given.

        Every kind but a conflict also raises the article's version, under a row lock so that
        two saves at once get different numbers.
        """
        with transaction.atomic():
            locked = Article.objects.select_for_update().filter(pk=article.pk)
            if kind != Revision.Kind.CONFLICT:
                locked.update(version=F("version") + 1)
            article.version = locked.values_list("version", flat=True).get()
            latest = self.filter(article=article).aggregate(latest=Max("number"))["latest"]
            return self.create(
                article=article,
                number=(latest or 0) + 1,
                version=article.version,
                kind=kind,
                note=note,
                content=content if content is not None else snapshot(article),
                created_by=by,
            )


def snapshot(article: Article) -> dict:
    """The editorial content of `article`: its fields, authors, citations, tags and the
    related stories editors picked."""
    return story_content(
        article,
        authors=[byline.author for byline in article.bylines.select_related("author")],
        citations=list(article.citations.select_related("source")),
        tags=[str(tag) for tag in article.tags.all()],
        related=list(article.related_stories.select_related("related")),
    )


def story_content(
    article: Article,
    authors: Iterable[Author],
    citations: Iterable["Citation"],
    tags: Iterable[str],
    related: Iterable["RelatedStory"] = (),
) -> dict:
    """The editorial content of `article` with the given parts, as a revision keeps it: also
    for a story as its form holds it, saved or not (see desk/unsaved.py)."""
    content = {}
    for name in Article.EDITORIAL_FIELDS:
        field = Article._meta.get_field(name)
        if field.many_to_many:
            content[name] = sorted(tags)
        elif field.many_to_one:
            # Read through the id: a story not yet given a section has none to load.
            value = getattr(article, name) if getattr(article, field.attname) is not None else None
            content[name] = {"id": value.pk, "name": str(value)} if value else None
        else:
            content[name] = getattr(article, name)
    return content | {
        "authors": [{"id": author.pk, "name": author.name} for author in authors],
        "citations": [
            {
                "source": {"id": citation.source_id, "name": citation.source.name},
                "note": citation.note,
                "url": citation.url,
            }
            for citation in citations
        ],
        "related": [{"id": pick.related_id, "name": pick.related.headline} for pick in related],
    }


class Revision(models.Model):
    """The editorial content of an article as it was saved once; never changed afterwards."""

    class Kind(models.TextChoices):
        SAVE = "save", "Saved"
        IMPORT = "import", "Imported"
        RESTORE = "restore", "Restored"
        CONFLICT = "conflict", "Conflict (not saved)"

    # The editorial fields a revision keeps as they are (text and choices); related objects
    # are kept as {"id", "name"} and tags as their names (see snapshot()).
    TEXT_FIELDS = [
        name for name in Article.EDITORIAL_FIELDS if not Article._meta.get_field(name).is_relation
    ]

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    version = models.PositiveIntegerField(
        help_text="The article's version this revision made, or, for a conflict, the version "
        "that was current when it was refused."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SAVE)
    note = models.CharField(max_length=200, blank=True)
    content = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="unique_revision_number")
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of {self.article}"


class Correction(models.Model):
    """A correction, update or clarification shown at the foot of a published article."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")
        CLARIFICATION = "clarification", _("Clarification")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        help_text="What was wrong and what is right now, in a sentence or two readers understand."
    )
    created_at = models.DateTimeField("time", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.article}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # Readers see the article as updated at the time of its latest correction; this is
        # how a correction counts in `modified_at`.
        Article.objects.filter(pk=self.article_id, updated_at__lt=self.created_at).update(
            updated_at=self.created_at
        )
        invalidate(self.article.surrogate_keys())  # its page, and its update time everywhere


class PreviewLinkQuerySet(models.QuerySet):
    def active(self) -> "PreviewLinkQuerySet":
        """Links that still open their preview: not revoked, not expired, story not withdrawn."""
        return self.in_force().exclude(article__in=Article.objects.withdrawn())

    def in_force(self) -> "PreviewLinkQuerySet":
        """Links neither revoked nor past their expiry time, whatever became of their story."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def revoke(self) -> int:
        """Switch these links off for good as of now; returns how many were still on."""
        return self.in_force().update(revoked_at=timezone.now())

    def from_token(self, token: str) -> "PreviewLink | None":
        """The link a token names, or None for a token that is altered or unknown."""
        try:
            key = uuid.UUID(signing.Signer(salt=PREVIEW_LINK_SALT).unsign(token))
        except (signing.BadSignature, ValueError):
            return None
        return self.filter(key=key).first()


class PreviewLink(models.Model):
    """A signed, expiring, revocable link to a read-only preview, for people without a login."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Preview link for {self.article}"

    def get_absolute_url(self) -> str:
        return reverse("articles:shared_preview", kwargs={"token": self.token})

    @property
    def token(self) -> str:
        """The key, signed so that a guessed or altered token is refused before any lookup."""
        return signing.Signer(salt=PREVIEW_LINK_SALT).sign(str(self.key))

    @property
    def is_active(self) -> bool:
        """Whether the link opens its preview; the same rule as `active()`."""
        return (
            self.revoked_at is None
            and self.expires_at > timezone.now()
            and not self.article.is_withdrawn
        )


PREVIEW_LINK_SALT = "articles.preview-link"


class EditingSessionQuerySet(models.QuerySet):
    def recent(self) -> "EditingSessionQuerySet":
        """Sessions seen within the last few minutes."""
        return self.filter(last_seen_at__gte=timezone.now() - EDITING_SESSION_TIMEOUT)


EDITING_SESSION_TIMEOUT = timedelta(minutes=5)


class EditingSession(models.Model):
    """Who has an article's form open, so that editors know before they clash."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="editing_sessions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_seen_at = models.DateTimeField(default=timezone.now)

    objects = EditingSessionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="unique_editing_session")
        ]

    def __str__(self) -> str:
        return f"{self.user} editing {self.article}"


def autosave_cutoff() -> datetime:
    """The oldest time an autosave may have been made and still be offered back."""
    return timezone.now() - timedelta(days=settings.NEWSROOM_AUTOSAVE_DAYS)


def validate_autosave_content(content) -> None:
    """Refuse anything but what the form's script sends: {"fields": {name: [text, …]},
    "labels": {name: [text, …]}}, the form's fields as typed and the names of chosen options."""
    if not isinstance(content, dict) or not isinstance(content.get("fields"), dict):
        raise ValidationError("An autosave holds the form's fields.", code="invalid")
    for part in ("fields", "labels"):
        for name, values in content.get(part, {}).items():
            if not (
                isinstance(name, str)
                and isinstance(values, list)
                and all(isinstance(value, str) for value in values)
            ):
                raise ValidationError(
                    f"“{name}” is not a field as a form sends it.", code="invalid"
                )


class AutosaveQuerySet(models.QuerySet):
    def expired(self) -> "AutosaveQuerySet":
        """Autosaves older than NEWSROOM_AUTOSAVE_DAYS: never offered again, and purged."""
        return self.filter(saved_at__lt=autosave_cutoff())

    def unexpired(self) -> "AutosaveQuerySet":
        """Autosaves young enough to be offered back."""
        return self.filter(saved_at__gte=autosave_cutoff())

    def offered_to(self, user) -> "AutosaveQuerySet":
        """`user`'s unexpired autosaves they can still use, newest first: of stories they may
        edit, and of stories never saved if they may add one."""
        usable = Q(article__in=Article.objects.editable_by(user))
        if user.has_perm("articles.add_article"):
            usable |= Q(article__isnull=True)
        return self.unexpired().filter(usable, user=user).order_by("-saved_at", "-pk")

    def superseded_by(self, article: Article, key: str = "") -> "AutosaveQuerySet":
        """The autosaves a save of `article`'s form makes obsolete: the story's, and that of
        the never-saved story the add form kept under `key`."""
        superseded = Q(article=article)
        if key:
            superseded |= Q(article__isnull=True, key=key)
        return self.filter(superseded)


class Autosave(models.Model):
    """What one user has typed into an article's form and not saved yet, kept by the form's
    script so that a closed tab, a crash or a lost connection loses nothing. It is not a
    change to the story: no revision, no new version, never shown to readers."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="autosaves"
    )
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="autosaves",
        help_text="Empty for a story that was never saved.",
    )
    key = models.CharField(
        max_length=36,
        blank=True,
        help_text="For a story never saved: the key its add form made up, so that later "
        "autosaves of the same form replace this one.",
    )
    base_version = models.PositiveIntegerField(
        default=0, help_text="The story's version when the form was opened."
    )
    content = models.JSONField(
        validators=[validate_autosave_content],
        help_text="The form's fields as typed (bylines and citations included), with the "
        "names of the options chosen in them.",
    )
    saved_at = models.DateTimeField(default=timezone.now)

    objects = AutosaveQuerySet.as_manager()

    class Meta:
        ordering = ["-saved_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="unique_autosave_per_story",
            ),
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=Q(article__isnull=True),
                name="unique_autosave_per_new_story",
            ),
            models.CheckConstraint(
                condition=Q(article__isnull=False, key="") | (Q(article__isnull=True) & ~Q(key="")),
                name="autosave_of_a_story_or_a_new_one",
                violation_error_message="An autosave is of a saved story or has a key, not both.",
            ),
        ]
        indexes = [
            # Purging: expired(), across all users, on every autosave and from cron.
            models.Index(fields=["saved_at"], name="autosave_saved_at_idx"),
        ]

    def __str__(self) -> str:
        return f"Autosave of “{self.headline or 'a new story'}” by {self.user}"

    @property
    def headline(self) -> str:
        """The headline as typed, or ""."""
        return next(iter(self.content.get("fields", {}).get("headline", [])), "")

    @property
    def is_behind(self) -> bool:
        """Whether the story has been saved since the form this autosave came from opened."""
        return self.article_id is not None and self.article.version > self.base_version


class PageQuerySet(models.QuerySet):
    def policies(self) -> dict["Page.Role", "Page"]:
        """The pages that hold a policy role, by role in the roles' order, cached until one
        changes."""

        def load() -> dict[str, Page]:
            return {page.role: page for page in self.exclude(role="")}

        pages = cache.get_or_set(POLICY_PAGES_CACHE_KEY, load, SITEWIDE_CACHE_SECONDS)
        return {role: pages[role] for role in Page.Role if role in pages}

    def delete(self) -> tuple[int, dict[str, int]]:
        """Delete the pages (the admin's bulk action) and the cached responses showing them."""
        forget(POLICY_PAGES_CACHE_KEY)
        invalidate(key for page in self for key in page.surrogate_keys())
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True


# IPTC's trust indicators (http://cv.iptc.org/newscodes/trustindicator/).
TRUST_INDICATOR = "http://cv.iptc.org/newscodes/trustindicator/"


class Page(models.Model):
    """A page of the publication's own, such as its publishing principles or masthead."""

    class Role(models.TextChoices):
        """A policy role, in the order readers see the pages, with what schema.org calls such a
        page on a NewsMediaOrganization and which IPTC trust indicator it is in ninjs."""

        # value, schema.org property, IPTC trust indicator, label. A masthead is information
        # about the party producing the news.
        PUBLISHING_PRINCIPLES = (
            "publishing_principles",
            "publishingPrinciples",
            TRUST_INDICATOR + "editorialPolicy",
            "Publishing principles",
        )
        CORRECTIONS_POLICY = (
            "corrections_policy",
            "correctionsPolicy",
            TRUST_INDICATOR + "correctionsPolicy",
            "Corrections policy",
        )
        MASTHEAD = "masthead", "masthead", TRUST_INDICATOR + "partyInfo", "Masthead"

        def __new__(cls, value: str, schema_property: str, trust_indicator: str) -> "Page.Role":
            # Choices has taken the label off; the value is the first of the rest.
            member = str.__new__(cls, value)
            member._value_ = value
            member.schema_property = schema_property
            member.trust_indicator = trust_indicator
            return member

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, help_text="The address: /pages/slug/.")
    body = ProseEditorField(
        extensions=EDITOR_EXTENSIONS,
        sanitize=sanitize_html,
        validators=[validate_keeps_text],
        blank=True,
    )
    role = models.CharField(
        max_length=30,
        choices=Role.choices,
        blank=True,
        help_text="A page with a role is linked from every article and from its structured "
        "data, so search engines and readers find the newsroom's standards.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["role"],
                condition=~Q(role=""),
                name="unique_page_role",
                violation_error_message="Another page has this role already; clear it there first.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.body = sanitize_html(self.body)
        previous_role = (
            Page.objects.filter(pk=self.pk).values_list("role", flat=True).first()
            if self.pk
            else ""
        )
        super().save(*args, **kwargs)
        forget(POLICY_PAGES_CACHE_KEY)
        invalidate(self.surrogate_keys() | ({SITE} if previous_role else set()))

    def get_absolute_url(self) -> str:
        return reverse("articles:page", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        forget(POLICY_PAGES_CACHE_KEY)
        invalidate(self.surrogate_keys())
        return super().delete(*args, **kwargs)

    def surrogate_keys(self) -> set[str]:
        """The keys of the cached responses a change to this page may alter: its own, the
        sitemaps and, for a policy page, every response (it is linked from each)."""
        return {surrogate_key(self), "sitemap"} | ({SITE} if self.role else set())


class PublicationQuerySet(models.QuerySet):
    def current(self) -> "Publication":
        """The publication's settings (unsaved defaults until someone saves them), with the
        default picture loaded, cached until they or a picture change."""

        def load() -> Publication:
            saved = self.select_related("default_picture").filter(pk=Publication.ID).first()
            return saved or Publication()

        return cache.get_or_set(PUBLICATION_CACHE_KEY, load, SITEWIDE_CACHE_SECONDS)

    def clear_cache(self) -> None:
        """Forget the cached settings, so the next `current()` reads them again."""
        cache.delete(PUBLICATION_CACHE_KEY)


class Publication(models.Model):
    """Settings of the publication as a whole, edited in the admin: a single row."""

    ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ID, editable=False)
    default_picture = models.ForeignKey(
        "images.Image",
        verbose_name="site's default picture",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="default_for_site",
        help_text="Shown when a story without a lead picture, in a section without a default "
        "picture, is shared or found by search engines (not on the story's page). At least "
        "1200 × 1200 pixels.",
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "publication settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(id=1),  # Publication.ID
                name="publication_single_row",
                violation_error_message="There is one row of publication settings.",
            )
        ]

    def __str__(self) -> str:
        return settings.NEWSROOM_SITE_NAME

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        forget(PUBLICATION_CACHE_KEY)
        invalidate([SITE])

    def delete(self, *args, **kwargs):
        forget(PUBLICATION_CACHE_KEY)
        invalidate([SITE])
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        validate_default_picture(self.default_picture)


# How many stories each part of the front page may hold: the form's limits and the database's.
MAX_TOP_STORIES, MAX_BLOCK_STORIES, MAX_COMMENTARY, MAX_LATEST = 12, 12, 8, 20


class FrontPageQuerySet(models.QuerySet):
    def gone_live(self) -> "FrontPageQuerySet":
        """Layouts whose go-live time has passed, the one readers see first."""
        return self.filter(goes_live_at__lte=timezone.now()).order_by("-goes_live_at", "-pk")

    def scheduled(self) -> "FrontPageQuerySet":
        """Layouts prepared to go live at a time still to come."""
        return self.filter(goes_live_at__gt=timezone.now())

    def with_slots(self) -> "FrontPageQuerySet":
        """Load the placed stories (their ids) and the section blocks with their sections."""
        return self.prefetch_related(
            Prefetch("top_stories", queryset=TopStory.objects.only("front_page", "article")),
            Prefetch("section_blocks", queryset=SectionBlock.objects.select_related("section")),
        )

    def next_go_live(self) -> datetime | None:
        """The next time a layout goes live: the home page changes by itself then."""
        return self.scheduled().aggregate(first=Min("goes_live_at"))["first"]

    def live(self) -> "FrontPage":
        """The layout readers see now: the newest whose go-live time has passed, else the
        automatic one (unsaved: the newest stories, a block for each section)."""
        # Read at request time, like published(): a scheduled layout needs no cron job.
        return self.gone_live().with_slots().first() or FrontPage()


class FrontPage(models.Model):
    """A layout of the home page: placed top stories (the first leads), section blocks and
    how many stories the rails show. The newest one whose time has come is live."""

    name = models.CharField(
        max_length=100, help_text="For the desk only, such as “Monday morning” or “Election night”."
    )
    goes_live_at = models.DateTimeField(
        "goes live at",
        null=True,
        blank=True,
        validators=[validate_storable_time],
        help_text="Readers see this layout from this time until a layout with a later time "
        "goes live. A time to come schedules it; empty keeps it a draft.",
    )
    top_story_count = models.PositiveSmallIntegerField(
        "top stories",
        default=6,
        validators=[MaxValueValidator(MAX_TOP_STORIES)],
        help_text="How many top stories follow the lead. The stories placed below come "
        "first; places left over fill with the newest stories.",
    )
    commentary_count = models.PositiveSmallIntegerField(
        "opinion and analysis",
        default=4,
        validators=[MaxValueValidator(MAX_COMMENTARY)],
        help_text="How many of the newest opinion and analysis pieces the opinion rail shows.",
    )
    latest_count = models.PositiveSmallIntegerField(
        "latest news",
        default=8,
        validators=[MaxValueValidator(MAX_LATEST)],
        help_text="How many of the newest stories not shown elsewhere on the page the "
        "“Latest” list shows.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FrontPageQuerySet.as_manager()

    # The layout of a newsroom that has arranged none: sections in navigation order.
    DEFAULT_BLOCK_STORIES = 4

    class Meta:
        ordering = [F("goes_live_at").desc(nulls_first=True), "-pk"]
        verbose_name = "front page layout"
        constraints = [
            models.CheckConstraint(
                condition=Q(top_story_count__lte=MAX_TOP_STORIES)
                & Q(commentary_count__lte=MAX_COMMENTARY)
                & Q(latest_count__lte=MAX_LATEST),
                name="front_page_counts_in_range",
                violation_error_message="A part of the front page holds too many stories.",
            )
        ]
        indexes = [
            # live(): the newest layout whose time has passed.
            models.Index(fields=["-goes_live_at", "-id"], name="front_page_live_idx"),
        ]

    def __str__(self) -> str:
        return self.name or "Automatic front page"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # The home page, with its placed stories and blocks (saved with it, in the same
        # transaction); a layout to go live later also moves the next scheduled change.
        invalidate(["home"])

    def delete(self, *args, **kwargs):
        invalidate(["home"])
        return super().delete(*args, **kwargs)

    @property
    def is_scheduled(self) -> bool:
        """Whether the layout is set to go live at a time still to come."""
        return self.goes_live_at is not None and self.goes_live_at > timezone.now()

    def placed_story_ids(self) -> list[int]:
        """The ids of the placed top stories, in order (the lead first)."""
        return [slot.article_id for slot in self.top_stories.all()] if self.pk else []

    def blocks(self) -> list["SectionBlock"]:
        """The section blocks in order; for the automatic layout, one per top-level section."""
        if self.pk:
            return list(self.section_blocks.all())
        return [
            SectionBlock(section=section, story_count=self.DEFAULT_BLOCK_STORIES)
            for section in Section.objects.navigation()
        ]

    def arrange(self) -> "Arrangement":
        """What readers see under this layout, in a fixed number of queries whatever it
        holds: stories that are not published drop out and the next move up; empty places fill
        with the newest stories; no story twice, in one language."""
        blocks = self.blocks()
        sections = [block.section for block in blocks]
        # The choice is kept until a story readers see changes ("home"), the layout is saved
        # ("home"), a block's section (its pinned story) or the navigation changes, or the next
        # scheduled publication or takedown comes; the page then loads only the stories shown.
        keys = ["home", SITE, *(surrogate_key(section) for section in sections)]
        name = f"front-page:{self.pk}:{','.join(str(section.pk) for section in sections)}"
        made = []

        def choose() -> Choice:
            made.append(self._arrange_candidates(blocks))
            return made[0].choice()

        choice = remembered(name, keys, choose)
        if made:
            arrangement = made[0]
        else:
            stories = Article.objects.published().for_front_page().in_bulk(choice.ids())
            arrangement = Arrangement.of_choice(blocks, choice, stories)
        shown = list(arrangement.stories())
        prefetch_related_objects(shown, ordered_bylines(with_photos=True))
        Article.objects.published().attach_other_versions(shown)
        return arrangement

    def _arrange_candidates(self, blocks: list["SectionBlock"]) -> "Arrangement":
        placed = self.placed_story_ids()
        pinned = [block.section.lead_story_id for block in blocks if block.section.lead_story_id]
        sizes = window_sizes(self, blocks)
        stories = list(
            Article.objects.published().front_page_candidates(
                placed + pinned, sizes.newest, sizes.per_section, sizes.commentary
            )
        )
        return Arrangement.make(self, blocks, placed, stories)


class TopStory(models.Model):
    """A story placed among a front page's top stories; the first placed leads the page."""

    front_page = models.ForeignKey(FrontPage, on_delete=models.CASCADE, related_name="top_stories")
    article = models.ForeignKey(
        Article,
        verbose_name="story",
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to=placeable_stories,
        help_text="A published or scheduled story; it shows while readers may see it.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lowest first.")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "top story"
        verbose_name_plural = "top stories"
        constraints = [
            models.UniqueConstraint(
                fields=["front_page", "article"],
                name="unique_top_story",
                violation_error_message="This story is placed twice.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.article} on {self.front_page}"


class SectionBlock(models.Model):
    """A block of a section's newest stories on a front page."""

    front_page = models.ForeignKey(
        FrontPage, on_delete=models.CASCADE, related_name="section_blocks"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lowest first.")
    story_count = models.PositiveSmallIntegerField(
        "stories",
        default=FrontPage.DEFAULT_BLOCK_STORIES,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_BLOCK_STORIES)],
        help_text="The section's pinned lead story first, then its newest.",
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "section block"
        constraints = [
            models.UniqueConstraint(
                fields=["front_page", "section"],
                name="unique_section_block",
                violation_error_message="This section has a block already.",
            ),
            models.CheckConstraint(
                condition=Q(story_count__gte=1, story_count__lte=MAX_BLOCK_STORIES),
                name="section_block_count_in_range",
                violation_error_message="A section block shows from 1 to 12 stories.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section} on {self.front_page}"
