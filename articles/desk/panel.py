"""What the article form shows around its fields: the workflow buttons, who else has the
story open, review comments, status changes and share links. All of it is read; presence is
written only by the form's heartbeat (views.presence)."""

from datetime import datetime, timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.timesince import timesince

from .. import workflow
from ..forms import CommentForm
from ..models import Article


def article_panel(request: HttpRequest, article: Article) -> dict:
    """The template context of the panel around `article`'s form."""
    return {
        "transitions": workflow.available_transitions(article, request.user),
        "other_editors": other_editors(article, request.user),
        "review_comments": article.review_comments.select_related("author"),
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
