"""Sitemaps of the public site for search engines, and the Google News sitemap."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .models import Article, ArticleQuerySet, Author, Page, Section, Tag
from .syndication import xml_text

# Google reads at most 1,000 articles from a news sitemap, published in the last two days.
NEWS_SITEMAP_LIMIT = 1000
NEWS_SITEMAP_WINDOW = timedelta(hours=48)


def last_modified(articles: ArticleQuerySet) -> datetime | None:
    """When the newest change among `articles` was made (one query)."""
    return articles.with_modified_at().aggregate(latest=Max("modified_at"))["latest"]


def newest_change(articles: ArticleQuerySet) -> Subquery:
    """A subquery for the newest change among `articles`, filtered by an OuterRef."""
    newest = articles.with_modified_at().order_by("-modified_at")
    return Subquery(newest.values("modified_at")[:1])


class ArticleSitemap(Sitemap):
    """Every published article, newest first, a thousand to a page."""

    limit = 1000

    def items(self) -> ArticleQuerySet:
        # Only what an entry needs: a page of a thousand bodies would be megabytes.
        return (
            Article.objects.published()
            .select_related("section")
            .only("slug", "published_at", "updated_at", "section__slug")
        )

    def lastmod(self, article: Article) -> datetime | None:
        return article.modified_at

    def get_latest_lastmod(self) -> datetime | None:
        # The default calls lastmod() on every item, loading every article for the index.
        return last_modified(Article.objects.published())


class SectionSitemap(Sitemap):
    """Every section, dated by its newest published story."""

    def items(self) -> QuerySet[Section]:
        latest = newest_change(Article.objects.published().filter(section=OuterRef("pk")))
        return Section.objects.annotate(latest=latest).order_by("position", "name", "pk")

    def lastmod(self, section: Section) -> datetime | None:
        return section.latest

    def get_latest_lastmod(self) -> datetime | None:
        return last_modified(Article.objects.published())


class AuthorSitemap(Sitemap):
    """Authors with at least one published story, dated by their newest."""

    def items(self) -> QuerySet[Author]:
        theirs = Article.objects.published().filter(bylines__author=OuterRef("pk"))
        # Exists() lets the database count authors with a semi-join, not a dated subquery each.
        return (
            Author.objects.filter(Exists(theirs))
            .annotate(latest=newest_change(theirs))
            .order_by("name", "pk")
        )

    def lastmod(self, author: Author) -> datetime | None:
        return author.latest

    def get_latest_lastmod(self) -> datetime | None:
        return last_modified(Article.objects.published().filter(bylines__isnull=False))


class TagSitemap(Sitemap):
    """Tags on at least one published story, dated by their newest.

    A tag used only on drafts stays out: its name could give away a story still under embargo.
    """

    def items(self) -> QuerySet[Tag]:
        carrying = Article.objects.published().tagged(OuterRef("pk"))
        return Tag.objects.public().annotate(latest=newest_change(carrying)).order_by("name")

    def lastmod(self, tag: Tag) -> datetime | None:
        return tag.latest

    def get_latest_lastmod(self) -> datetime | None:
        return last_modified(Article.objects.published().filter(tagged_items__isnull=False))


class PageSitemap(Sitemap):
    """The newsroom's own pages: standards, corrections policy, masthead."""

    def items(self) -> QuerySet[Page]:
        return Page.objects.order_by("title", "pk")

    def lastmod(self, page: Page) -> datetime:
        return page.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        return Page.objects.aggregate(latest=Max("updated_at"))["latest"]


# The index at /sitemap.xml lists these as /sitemap-<name>.xml; the order is the index's.
SITEMAPS = {
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
    "pages": PageSitemap,
}


def news_sitemap(request: HttpRequest) -> HttpResponse:
    """The Google News sitemap: articles published in the last 48 hours, newest first."""
    since = timezone.now() - NEWS_SITEMAP_WINDOW
    articles = (
        Article.objects.published_since(since)
        .select_related("section")
        .only("headline", "seo_title", "slug", "language", "published_at", "section__slug")
    )[:NEWS_SITEMAP_LIMIT]
    entries = [
        {
            "location": request.build_absolute_uri(article.get_absolute_url()),
            "language": article.language,
            "published_at": article.published_at,
            "title": xml_text(article.search_title()),
        }
        for article in articles
    ]
    context = {"publication_name": xml_text(settings.NEWSROOM_SITE_NAME), "entries": entries}
    return render(request, "articles/sitemap_news.xml", context, content_type="application/xml")
