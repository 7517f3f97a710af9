"""Autosaves on the desk (see `Autosave`): what the article form needs to keep unsaved typing
and to offer an earlier autosave back, the user's unsaved drafts on the admin index, and
their end when the form is saved. The form's script (static/admin/articles/autosave.js)
sends them to views.autosave; reading any of this writes nothing."""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from ..models import Article, Autosave, snapshot, story_content
from ..revisions import Comparison, compare
from .unsaved import typed_fields, unsaved_story


@dataclass
class Offer:
    """An earlier autosave the form offers to restore, and what restoring it would change."""

    autosave: Autosave
    comparison: Comparison


def autosave_context(request: HttpRequest, article: Article | None) -> dict:
    """The template context of the autosave of `article`'s form (a new story's, for None),
    which the user may edit: where it saves, the add form's key, and the earlier autosave
    to offer back, if any."""
    if article is None:
        save_url = reverse("admin:articles_article_autosave_new")
        preview_url = reverse("admin:articles_article_live_preview_new")
    else:
        save_url = reverse("admin:articles_article_autosave", args=[article.pk])
        preview_url = reverse("admin:articles_article_live_preview", args=[article.pk])
    # A form shown again after a refused save holds what was typed: nothing is offered over
    # it, and a new story keeps the key its autosaves are kept under.
    is_get = request.method == "GET"
    return {
        "autosave": {
            "save_url": save_url,
            "days": settings.NEWSROOM_AUTOSAVE_DAYS,
            "key": "" if is_get else posted_key(request),
            "holds_unsaved_text": not is_get,
            "offer": offer(request, article) if is_get else None,
        },
        "live_preview_url": preview_url,
    }


def offer(request: HttpRequest, article: Article | None) -> Offer | None:
    """The user's autosave of `article` (for the add form: the never-saved story asked for by
    `?autosave=<id>`, else the newest) with its differences from the saved story; None if
    there is none, or it holds nothing the story lacks."""
    offered = Autosave.objects.unexpired().filter(user=request.user)
    if article is None:
        offered = offered.filter(article__isnull=True)
        chosen = request.GET.get("autosave", "")
        autosave = (chosen.isdigit() and offered.filter(pk=int(chosen)).first()) or offered.first()
    else:
        autosave = offered.filter(article=article).select_related("article").first()
    if autosave is None:
        return None
    typed = unsaved_story(request, article, typed_fields(autosave)).content()
    saved = snapshot(article) if article is not None else story_content(Article(), [], [], [])
    comparison = compare(saved, typed)
    return Offer(autosave, comparison) if comparison.has_changes else None


def unsaved_drafts(user) -> list[dict]:
    """The user's autosaves to come back to, newest first, each with the address of the form
    that offers it (one query)."""
    drafts = []
    for autosave in Autosave.objects.offered_to(user).select_related("article"):
        if autosave.article is None:
            url = reverse("admin:articles_article_add") + f"?autosave={autosave.pk}"
        else:
            url = reverse("admin:articles_article_change", args=[autosave.article_id])
        drafts.append(
            {
                "headline": autosave.headline or getattr(autosave.article, "headline", ""),
                "is_new": autosave.article is None,
                "saved_at": autosave.saved_at,
                "url": url,
            }
        )
    return drafts


def discard_superseded(request: HttpRequest, article: Article) -> None:
    """Delete the user's autosaves that saving `article`'s form has made obsolete: the story's,
    and that of the new story the add form kept them under."""
    Autosave.objects.filter(user=request.user).superseded_by(article, posted_key(request)).delete()


def posted_key(request: HttpRequest) -> str:
    """The key the add form posted for its autosaves, or "" for none or a malformed one."""
    try:
        return str(uuid.UUID(request.POST.get("autosave_key", "")))
    except ValueError:
        return ""
