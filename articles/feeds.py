"""RSS 2.0 and Atom feeds of published articles: the whole site, a section, an author, a tag."""

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, rfc3339_date
from django.utils.html import escape

from images.models import Crop

from .blocks import load_blocks, loaded_blocks, plain_html
from .caching import cached_for_readers, listing_key, shows
from .models import Article, Author, Section, Tag
from .syndication import plain_text, xml_text
from .timestamps import whole_seconds

FEED_LENGTH = 30


def reader_text(fields: dict) -> dict:
    """A feed's or an entry's fields with every text a reader shows (title, description,
    names, categories) made plain; see plain_text."""
    fields = dict(fields)
    for name in ["title", "description", "subtitle", "author_name"]:
        if fields.get(name) is not None:
            fields[name] = plain_text(fields[name])
    if fields.get("authors"):
        fields["authors"] = [plain_text(name) for name in fields["authors"]]
    if fields.get("categories"):
        fields["categories"] = [
            category for category in map(plain_text, fields["categories"]) if category
        ]
    return fields


def entry_text(item: dict) -> dict:
    """An entry's fields as readers should get them: plain text, but the description as HTML,
    since RSS readers take it as HTML and Atom declares the summary as such."""
    item = reader_text(item)
    if item.get("description") is not None:
        item["description"] = escape(item["description"])
    return item


class ReaderTextMixin:
    """Write every text a reader shows as plain text, so that no reader runs markup found in a
    headline, a bio or a tag name, and leave out what XML 1.0 cannot carry."""

    def write(self, outfile, encoding: str) -> None:
        self.feed = xml_text(reader_text(self.feed))
        self.items = xml_text([entry_text(item) for item in self.items])
        super().write(outfile, encoding)


class WholeSecondsMixin:
    """Give the feed's times to the whole second, as every other channel does."""

    def add_item(self, *args, pubdate=None, updateddate=None, **kwargs) -> None:
        super().add_item(
            *args, pubdate=whole_seconds(pubdate), updateddate=whole_seconds(updateddate), **kwargs
        )

    def latest_post_date(self) -> datetime:
        # For a feed without items Django takes the current time, microseconds and all.
        return whole_seconds(super().latest_post_date())


class NewsRssFeed(ReaderTextMixin, WholeSecondsMixin, Rss201rev2Feed):
    """RSS 2.0 with every author as dc:creator, the update time as atom:updated and the
    sharing picture as media:content."""

    def rss_attributes(self) -> dict:
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
            "xmlns:media": "http://search.yahoo.com/mrss/",
        }

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        for name in item.get("authors", []):
            handler.addQuickElement("dc:creator", name)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])
        if image := item.get("image"):
            _add_media_content(handler, image)


class NewsAtomFeed(ReaderTextMixin, WholeSecondsMixin, Atom1Feed):
    """Atom with an <author> per author and the sharing picture as media:content."""

    def root_attributes(self) -> dict:
        return {**super().root_attributes(), "xmlns:media": "http://search.yahoo.com/mrss/"}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name, link in zip(item.get("authors", []), item.get("author_links", []), strict=True):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", link)
            handler.endElement("author")
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})
        if image := item.get("image"):
            _add_media_content(handler, image)


def _add_media_content(handler, image: Crop) -> None:
    handler.addQuickElement(
        "media:content",
        attrs={
            "url": image.url,
            "medium": "image",
            "type": image.content_type,
            "width": str(image.width),
            "height": str(image.height),
        },
    )


class LatestArticlesFeed(Feed):
    """The newest published stories of the whole site."""

    feed_type = NewsRssFeed
    title = settings.NEWSROOM_SITE_NAME
    link = "/"
    description = settings.NEWSROOM_TAGLINE

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def items(self, obj=None):
        articles = Article.objects.published().for_listing().for_sharing().prefetch_related("tags")
        items = list(self.filter_items(articles, obj)[:FEED_LENGTH])
        load_blocks(items)  # what the bodies' blocks name, for the whole feed at once
        return items

    def filter_items(self, articles, obj):
        shows("feed")
        return articles

    def item_title(self, article: Article) -> str:
        return article.headline

    def item_description(self, article: Article) -> str:
        return article.standfirst  # written as HTML by ReaderTextMixin

    def item_pubdate(self, article: Article):
        return article.published_at

    def item_updateddate(self, article: Article):
        return article.modified_at

    def item_categories(self, article: Article) -> list[str]:
        return [tag.name for tag in article.tags.all()]

    def item_guid(self, article: Article) -> str:
        # Stable when the headline, slug or section change, so readers don't see it twice.
        return f"{self.request.build_absolute_uri('/')}#article-{article.pk}"

    item_guid_is_permalink = False

    def item_extra_kwargs(self, article: Article) -> dict:
        authors = article.ordered_authors()
        shows(article, article.section, *authors, *article.tags.all())
        return {
            "authors": [author.name for author in authors],
            "author_links": [
                self.request.build_absolute_uri(author.get_absolute_url()) for author in authors
            ],
            "image": self.item_image(article),
            # The body as HTML every feed reader shows (blocks as plain HTML).
            "content": plain_html(
                article.body, loaded_blocks(article), self.request.build_absolute_uri
            ),
        }

    def item_image(self, article: Article) -> Crop | None:
        picture = article.sharing_picture()
        shows(picture)
        return picture.sharing_crops(self.request.build_absolute_uri)[0] if picture else None


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = NewsAtomFeed
    subtitle = LatestArticlesFeed.description


class SectionFeed(LatestArticlesFeed):
    """The newest published stories of one section."""

    def get_object(self, request, slug: str) -> Section:
        return get_object_or_404(Section, slug=slug)

    def title(self, section: Section) -> str:
        return f"{settings.NEWSROOM_SITE_NAME}: {section.name}"

    def link(self, section: Section) -> str:
        return section.get_absolute_url()

    def description(self, section: Section) -> str:
        return section.description or settings.NEWSROOM_TAGLINE

    def filter_items(self, articles, section: Section):
        shows(section, listing_key("section", section.pk))
        return articles.in_section(section)


class SectionAtomFeed(SectionFeed):
    feed_type = NewsAtomFeed

    def subtitle(self, section: Section) -> str:
        return self.description(section)


class AuthorFeed(LatestArticlesFeed):
    """The newest published stories by one author."""

    def get_object(self, request, slug: str) -> Author:
        return get_object_or_404(Author, slug=slug)

    def title(self, author: Author) -> str:
        return f"{settings.NEWSROOM_SITE_NAME}: {author.name}"

    def link(self, author: Author) -> str:
        return author.get_absolute_url()

    def description(self, author: Author) -> str:
        return author.bio or f"Stories by {author.name}"

    def filter_items(self, articles, author: Author):
        shows(author, listing_key("author", author.pk))
        return articles.by_author(author)


class AuthorAtomFeed(AuthorFeed):
    feed_type = NewsAtomFeed

    def subtitle(self, author: Author) -> str:
        return self.description(author)


class TagFeed(LatestArticlesFeed):
    """The newest published stories on one topic."""

    def get_object(self, request, slug: str) -> Tag:
        return get_object_or_404(Tag.objects.public(), slug=slug)

    def title(self, tag: Tag) -> str:
        return f"{settings.NEWSROOM_SITE_NAME}: {tag.name}"

    def link(self, tag: Tag) -> str:
        return tag.get_absolute_url()

    def description(self, tag: Tag) -> str:
        return f"Stories on {tag.name}"

    def filter_items(self, articles, tag: Tag):
        shows(tag, listing_key("tag", tag.pk))
        return articles.tagged(tag)


class TagAtomFeed(TagFeed):
    feed_type = NewsAtomFeed

    def subtitle(self, tag: Tag) -> str:
        return self.description(tag)


def feed_view(feed_class: type[LatestArticlesFeed]):
    """A view making a fresh feed object per request, since the feed keeps the request."""

    @cached_for_readers()
    def view(request, *args, **kwargs):
        return feed_class()(request, *args, **kwargs)

    return view
