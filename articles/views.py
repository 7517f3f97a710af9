from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from .models import Article, ArticleRedirect, Author, Section, SectionRedirect, Source, Tag
from .pagination import paginate


def home(request: HttpRequest) -> HttpResponse:
    page = paginate(request, Article.objects.published().for_listing())
    return render(request, "articles/article_list.html", {"page": page})


def section_detail(request: HttpRequest, slug: str) -> HttpResponse:
    section = Section.objects.select_related("parent__parent").filter(slug=slug).first()
    if section is None:
        moved = get_object_or_404(SectionRedirect.objects.select_related("section"), old_slug=slug)
        return redirect(moved.section, permanent=True)
    page = paginate(request, Article.objects.published().in_section(section).for_listing())
    context = {"section": section, "current_section": section, "page": page}
    return render(request, "articles/section_detail.html", context)


def article_detail(request: HttpRequest, section: str, slug: str) -> HttpResponse:
    published = Article.objects.published()
    article = published.for_display().filter(section__slug=section, slug=slug).first()
    if article is None:
        moved = ArticleRedirect.objects.find_article(published, section, slug)
        if moved is None:
            raise Http404("No published article at this address.")
        return redirect(moved, permanent=True)
    context = {
        "article": article,
        "current_section": article.section,
        "related": published.related_to(article),
    }
    return render(request, "articles/article_detail.html", context)


def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author.objects.prefetch_related("links"), slug=slug)
    page = paginate(request, Article.objects.published().by_author(author).for_listing())
    return render(request, "articles/author_detail.html", {"author": author, "page": page})


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    page = paginate(request, Article.objects.published().tagged(tag).for_listing())
    return render(request, "articles/tag_detail.html", {"tag": tag, "page": page})


def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source, slug=slug)
    page = paginate(request, Article.objects.published().citing(source).for_listing())
    return render(request, "articles/source_detail.html", {"source": source, "page": page})
