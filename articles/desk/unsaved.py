"""A story as its form holds it, before it is saved: the live preview shows it as readers would,
and an autosave is compared with the saved story through it.

It is built by the article admin's own form and inlines, so the fields, the choices offered
(what this user may pick) and the checks are those of the form itself; but nothing is saved,
and a draft that could not be saved yet (no author, a bad link) still shows what it can, with
what saving would refuse listed as problems.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.forms import BaseForm, BaseFormSet
from django.http import HttpRequest, QueryDict
from django.utils.text import capfirst, slugify

from ..models import (
    PREFETCHED_BYLINES,
    Article,
    Author,
    Autosave,
    Byline,
    Citation,
    Correction,
    Tag,
    story_content,
)
from ..richtext import sanitize_html

# The stand-in id of a story never saved, while its page is rendered: Django reads a relation
# (the bylines, citations and tags the form holds) only for an object with an id. Never saved.
UNSAVED_ID = 0
# The address a story gets in its preview while it has no slug of its own yet.
UNSAVED_SLUG = "untitled"


@dataclass
class UnsavedStory:
    """The story with the typed fields and parts; `problems` are what saving would refuse, as
    "Field: message"."""

    article: Article
    authors: list[Author]
    citations: list[Citation]
    tags: list[str]
    corrections: list[Correction]
    problems: list[str]

    def content(self) -> dict:
        """Its editorial content, as a revision keeps it (see `snapshot()`)."""
        return story_content(self.article, self.authors, self.citations, self.tags)

    def for_display(self) -> Article:
        """The article as the article page reads it: its relations hold the typed parts."""
        article = self.article
        if article.pk is None:
            article.pk = UNSAVED_ID
            article.has_translations = False
        article.slug = article.slug or slugify(article.headline) or UNSAVED_SLUG
        bylines = [
            Byline(author=author, position=position) for position, author in enumerate(self.authors)
        ]
        setattr(article, PREFETCHED_BYLINES, bylines)  # what ordered_authors() reads first
        article._prefetched_objects_cache = {
            "bylines": bylines,
            "citations": self.citations,
            "tags": _tag_objects(self.tags),
            "corrections": self.corrections,
        }
        return article


def unsaved_story(request: HttpRequest, article: Article | None, data: QueryDict) -> UnsavedStory:
    """The story `data` (the form's fields as posted) makes of `article`, or of a new story,
    for `request.user`; `article` itself is left as it is."""
    model_admin = admin.site.get_model_admin(Article)
    draft = (
        Article.objects.for_display().get(pk=article.pk)
        if article is not None
        else Article(created_by=request.user)
    )
    form_class = model_admin.get_form(request, article, change=article is not None)
    form_class.checks_version = False
    form = form_class(data, instance=draft)
    formsets = {}
    for formset_class, inline in model_admin.get_formsets_with_inlines(request, article):
        formsets[inline.model] = formset_class(
            data,
            instance=draft,
            prefix=formset_class.get_default_prefix(),
            queryset=inline.get_queryset(request),
        )
    problems = _problems(form, formsets.values())  # validates, which fills in `draft`
    if "body" in form.errors:  # shown as far as saving would keep it, not as saved before
        draft.body = form.data.get("body", draft.body)
    draft.body = sanitize_html(draft.body)
    bylines = _typed_rows(formsets[Byline]) if Byline in formsets else None
    citations = _typed_rows(formsets[Citation]) if Citation in formsets else None
    corrections = _typed_rows(formsets[Correction]) if Correction in formsets else None
    return UnsavedStory(
        article=draft,
        authors=[row.author for row in bylines]
        if bylines is not None
        else _saved(draft, Article.ordered_authors),
        citations=citations if citations is not None else _saved(draft, _saved_citations),
        tags=form.cleaned_data["tags"]
        if "tags" in form.cleaned_data
        else _saved(draft, _saved_tags),
        corrections=sorted(
            corrections if corrections is not None else _saved(draft, _saved_corrections),
            key=lambda correction: correction.created_at,
            reverse=True,
        ),
        problems=problems,
    )


def typed_fields(autosave: Autosave) -> QueryDict:
    """An autosave's fields as the form would post them."""
    data = QueryDict(mutable=True)
    for name, values in autosave.content["fields"].items():
        data.setlist(name, values)
    return data


def _typed_rows(formset: BaseFormSet) -> list:
    """The rows of an inline the form would keep, as typed, in their order: not marked for
    deletion, not left empty; a row with an error is left out (and listed as a problem)."""
    rows = [
        row.instance
        for row in formset.forms
        if row.is_valid()
        and not row.cleaned_data.get("DELETE")
        and (row.instance.pk or row.has_changed())
    ]
    return sorted(rows, key=lambda row: getattr(row, "position", 0))


def _problems(form: BaseForm, formsets) -> list[str]:
    problems = _form_problems(form)
    for formset in formsets:
        formset.is_valid()
        problems += list(formset.non_form_errors())
        for row in formset.forms:
            problems += _form_problems(row)
    return problems


def _form_problems(form: BaseForm) -> list[str]:
    return [
        " ".join(errors)
        if name == "__all__"
        else f"{capfirst(form.fields[name].label or name)}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    ]


def _saved(article: Article, parts) -> list:
    """`parts(article)`, or none for a story never saved."""
    return parts(article) if article.pk is not None else []


def _saved_citations(article: Article) -> list[Citation]:
    return list(article.citations.all())


def _saved_tags(article: Article) -> list[str]:
    return [tag.name for tag in article.tags.all()]


def _saved_corrections(article: Article) -> list[Correction]:
    return list(article.corrections.all())


def _tag_objects(names: list[str]) -> list[Tag]:
    """Tags by name, in name order: the existing ones, and new ones as they would be made."""
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return [
        existing.get(name) or Tag(name=name, slug=Tag().slugify(name)) for name in sorted(names)
    ]
