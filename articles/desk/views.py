"""The desk's screens, one function view each: look the story up, check the user may do this
with it (403 otherwise), act, then redirect or render. urls.py puts them behind the admin's
login; the permission checks here are the same the article's admin makes."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST, require_safe

from images.models import Image

from .. import notifications, revisions, workflow
from ..forms import AutosaveForm, CommentForm, TransitionForm
from ..models import Article, Autosave, EditingSession, FrontPage, Section
from ..views import keep_private, render_front_page, render_preview
from .lists import DESK_LISTS
from .panel import other_editors, preview_picture, short_time
from .unsaved import unsaved_story

WITHDRAWN_NOT_SHARED = (
    "Sharing a preview is not possible: the story is withdrawn. Move it back to draft first."
)


def review_queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("articles.publish_article"):
        raise PermissionDenied
    queue = (
        DESK_LISTS["review"]
        .articles(Article.objects.all(), request.user)
        .with_submitted_at()
        .select_related("section")
        .with_bylines()
        .order_by(F("submitted_at").asc(nulls_first=True), "pk")
    )
    return _render(request, "review_queue.html", {"title": "Review queue", "queue": queue})


def transition(request: HttpRequest, object_id: int, name: str) -> HttpResponse:
    """The page of a workflow step that asks for a comment or a time."""
    article = _article(object_id, request.user, Article.can_be_viewed_by)
    step = workflow.TRANSITIONS.get(name)
    if step is None or not step.is_allowed_for(request.user, article):
        raise PermissionDenied
    form = TransitionForm(step, request.POST if request.method == "POST" else None)
    if form.is_valid():
        details = form.cleaned_data
        return apply_transition(
            request, article, name, details["comment"], details.get("publish_at")
        )
    context = {"title": step.label, "article": article, "transition": step, "form": form}
    return _render(request, "transition.html", context)


def transition_after_save(request: HttpRequest, article: Article) -> HttpResponse:
    """The workflow button the form was saved with: its step now, or the step's own page if
    it asks for a comment or a time."""
    name = request.POST["_transition"]
    step = workflow.TRANSITIONS.get(name)
    if step and (step.needs_comment or step.needs_time):
        return redirect("admin:articles_article_transition", article.pk, step.name)
    return apply_transition(request, article, name)


def apply_transition(
    request: HttpRequest,
    article: Article,
    name: str,
    comment: str = "",
    at: datetime | None = None,
) -> HttpResponse:
    """Take workflow step `name` and say how it went, back on the article's form."""
    try:
        change = workflow.apply(article, name, request.user, comment=comment, at=at)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _describe(change, article))
        _warn_of_missed_mentions(request, article, comment)
    return redirect("admin:articles_article_change", article.pk)


def _warn_of_missed_mentions(request: HttpRequest, article: Article, text: str) -> None:
    _, missed = notifications.mentions(article, text)
    if missed:
        names = ", ".join(f"@{name}" for name in missed)
        messages.warning(
            request,
            f"Nobody was told of {names}: there is no such user, or they may not open this story.",
        )


@require_POST
def comment(request: HttpRequest, object_id: int) -> HttpResponse:
    article = _article(object_id, request.user, Article.can_be_viewed_by)
    form = CommentForm(request.POST)
    if form.is_valid():
        text = form.cleaned_data["text"]
        with transaction.atomic():
            added = article.review_comments.create(author=request.user, text=text)
            notifications.commented(added)
        messages.success(request, "Your comment was added.")
        _warn_of_missed_mentions(request, article, text)
    else:
        messages.error(request, "An empty comment was not added.")
    form_address = reverse("admin:articles_article_change", args=[article.pk])
    return redirect(form_address + "#review-comments")


def preview(request: HttpRequest, object_id: int) -> HttpResponse:
    article = _article(object_id, request.user, Article.can_be_viewed_by)
    return render_preview(request, Article.objects.for_display().get(pk=article.pk))


def front_page_preview(request: HttpRequest, object_id: int) -> HttpResponse:
    """The front page as a layout arranges it, whether it is live, scheduled or a draft."""
    if not request.user.has_perm("articles.view_frontpage"):
        raise PermissionDenied
    layout = get_object_or_404(FrontPage.objects.with_slots(), pk=object_id)
    return render_front_page(request, layout, preview=True)


@require_POST
def live_preview(request: HttpRequest, object_id: int | None = None) -> HttpResponse:
    """The article page as the form holds it, unsaved, for the form's live preview (a new
    story's, without `object_id`). Nothing is saved."""
    article = _editable_or_new(object_id, request.user)
    story = unsaved_story(request, article, request.POST)
    if story.article.section_id is None:
        response = render(request, "articles/preview_unavailable.html")
        keep_private(response)
        return response
    return render_preview(request, story.for_display(), problems=story.problems)


@require_POST
def share_preview(request: HttpRequest, object_id: int) -> HttpResponse:
    """Make a preview link for someone without a login."""
    article = _article(object_id, request.user, Article.can_be_viewed_by)
    if article.is_withdrawn:
        messages.error(request, WITHDRAWN_NOT_SHARED)
        return redirect("admin:articles_article_change", article.pk)
    link = article.preview_links.create(
        created_by=request.user,
        expires_at=timezone.now() + timedelta(hours=settings.NEWSROOM_PREVIEW_LINK_HOURS),
    )
    address = link.get_absolute_url()
    message = format_html(
        "Share this preview link (valid until {}): <a href='{}'>{}</a>",
        short_time(link.expires_at),
        address,
        request.build_absolute_uri(address),
    )
    messages.success(request, message)
    return redirect("admin:articles_article_change", article.pk)


@require_POST
def revoke_preview_link(request: HttpRequest, object_id: int, link_id: int) -> HttpResponse:
    article = _article(object_id, request.user, Article.can_be_viewed_by)
    link = get_object_or_404(article.preview_links, pk=link_id)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    messages.success(request, "The preview link no longer opens.")
    return redirect("admin:articles_article_change", article.pk)


@require_POST
def presence(request: HttpRequest, object_id: int) -> JsonResponse:
    """The form's heartbeat: this user is editing the story; who else is?"""
    article = _article(object_id, request.user, Article.can_be_edited_by)
    EditingSession.objects.update_or_create(
        article=article, user=request.user, defaults={"last_seen_at": timezone.now()}
    )
    return JsonResponse({"others": other_editors(article, request.user)})


@require_safe
def sharing_picture(request: HttpRequest) -> JsonResponse:
    """For the form's preview: the picture a story with the social picture, lead picture and
    section the form holds would be shared with. A picture the user may not see counts as
    none, so the answer tells nothing about it."""
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    pictures = Image.objects.visible_to(request.user)
    sections = Section.objects.select_related("default_picture")
    story = Article(
        social_picture=_chosen(pictures, request.GET.get("social_picture")),
        lead_picture=_chosen(pictures, request.GET.get("lead_picture")),
        section=_chosen(sections, request.GET.get("section")),
    )
    return JsonResponse({"picture": preview_picture(story.sharing_picture())})


def _chosen(choices: QuerySet, value: str | None):
    """The object among `choices` a form field's value names; None for none or a bad value."""
    if not (value and value.isascii() and value.isdigit()):
        return None
    return choices.filter(pk=int(value)).first()


@require_POST
def autosave(request: HttpRequest, object_id: int | None = None) -> JsonResponse:
    """The form's autosave: keep what it holds for this user and story (a new story's under the
    key its add form made up). Not a change to the story: no revision, no new version."""
    article = _editable_or_new(object_id, request.user)
    form = AutosaveForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    key = str(form.cleaned_data["key"] or "") if article is None else ""
    if article is None and not key:
        errors = {"key": ["A new story's autosave needs the key its form made up."]}
        return JsonResponse({"errors": errors}, status=400)
    base_version = form.cleaned_data["base_version"]
    if base_version is None:
        base_version = article.version if article is not None else 0
    Autosave.objects.expired().delete()  # expiry holds without cron
    kept, _ = Autosave.objects.update_or_create(
        user=request.user,
        article=article,
        key=key,
        defaults={
            "content": form.cleaned_data["content"],
            "base_version": base_version,
            "saved_at": timezone.now(),
        },
    )
    return JsonResponse(
        {
            "saved_at": kept.saved_at.isoformat(),
            "saved_at_label": timezone.localtime(kept.saved_at).strftime("%H:%M"),
            "discard_url": reverse("admin:articles_article_discard_autosave", args=[kept.pk]),
        }
    )


@require_POST
def discard_autosave(request: HttpRequest, autosave_id: int) -> HttpResponse:
    """Delete one of the user's own autosaves (anyone else's is 404), then back to its form."""
    autosave = get_object_or_404(Autosave, pk=autosave_id, user=request.user)
    if autosave.article_id is None:
        form_address = reverse("admin:articles_article_add")
    else:
        form_address = reverse("admin:articles_article_change", args=[autosave.article_id])
    autosave.delete()
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"discarded": True})
    messages.success(request, "Your unsaved changes were discarded.")
    return redirect(form_address)


@require_POST
def presence_end(request: HttpRequest, object_id: int) -> HttpResponse:
    """The form's goodbye, sent as the page goes away: this user no longer edits the story.
    Allowed to whoever may still open it (the story may have left their hands meanwhile)."""
    article = _article(object_id, request.user, Article.can_be_viewed_by)
    article.editing_sessions.filter(user=request.user).delete()
    return HttpResponse(status=204)


def history(request: HttpRequest, object_id: int | str) -> HttpResponse:
    article = _article(object_id, request.user, Article.can_be_viewed_by)
    context = {
        "title": f"History: {article}",
        "article": article,
        "revisions": article.revisions.select_related("created_by"),
        "status_changes": article.status_changes.select_related("changed_by"),
        "may_restore": article.can_be_edited_by(request.user),
    }
    return _render(request, "history.html", context)


def compare(request: HttpRequest, object_id: int) -> HttpResponse:
    article = _article(object_id, request.user, Article.can_be_viewed_by)
    numbers = [request.GET.get("from"), request.GET.get("to")]
    if not all(number and number.isdigit() for number in numbers):
        messages.error(request, "Choose two revisions to compare.")
        return redirect("admin:articles_article_history", article.pk)
    old, new = (get_object_or_404(article.revisions, number=int(n)) for n in numbers)
    context = {
        "title": f"Revision {old.number} → {new.number}: {article}",
        "article": article,
        "old": old,
        "new": new,
        "comparison": revisions.compare(old.content, new.content),
        "may_restore": article.can_be_edited_by(request.user),
    }
    return _render(request, "compare.html", context)


@require_POST
def restore(request: HttpRequest, object_id: int, number: int) -> HttpResponse:
    article = _article(object_id, request.user, Article.can_be_edited_by)
    revision = get_object_or_404(article.revisions, number=number)
    try:
        restored = revisions.restore(article, revision, by=request.user)
    except ValidationError as error:
        messages.error(request, revisions.describe_restore_error(error))
        return redirect("admin:articles_article_history", article.pk)
    messages.success(
        request, f"Revision {revision.number} was restored as revision {restored.number}."
    )
    return redirect("admin:articles_article_change", article.pk)


def _article(object_id: int | str, user, allowed: Callable[[Article, object], bool]) -> Article:
    """The article, if `allowed(article, user)` says the user may do this with it: else 403,
    or 404 if there is no such article."""
    try:
        pk = int(object_id)
    except ValueError:
        raise Http404("There is no such article.") from None
    article = get_object_or_404(Article.objects.select_related("section"), pk=pk)
    if not allowed(article, user):
        raise PermissionDenied
    return article


def _editable_or_new(object_id: int | None, user) -> Article | None:
    """The article the user may edit (else 403), or None for a new story, if they may add one."""
    if object_id is not None:
        return _article(object_id, user, Article.can_be_edited_by)
    if not user.has_perm("articles.add_article"):
        raise PermissionDenied
    return None


def _render(request: HttpRequest, template: str, context: dict) -> TemplateResponse:
    """A desk screen in the admin's frame."""
    frame = {**admin.site.each_context(request), "opts": Article._meta}
    return TemplateResponse(request, f"admin/articles/article/{template}", frame | context)


def _describe(change, article: Article) -> str:
    if article.is_scheduled:
        return f"“{article}” is scheduled for {short_time(article.published_at)}."
    return f"“{article}” is now {change.get_to_status_display().lower()}."
