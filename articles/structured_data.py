"""schema.org structured data (JSON-LD) for article pages, as search engines read it."""

import json

from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext

from images.models import Crop

from .models import Article, Page
from .timestamps import machine_time

# The type of work as a schema.org NewsArticle subtype (schema.org has none for interviews).
SCHEMA_TYPES = {
    Article.TypeOfWork.NEWS: "ReportageNewsArticle",
    Article.TypeOfWork.ANALYSIS: "AnalysisNewsArticle",
    Article.TypeOfWork.OPINION: "OpinionNewsArticle",
    Article.TypeOfWork.INTERVIEW: "NewsArticle",
    Article.TypeOfWork.EXPLAINER: "BackgroundNewsArticle",
}
PUBLISHER_LOGO = ("img/logo.png", 512, 512)


def publisher(absolute) -> dict:
    """The publication as a NewsMediaOrganization, with its standards pages."""
    logo_path, width, height = PUBLISHER_LOGO
    organization = {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": absolute("/"),
        "logo": {
            "@type": "ImageObject",
            "url": absolute(static(logo_path)),
            "width": width,
            "height": height,
        },
    }
    for role, page in Page.objects.policies().items():
        organization[role.schema_property] = absolute(page.get_absolute_url())
    return organization


def article_graph(
    article: Article, absolute, images: list[Crop] = (), translations: list[Article] = ()
) -> list[dict]:
    """The article and its breadcrumb trail as JSON-LD objects.

    `absolute` turns a path into a full URL; `images` are the sharing picture's crops and
    `translations` the article's published original and translations.
    """
    url = absolute(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(article.type_of_work, "NewsArticle"),
        "@id": f"{url}#article",
        "mainEntityOfPage": url,
        "url": url,
        # The headline readers see, as Google asks; an SEO title is the alternative.
        "headline": article.headline,
        "alternativeHeadline": article.seo_title if article.seo_title != article.headline else "",
        "description": article.search_description(),
        "datePublished": machine_time(article.published_at),
        "dateModified": machine_time(article.modified_at),
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": absolute(author.get_absolute_url()),
                **({"jobTitle": author.job_title} if author.job_title else {}),
            }
            for author in article.ordered_authors()
        ],
        "publisher": publisher(absolute),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "inLanguage": article.language,
        "dateline": article.dateline,
        "citation": [_citation(citation, absolute) for citation in article.citations.all()],
        "correction": [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": machine_time(correction.created_at),
            }
            for correction in article.corrections.all()
        ],
        "image": [
            {
                "@type": "ImageObject",
                "url": image.url,
                "width": image.width,
                "height": image.height,
            }
            for image in images
        ],
    }
    for other in translations:
        reference = {"@id": absolute(other.get_absolute_url()) + "#article"}
        if other.pk == article.translation_of_id:
            data["translationOfWork"] = reference
        elif other.translation_of_id == article.pk:
            data.setdefault("workTranslation", []).append(reference)
    data = {key: value for key, value in data.items() if value not in (None, "", [])}
    return [data, breadcrumbs(article, absolute)]


def _citation(citation, absolute) -> dict:
    source = citation.source
    cited = {
        "@type": "CreativeWork",
        "name": citation.note or source.name,
        "publisher": {
            "@type": "Person" if source.kind == source.Kind.PERSON else "Organization",
            "name": source.name,
            **({"url": source.homepage_url} if source.homepage_url else {}),
        },
    }
    if citation.url:
        cited["url"] = citation.url
    return cited


def breadcrumbs(article: Article, absolute) -> dict:
    trail = [(gettext("Home page"), absolute("/"))]
    trail += [
        (section.name, absolute(section.get_absolute_url()))
        for section in [*article.section.ancestors(), article.section]
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def to_script(graph: list[dict]) -> str:
    """JSON for a <script> element: '<', '>' and '&' escaped so text can't close the element."""
    text = json.dumps(graph, ensure_ascii=False, indent=None)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
