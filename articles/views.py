from collections.abc import Sequence
from urllib.parse import urlencode

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe

from images.models import SHARING_MIN_WIDTH

from . import blocks
from .caching import cached_for_readers, listing_key, object_key, shows
from .models import (
    Article,
    ArticleQuerySet,
    ArticleRedirect,
    Author,
    FrontPage,
    Page,
    PreviewLink,
    Section,
    SectionRedirect,
    Source,
    Tag,
    ordered_bylines,
)
from .pagination import STORY_PAGE_QUERY, StoryPage, paginate, story_page
from .search import clean_query, snippet


@cached_for_readers(query=["page"], keys=["home"])
def home(request: HttpRequest) -> HttpResponse:
    if "page" in request.GET:  # the home page used to list every story, a page at a time
        address = f"{reverse('articles:latest')}?{urlencode({'page': request.GET['page']})}"
        return redirect(address, permanent=True)
    return render_front_page(request, FrontPage.objects.live())


def render_front_page(
    request: HttpRequest, layout: FrontPage, preview: bool = False
) -> HttpResponse:
    """The front page as `layout` arranges it (a preview shows a layout not live yet)."""
    context = {"layout": layout, "front_page": layout.arrange(), "preview": preview}
    response = render(request, "articles/front_page.html", context)
    if preview:
        keep_private(response)
    return response


@cached_for_readers(query=STORY_PAGE_QUERY, keys=["home"])
def latest(request: HttpRequest) -> HttpResponse:
    page = paginate_stories(request, Article.objects.published())
    return render(request, "articles/article_list.html", {"page": page})


@cached_for_readers(query=STORY_PAGE_QUERY)
def section_detail(request: HttpRequest, slug: str) -> HttpResponse:
    sections = Section.objects.select_related("parent__parent", "lead_story")
    section = sections.filter(slug=slug).first()
    if section is None:
        moved = get_object_or_404(SectionRedirect.objects.select_related("section"), old_slug=slug)
        return redirect(moved.section, permanent=True)
    shows(listing_key("section", section.pk))
    stories = Article.objects.published().in_section(section)
    page = paginate_stories(request, stories, lead=section.lead_story)
    context = {"section": section, "current_section": section, "page": page}
    return render(request, "articles/section_detail.html", context)


def paginate_stories(
    request: HttpRequest, stories: ArticleQuerySet, lead: Article | None = None
) -> StoryPage:
    """The page of `stories` the request asks for, each story once (in the site's language
    where it is published in it), with its other versions for "Also in"."""
    listed = stories.one_version_per_story().with_translation_flags()
    page = listing_page(request, listed, lead)
    Article.objects.published().attach_other_versions(page.object_list)
    return page


def listing_page(
    request: HttpRequest, stories: ArticleQuerySet, lead: Article | None = None
) -> StoryPage:
    """The page of `stories` the request asks for, with what their teasers show."""
    page = story_page(request, stories.select_related("section", "lead_picture"), lead)
    prefetch_related_objects(page.object_list, ordered_bylines())
    return page


@cached_for_readers()
def article_detail(request: HttpRequest, section: str, slug: str) -> HttpResponse:
    published = Article.objects.published()
    article = published.for_display().filter(section__slug=section, slug=slug).first()
    if article is None:
        return _article_elsewhere(request, published, section, slug)
    return render_article(request, article, related=published.remembered_related_to(article))


def _article_elsewhere(
    request: HttpRequest, published: ArticleQuerySet, section: str, slug: str
) -> HttpResponse:
    """A withdrawn article keeps its address (410 Gone); a moved one redirects; else 404."""
    withdrawn = Article.objects.withdrawn().filter(section__slug=section, slug=slug)
    if (withdrawn_pk := withdrawn.values_list("pk", flat=True).first()) is not None:
        shows(object_key("article", withdrawn_pk))  # republished, it comes back here
        return render(request, "articles/article_gone.html", status=410)
    moved = ArticleRedirect.objects.find_article(published, section, slug)
    if moved is None:
        raise Http404("No published article at this address.")
    return redirect(moved, permanent=True)


def render_article(
    request: HttpRequest,
    article: Article,
    related=(),
    preview: bool = False,
    problems: Sequence[str] = (),
) -> HttpResponse:
    """The article page, in the article's language; `article` from `for_display()`. A preview
    lists `problems`: what saving the story as it is would refuse."""
    picture = article.sharing_picture()
    shows(picture)  # in the sharing meta and structured data
    crops = picture.sharing_crops(request.build_absolute_uri) if picture else []
    # JSON-LD lists the body's pictures after the lead (or sharing) picture.
    in_body = [
        image.crops([None], SHARING_MIN_WIDTH, request.build_absolute_uri)[0]
        for image in blocks.body_pictures(article)
    ]
    families = Article.objects.published().translation_families([article])
    context = {
        "article": article,
        "current_section": article.section,
        "related": related,
        "preview": preview,
        "preview_problems": problems,
        "translations": families[article.pk],
        "canonical_url": request.build_absolute_uri(article.get_absolute_url()),
        "structured_images": crops + in_body,
        "sharing_image": crops[0] if crops else None,
        "embed_frames": blocks.frame_origins(article.body),
    }
    with translation.override(article.language):
        response = render(request, "articles/article_detail.html", context)
    response["Content-Language"] = article.language
    if context["embed_frames"]:
        # The page may load the players of its own embeds, once the reader asks, and no others.
        response._csp_update = {"frame-src": context["embed_frames"]}
    return response


def render_preview(
    request: HttpRequest, article: Article, problems: Sequence[str] = ()
) -> HttpResponse:
    """`article` in any state, under a preview banner, kept out of caches and search engines."""
    response = render_article(request, article, preview=True, problems=problems)
    keep_private(response)
    return response


@require_safe
def shared_preview(request: HttpRequest, token: str) -> HttpResponse:
    link = PreviewLink.objects.select_related("article").from_token(token)
    if link is None:
        raise Http404("No preview at this address.")
    if not link.is_active:  # expired, switched off, or its story withdrawn
        response = render(request, "articles/preview_expired.html", status=410)
    else:
        response = render_preview(request, Article.objects.for_display().get(pk=link.article_id))
    keep_private(response)
    return response


def keep_private(response: HttpResponse) -> None:
    """Keep `response` out of every cache and search engine."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"


# Not kept by the app servers: every query would be a copy of its own, and a query typed once
# is rarely asked again. A CDN may keep the answers (purged with the "search" key).
@cached_for_readers(query=["q", "page"], keys=["search"], store=False)
def search(request: HttpRequest) -> HttpResponse:
    query = clean_query(request.GET.get("q"))
    page = paginate(request, Article.objects.published().search(query).for_listing())
    results = [(article, snippet(article, query)) for article in page.object_list]
    context = {"query": query, "page": page, "results": results}
    return render(request, "articles/search.html", context)


@cached_for_readers()
def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page, slug=slug)
    return render(request, "articles/page_detail.html", {"page": page})


@cached_for_readers(query=STORY_PAGE_QUERY)
def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(
        Author.objects.select_related("photo").prefetch_related("links"), slug=slug
    )
    shows(listing_key("author", author.pk))
    page = listing_page(request, Article.objects.published().by_author(author))
    return render(request, "articles/author_detail.html", {"author": author, "page": page})


@cached_for_readers(query=STORY_PAGE_QUERY)
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag.objects.public(), slug=slug)
    shows(listing_key("tag", tag.pk))
    page = listing_page(request, Article.objects.published().tagged(tag))
    return render(request, "articles/tag_detail.html", {"tag": tag, "page": page})


@cached_for_readers(query=STORY_PAGE_QUERY)
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source, slug=slug)
    shows(listing_key("source", source.pk))
    page = listing_page(request, Article.objects.published().citing(source))
    return render(request, "articles/source_detail.html", {"source": source, "page": page})


@cached_for_readers()
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawling rules for the whole site, naming both sitemaps by absolute URL."""
    context = {
        "sitemap_url": request.build_absolute_uri(reverse("articles:sitemap")),
        "news_sitemap_url": request.build_absolute_uri(reverse("articles:sitemap_news")),
    }
    return render(request, "articles/robots.txt", context, content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """The icon browsers ask every site for at /favicon.ico, from the static files."""
    # Not permanent: the static file's address changes with its content.
    response = redirect(static("img/favicon.ico"))
    patch_cache_control(response, max_age=24 * 60 * 60)
    return response
