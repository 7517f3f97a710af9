"""Bulk actions on the article list: submit or publish the selected stories, add or remove a
tag, move them to a section.

A confirmation page lists, story by story, what will change and what won't, and why. Then each
story is checked again on its own, as the single actions check it, and changed through the same
operations: `workflow.apply()` for a step (recorded as a status change, those who need to know
told) and `save_story()` for tags and sections (recorded as a revision, search refreshed).
Selecting a story the user may not open is a forged request: 403, and nothing changes.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from .. import workflow
from ..editing import save_story
from ..forms import StorableModelChoiceField
from ..models import Article, Section, Tag

Status = Article.Status


@dataclass(frozen=True)
class Outcome:
    """What a bulk action does to one story: `change`, or nothing because of `refusal`."""

    article: Article
    change: str = ""
    refusal: str = ""


class BulkAction:
    """One action of the article list. `check()` says what it would do to a story (nothing
    changed), `apply()` does it; `form` asks for what the action needs (a tag, a section)."""

    name: str
    label: str
    verb: str
    permission: str = "change"
    form: type[forms.Form] | None = None

    def check(self, article: Article, user, choice) -> Outcome:
        raise NotImplementedError

    def apply(self, article: Article, user, choice) -> None:
        raise NotImplementedError

    def make_form(self, articles: list[Article], data=None) -> forms.Form | None:
        return self.form(data) if self.form else None


class Step(BulkAction):
    """A workflow step, taken on each story where the workflow allows it for this user."""

    def __init__(self, step: str, label: str, verb: str, permission: str = "change") -> None:
        self.name = f"{step}_selected"
        self.step = workflow.TRANSITIONS[step]
        self.label, self.verb, self.permission = label, verb, permission

    def check(self, article: Article, user, choice) -> Outcome:
        if not self.step.applies_to(article):
            return Outcome(article, refusal=_state(article, self.step.target))
        if not self.step.is_allowed_for(user, article):
            if self.permission == "publish":
                return Outcome(article, refusal="you may not publish stories")
            return Outcome(article, refusal=_why_not_editable(article, user))
        target = Status(self.step.target).label
        return Outcome(article, change=f"{article.get_status_display()} → {target}")

    def apply(self, article: Article, user, choice) -> None:
        workflow.apply(article, self.step.name, user)


class TagForm(forms.Form):
    tag = forms.CharField(max_length=100, help_text="An existing tag or a new one.")

    def clean_tag(self) -> str:
        name = " ".join(self.cleaned_data["tag"].split())
        if "," in name:
            raise ValidationError("One tag at a time: a tag's name can't hold a comma.")
        return name


class AddTag(BulkAction):
    name = "add_tag"
    label = "Add a tag to the selected stories"
    verb = "Add the tag to"
    form = TagForm

    def check(self, article: Article, user, choice: str) -> Outcome:
        if not article.can_be_edited_by(user):
            return Outcome(article, refusal=_why_not_editable(article, user))
        if choice in {tag.name for tag in article.tags.all()}:
            return Outcome(article, refusal=f"already tagged “{choice}”")
        return Outcome(article, change=f"tagged “{choice}”")

    def apply(self, article: Article, user, choice: str) -> None:
        tags = [*article.tags.all(), choice]
        save_story(article, tags=tags, by=user, note=f"Tag “{choice}” added to several stories")


class RemoveTag(BulkAction):
    name = "remove_tag"
    label = "Remove a tag from the selected stories"
    verb = "Remove the tag from"

    def make_form(self, articles: list[Article], data=None) -> forms.Form:
        form = forms.Form(data)
        carried = Tag.objects.filter(tagged_articles__content_object__in=articles).distinct()
        form.fields["tag"] = StorableModelChoiceField(carried, help_text="A tag they carry.")
        return form

    def check(self, article: Article, user, choice: Tag) -> Outcome:
        if not article.can_be_edited_by(user):
            return Outcome(article, refusal=_why_not_editable(article, user))
        if choice not in article.tags.all():
            return Outcome(article, refusal=f"not tagged “{choice}”")
        return Outcome(article, change=f"“{choice}” removed")

    def apply(self, article: Article, user, choice: Tag) -> None:
        tags = [tag for tag in article.tags.all() if tag != choice]
        save_story(article, tags=tags, by=user, note=f"Tag “{choice}” removed from several stories")


class SectionForm(forms.Form):
    section = StorableModelChoiceField(Section.objects.all())


class MoveToSection(BulkAction):
    name = "move_to_section"
    label = "Move the selected stories to a section"
    verb = "Move"
    form = SectionForm

    def check(self, article: Article, user, choice: Section) -> Outcome:
        if not article.can_be_edited_by(user):
            return Outcome(article, refusal=_why_not_editable(article, user))
        if article.section_id == choice.pk:
            return Outcome(article, refusal=f"already in {choice}")
        if Article.objects.filter(section=choice, slug=article.slug).exists():
            return Outcome(article, refusal=f"another story in {choice} has the same address")
        return Outcome(article, change=f"{article.section} → {choice}")

    def apply(self, article: Article, user, choice: Section) -> None:
        article.section = choice
        save_story(article, by=user, note=f"Moved to {choice} with several stories")


ACTIONS = [
    Step("submit", "Submit the selected stories for review", "Submit"),
    Step("publish", "Publish the selected stories now", "Publish", permission="publish"),
    AddTag(),
    RemoveTag(),
    MoveToSection(),
]


def respond(
    request: HttpRequest, queryset: QuerySet, action: BulkAction
) -> TemplateResponse | None:
    """The admin action `action` on the stories the article list selected: its confirmation
    page, or once confirmed, the action done (None: the admin goes back to the list)."""
    articles = _selected(request, queryset)
    form = action.make_form(articles, request.POST if _asked(request) else None)
    choice = None
    if form is not None:
        if not form.is_valid():
            return _page(request, action, articles, form, outcomes=None)
        (choice,) = form.cleaned_data.values()  # each action asks for one thing
    if "apply" not in request.POST:
        outcomes = [action.check(article, request.user, choice) for article in articles]
        return _page(request, action, articles, form, outcomes)
    done, refused = [], []
    for article in articles:
        outcome = action.check(article, request.user, choice)
        if outcome.refusal:
            refused.append(f"“{article}” ({outcome.refusal})")
            continue
        try:
            action.apply(article, request.user, choice)
        except (ValidationError, PermissionDenied, IntegrityError) as error:
            reason = " ".join(getattr(error, "messages", [])) or "it changed meanwhile"
            refused.append(f"“{article}” ({reason})")
        else:
            done.append(f"“{article}”")
    if done:
        messages.success(request, f"{action.verb} {_stories(len(done))}: {', '.join(done)}.")
    if refused:
        messages.warning(request, f"Not changed: {', '.join(refused)}.")
    return None


def admin_action(action: BulkAction) -> Callable:
    """`action` as an action of the article list, offered to those with its permission."""

    def run(model_admin, request, queryset):
        return respond(request, queryset, action)

    run.__name__ = action.name
    return admin.action(description=action.label, permissions=[action.permission])(run)


def is_forged_selection(request: HttpRequest) -> bool:
    """Whether the list's selection holds anything but ids the database can hold (which
    Django's handling of actions would meet with a server error)."""
    keys = StorableModelChoiceField(Article.objects.all())
    return not all(
        value.isdigit() and keys.is_storable_key(value)
        for value in request.POST.getlist(ACTION_CHECKBOX_NAME)
    )


def _selected(request: HttpRequest, queryset: QuerySet) -> list[Article]:
    """The selected stories, fresh from the database; 403 if any is one the user may not open
    (only a forged request selects those)."""
    ids = request.POST.getlist(ACTION_CHECKBOX_NAME)
    if request.POST.get("select_across") != "1":
        chosen = Article.objects.filter(pk__in=ids)
        if chosen.exclude(pk__in=Article.objects.visible_to(request.user)).exists():
            raise PermissionDenied
        queryset = chosen
    return list(queryset.select_related("section").prefetch_related("tags").order_by("pk"))


def _asked(request: HttpRequest) -> bool:
    """Whether the form of the action's page was sent (not yet: the list's action button)."""
    return "choose" in request.POST or "apply" in request.POST


def _page(request, action, articles, form, outcomes) -> TemplateResponse:
    context = {
        **admin.site.each_context(request),
        "opts": Article._meta,
        "title": action.label,
        "action": action,
        "articles": articles,
        "form": form,
        "outcomes": outcomes,
        "changing": [outcome for outcome in outcomes or [] if not outcome.refusal],
        "refused": [outcome for outcome in outcomes or [] if outcome.refusal],
        "selected_name": ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/articles/article/bulk_action.html", context)


def _state(article: Article, target: str) -> str:
    if article.status == target:
        return "already scheduled" if article.is_scheduled else f"already {_status(article)}"
    return f"it is {_status(article)}"


def _why_not_editable(article: Article, user) -> str:
    if not article.is_owned_by(user):
        return "not your story"
    return f"it is {_status(article)}: only editors change it now"


def _status(article: Article) -> str:
    return article.get_status_display().lower()


def _stories(count: int) -> str:
    return f"{count} {'story' if count == 1 else 'stories'}"
