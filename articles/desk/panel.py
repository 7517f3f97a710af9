"""What the article form shows around its fields: the workflow buttons, who else has the
story open, review comments, status changes and share links, and the preview of the story in
search results and as a shared card. All of it is read; presence is written only by the
form's heartbeat (views.presence)."""

import json
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from images.models import Image

from .. import workflow
from ..forms import CommentForm
from ..models import (
    SEARCH_DESCRIPTION_SHOWN,
    SEARCH_TITLE_SHOWN,
    SOCIAL_DESCRIPTION_SHOWN,
    SOCIAL_TITLE_SHOWN,
    Article,
    Section,
)


def article_panel(request: HttpRequest, article: Article) -> dict:
    """The template context of the panel around `article`'s form."""
    return {
        "transitions": workflow.available_transitions(article, request.user),
        "other_editors": other_editors(article, request.user),
        "review_comments": article.review_comments.select_related(
            "author", "status_change"
        ).order_by("-created_at", "-pk"),
        "status_changes": article.status_changes.select_related("changed_by"),
        "preview_links": [
            (link, request.build_absolute_uri(link.get_absolute_url()))
            for link in article.preview_links.active().select_related("created_by")
        ],
        "comment_form": CommentForm(),
    }


def other_editors(article: Article, user) -> list[dict]:
    """Who else has had `article`'s form open for editing in the last few minutes."""
    return [
        {
            "name": staff_name(session.user),
            "seen": _ago(session.last_seen_at),
        }
        for session in article.editing_sessions.recent().exclude(user=user).select_related("user")
    ]


def staff_name(user, nobody: str = "the system") -> str:
    """A member of staff as the desk names them: their full name, else their username; for
    none (a step a command took, or a user since deleted), `nobody`."""
    if user is None:
        return nobody
    return user.get_full_name() or user.get_username()


def _ago(moment: datetime) -> str:
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return timesince(moment) + " ago"


def short_time(moment: datetime) -> str:
    """`moment` in local time as the desk shows it in lists and messages, with the time
    zone's abbreviation: 05 Apr 2026, 18:00 CEST."""
    return timezone.localtime(moment).strftime("%d %b %Y, %H:%M %Z")


def sharing_preview_context(article: Article) -> dict:
    """What the form's preview of `article` (saved or not) in search results and as a shared
    card shows, and what its script (sharing_preview.js) needs to follow the fields."""
    site_name = settings.NEWSROOM_SITE_NAME
    return {
        "site_name": site_name,
        # As the page's <title> (articles/article_detail.html).
        "search_title": f"{article.search_title()} – {site_name}",
        "search_description": article.search_description() or article.headline,
        "address": [article.section.slug, article.slug] if article.section_id else [article.slug],
        "sharing_title": article.sharing_title(),
        "sharing_description": article.sharing_description() or article.headline,
        "picture": preview_picture(article.sharing_picture()),
        "shown": {
            "search_title": SEARCH_TITLE_SHOWN,
            "search_description": SEARCH_DESCRIPTION_SHOWN,
            "social_title": SOCIAL_TITLE_SHOWN,
            "social_description": SOCIAL_DESCRIPTION_SHOWN,
        },
        "section_slugs": json.dumps(dict(Section.objects.values_list("pk", "slug"))),
        "picture_url": reverse("admin:articles_article_sharing_picture"),
    }


def preview_picture(image: Image | None) -> dict | None:
    """`image` as the preview's card shows it: the 16:9 crop networks show, at a small width."""
    if image is None:
        return None
    picture = image.picture("16:9")
    return {
        "src": picture.src,
        "width": picture.width,
        "height": picture.height,
        "alt": image.alt_text,
    }
