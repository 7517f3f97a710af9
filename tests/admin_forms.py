"""Addresses of the article admin and the POST data of its forms, as a browser sends it."""

import json
from datetime import datetime

from django.utils import timezone

from articles.models import Article

CHANGELIST = "/admin/articles/article/"


def admin_url(article: Article, rest: str = "change/") -> str:
    """The address of one of `article`'s admin screens, such as "history/"."""
    return f"{CHANGELIST}{article.pk}/{rest}"


def inline(prefix: str, rows: list[dict], initial: int = 0, min_num: int = 0) -> dict:
    """POST data of an inline formset: the management form, then one row per dict."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": str(min_num),
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {f"{prefix}-{index}-{field}": value for field, value in row.items()}
    return data


def article_form(
    section,
    bylines: list[dict],
    citations: list[dict] = (),
    corrections=(),
    related: list[dict] = (),
    **fields,
) -> dict:
    """POST data of the article add or change form."""
    data = {
        "kicker": "",
        "headline": "Defector reaches Berlin",
        "slug": "defector-reaches-berlin",
        "standfirst": "",
        "dateline": "Moscow",
        "body": "<p>First paragraph.</p>",
        "section": str(section.pk),
        "type_of_work": "news",
        "tags": "",
        "language": "en",
        "seo_title": "",
        "meta_description": "",
        "social_title": "",
        "social_description": "",
        "social_picture": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "expires_at_0": "",
        "expires_at_1": "",
        "external_id": "",
        "base_version": "0",
    }
    initial_bylines = sum(1 for row in bylines if row.get("id"))
    initial_citations = sum(1 for row in citations if row.get("id"))
    initial_corrections = sum(1 for row in corrections if row.get("id"))
    initial_related = sum(1 for row in related if row.get("id"))
    return (
        data
        | fields
        | inline("bylines", bylines, initial_bylines, min_num=1)
        | inline("citations", list(citations), initial_citations)
        | inline("corrections", list(corrections), initial_corrections)
        | inline("related_stories", list(related), initial_related)
    )


def split(moment: datetime | None) -> tuple[str, str]:
    """A datetime as the admin's split date and time inputs show it, in local time."""
    if moment is None:
        return "", ""
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def edit_form(article: Article, corrections=(), related=None, **changes) -> dict:
    """POST data of `article`'s change form as it opens now, with `changes` typed in (and
    `related`, rows of picked stories, instead of the saved picks if given)."""
    article = Article.objects.get(pk=article.pk)
    bylines = [
        {
            "id": byline.pk,
            "article": article.pk,
            "position": byline.position,
            "author": byline.author_id,
        }
        for byline in article.bylines.all()
    ]
    citations = [
        {
            "id": citation.pk,
            "article": article.pk,
            "position": citation.position,
            "source": citation.source_id,
            "note": citation.note,
            "url": citation.url,
        }
        for citation in article.citations.all()
    ]
    if related is None:
        related = [
            {
                "id": pick.pk,
                "article": article.pk,
                "position": pick.position,
                "related": pick.related_id,
            }
            for pick in article.related_stories.all()
        ]
    published_date, published_time = split(article.published_at)
    expires_date, expires_time = split(article.expires_at)
    fields = {
        "kicker": article.kicker,
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "dateline": article.dateline,
        "body": article.body,
        "lead_picture": article.lead_picture_id or "",
        "lead_picture_caption": article.lead_picture_caption,
        "translation_of": article.translation_of_id or "",
        "type_of_work": article.type_of_work,
        "tags": ", ".join(sorted(article.tags.names())),
        "language": article.language,
        "seo_title": article.seo_title,
        "meta_description": article.meta_description,
        "social_title": article.social_title,
        "social_description": article.social_description,
        "social_picture": article.social_picture_id or "",
        "status": article.status,
        "published_at_0": published_date,
        "published_at_1": published_time,
        "expires_at_0": expires_date,
        "expires_at_1": expires_time,
        "external_id": article.external_id,
        "base_version": str(article.version),
    }
    return article_form(
        article.section, bylines, citations, corrections, related, **(fields | changes)
    )


def autosaved(data: dict, labels: dict | None = None) -> dict:
    """POST data of the form's autosave (static/admin/articles/autosave.js) of form data `data`."""
    fields = {name: [str(value)] for name, value in data.items() if name != "base_version"}
    content = {"fields": fields, "labels": labels or {}}
    return {"content": json.dumps(content), "base_version": data.get("base_version", "")}
