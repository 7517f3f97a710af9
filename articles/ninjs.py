"""Articles as IPTC ninjs 3.1 (News in JSON), the format of the content API."""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from operator import attrgetter

from django.urls import reverse
from django.utils import timezone, translation

from images.models import SHARING_MIN_WIDTH

from .blocks import find_blocks, loaded_blocks, plain_html
from .bylines import byline_text
from .models import Article, Page
from .timestamps import whole_seconds

STANDARD = {
    "name": "ninjs",
    "version": "3.1",
    "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#",
}

# The type of work as an IPTC genre (http://cv.iptc.org/newscodes/genre/); IPTC has no
# "explainer", and "Background" is its scene-setting and explanation.
GENRES = {
    Article.TypeOfWork.NEWS: "Current",
    Article.TypeOfWork.ANALYSIS: "Analysis",
    Article.TypeOfWork.OPINION: "Opinion",
    Article.TypeOfWork.INTERVIEW: "Interview",
    Article.TypeOfWork.EXPLAINER: "Background",
}
IPTC_GENRE = "http://cv.iptc.org/newscodes/genre/"

# Roles from IPTC's Content Production Party Role vocabulary.
AUTHOR = "http://cv.iptc.org/newscodes/contentprodpartyrole/author"
CONTENT_SOURCE = "http://cv.iptc.org/newscodes/contentprodpartyrole/contentSource"

Absolute = Callable[[str], str]


def article_uri(article: Article, absolute: Absolute) -> str:
    """The article's ninjs identifier: its address in the API, which slugs and sections don't
    change."""
    return absolute(reverse("articles:api_article", kwargs={"pk": article.pk}))


def article_item(
    article: Article, absolute: Absolute, translations: Iterable[Article] = ()
) -> dict:
    """`article` (loaded with `for_display()`) as a ninjs 3.1 object.

    `absolute` turns a path into a full URL; `translations` are the article's published
    original and translations (see `ArticleQuerySet.translation_families()`).
    """
    authors = article.ordered_authors()
    # Labels (the byline's "and", type of work and correction names) in the article's own language,
    # as on its page.
    with translation.override(article.language):
        item = {
            "uri": article_uri(article, absolute),
            "type": "text",
            "representationType": "full",
            "standard": STANDARD,
            "version": str(article.version),
            "firstCreated": timestamp(article.created_at),
            "versionCreated": timestamp(article.modified_at),
            "contentCreated": timestamp(article.published_at),
            "expires": timestamp(article.expires_at),
            "pubStatus": "usable",
            "language": article.language,
            "headlines": [
                {"role": "main", "value": article.headline},
                *([{"role": "kicker", "value": article.kicker}] if article.kicker else []),
            ],
            "descriptions": (
                [{"role": "summary", "value": article.standfirst}] if article.standfirst else []
            ),
            # The body as sanitized HTML, its blocks as plain HTML (a picture as <figure><img>,
            # an embed as a link). The dateline and sign-off the page sets into it are `located`
            # and `by` here.
            "bodies": (
                [
                    {
                        "role": "main",
                        "contentType": "text/html",
                        "value": plain_html(article.body, loaded_blocks(article), absolute),
                    }
                ]
                if article.body
                else []
            ),
            "by": byline_text(authors),
            "people": [
                {
                    "name": author.name,
                    "rel": AUTHOR,
                    "uri": absolute(author.get_absolute_url()),
                    "literal": author.slug,
                }
                for author in authors
            ],
            "subjects": [
                _subject(article.section, "section", absolute),
                *(
                    _subject(tag, "tag", absolute)
                    for tag in sorted(article.tags.all(), key=attrgetter("name"))
                ),
            ],
            "genres": [
                {
                    "name": str(article.get_type_of_work_display()),
                    "uri": IPTC_GENRE + GENRES[article.type_of_work],
                    "literal": article.type_of_work,
                }
            ]
            if article.type_of_work in GENRES
            else [],
            "located": article.dateline,
            "infoSources": _info_sources(article, absolute),
            "edNote": corrections_note(article),
            "trustIndicators": trust_indicators(absolute),
            "renditions": [
                {
                    "name": "web",
                    "title": article.headline,
                    "href": absolute(article.get_absolute_url()),
                    "contentType": "text/html",
                }
            ],
            "associations": [
                *_lead_picture(article, absolute),
                *_body_pictures(article, absolute),
                *(_translation(other, article, absolute) for other in translations),
            ],
        }
    return _without_empty(item)


def timestamp(moment: datetime | None) -> str | None:
    """`moment` in UTC as RFC 3339 (ninjs's date-time) to the whole second, or None."""
    if moment is None:
        return None
    return whole_seconds(moment).astimezone(UTC).isoformat().replace("+00:00", "Z")


def corrections_note(article: Article) -> str:
    """The article's corrections and updates, newest first, one a line, for the receiving desk."""
    return "\n".join(
        f"{correction.get_kind_display()} "
        f"({timezone.localtime(correction.created_at).date().isoformat()}): {correction.text}"
        for correction in article.corrections.all()
    )


def trust_indicators(absolute: Absolute) -> list[dict]:
    """Links to the publishing principles, corrections policy and masthead that exist."""
    return [
        {
            "role": role.trust_indicator,
            "title": page.title,
            "href": absolute(page.get_absolute_url()),
        }
        for role, page in Page.objects.policies().items()
    ]


def _subject(concept, rel: str, absolute: Absolute) -> dict:
    return {
        "name": concept.name,
        "rel": rel,
        "uri": absolute(concept.get_absolute_url()),
        "literal": concept.slug,
    }


def _info_sources(article: Article, absolute: Absolute) -> list[dict]:
    # One entry per source, in citation order: ninjs has no place for what was cited from it.
    sources = {citation.source_id: citation.source for citation in article.citations.all()}
    return [
        {
            "name": source.name,
            "role": CONTENT_SOURCE,
            "uri": absolute(source.get_absolute_url()),
            "literal": source.slug,
            **(
                {"contactInfo": [{"type": "web", "value": source.homepage_url}]}
                if source.homepage_url
                else {}
            ),
        }
        for source in sources.values()
    ]


def _lead_picture(article: Article, absolute: Absolute) -> list[dict]:
    image = article.lead_picture
    if image is None:
        return []
    caption = article.lead_picture_caption or image.caption
    crops = image.sharing_crops(absolute)
    return [
        _picture("leadpicture", "featureimage", image, caption, image.alt_text, crops, absolute)
    ]


def _body_pictures(article: Article, absolute: Absolute) -> list[dict]:
    """The pictures in the body, in order, as its blocks show them (their caption, alt text)."""
    shown = {}
    for block in find_blocks(article.body):
        image = loaded_blocks(article).pictures.get(block.picture_id)
        if image is not None and image.pk not in shown:
            shown[image.pk] = (image, block)
    return [
        _picture(
            f"bodypicture{number}",
            "inlineimage",
            image,
            block.get("data-caption") or image.caption,
            block.get("data-alt") or image.alt_text,
            image.crops([None], SHARING_MIN_WIDTH, absolute),
            absolute,
        )
        for number, (image, block) in enumerate(shown.values(), start=1)
    ]


def _picture(name, rel, image, caption: str, alt: str, crops, absolute: Absolute) -> dict:
    picture = {
        "name": name,
        "rel": rel,
        "uri": absolute(image.get_absolute_url()),
        "type": "picture",
        "representationType": "partial",
        "by": image.credit,
        "descriptions": [
            *([{"role": "caption", "value": caption}] if caption else []),
            {"role": "alt", "value": alt},
        ],
        "renditions": [
            {
                "name": (crop.ratio or "original").replace(":", "x"),
                "href": crop.url,
                "contentType": crop.content_type,
                "width": crop.width,
                "height": crop.height,
                **({"aspectRatio": crop.ratio} if crop.ratio else {}),
            }
            for crop in crops
        ],
    }
    return _without_empty(picture)


def _translation(other: Article, article: Article, absolute: Absolute) -> dict:
    rel = "original" if other.pk == article.translation_of_id else "translation"
    return {
        "name": f"{rel}-{other.language}",
        "rel": rel,
        "uri": article_uri(other, absolute),
        "type": "text",
        "representationType": "partial",
        "language": other.language,
        "headlines": [{"role": "main", "value": other.headline}],
        "renditions": [
            {
                "name": "web",
                "title": other.headline,
                "href": absolute(other.get_absolute_url()),
                "contentType": "text/html",
            }
        ],
    }


def _without_empty(item: dict) -> dict:
    # ninjs forbids nulls, and empty strings and lists say nothing.
    return {key: value for key, value in item.items() if value not in (None, "", [])}
