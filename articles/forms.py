import json
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from images.models import Image

from .blocks import picture_ids, validate_blocks
from .desk.blocks import picture_result
from .models import (
    Article,
    Revision,
    snapshot,
    validate_autosave_content,
    validate_storable_time,
)
from .reading import WORDS_PER_MINUTE
from .revisions import Comparison, compare
from .richtext import validate_keeps_text
from .widgets import NewsroomDateTimeWidget
from .workflow import Transition


class StorableSplitDateTimeField(forms.SplitDateTimeField):
    """The newsroom's date and time inputs (calendar, clock, time zone, the formats of the
    user's language), refusing a time the database cannot store."""

    widget = NewsroomDateTimeWidget
    default_validators = [validate_storable_time]


class StorableKeysMixin:
    """For choices of objects by id: an id too large for the database is an invalid choice.

    Django's lookup of one id treats such an id as matching nothing, but a query for several
    (``pk__in``, as multiple choices and the autocomplete widget make) overflows SQLite.
    """

    def is_storable_key(self, value) -> bool:
        key_field = (
            self.queryset.model._meta.get_field(self.to_field_name)
            if self.to_field_name
            else self.queryset.model._meta.pk
        )
        if not isinstance(key_field, models.IntegerField):
            return True
        try:
            number = int(str(value))
        except ValueError:
            return True  # not a number at all: the field's own checks refuse it
        low, high = connections[self.queryset.db].ops.integer_field_range(
            key_field.get_internal_type()
        )
        return (low is None or number >= low) and (high is None or number <= high)

    def refuse_unstorable_keys(self, values) -> None:
        for value in values:
            if value not in self.empty_values and not self.is_storable_key(value):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": value},
                )


class StorableModelChoiceField(StorableKeysMixin, forms.ModelChoiceField):
    def to_python(self, value):
        self.refuse_unstorable_keys([value])
        return super().to_python(value)

    def bound_data(self, data, initial):
        # Shown again with its error, the typed id would make the widget query for it.
        return data if data in self.empty_values or self.is_storable_key(data) else initial


class StorableModelMultipleChoiceField(StorableKeysMixin, forms.ModelMultipleChoiceField):
    def clean(self, value):
        if isinstance(value, list | tuple):
            self.refuse_unstorable_keys(value)
        return super().clean(value)

    def bound_data(self, data, initial):
        if not isinstance(data, list | tuple):
            return data
        return [value for value in data if self.is_storable_key(value)]


# What the admin's forms use for each kind of model field, so that every date and id a
# user can type is checked and every time is typed the newsroom's way; see
# StorableInputMixin in admin.py.
STORABLE_FORM_FIELDS = {
    models.DateTimeField: {
        "form_class": StorableSplitDateTimeField,
        "widget": NewsroomDateTimeWidget,
    },
    models.ForeignKey: {"form_class": StorableModelChoiceField},
    models.ManyToManyField: {"form_class": StorableModelMultipleChoiceField},
}


def storable_formfield_options(model_field: models.Field) -> dict:
    """The form field class (and widget) that checks typed values of `model_field`, as
    arguments of its `formfield()`; empty if it needs none."""
    return next(
        (
            options
            for kind, options in STORABLE_FORM_FIELDS.items()
            if isinstance(model_field, kind)
        ),
        {},
    )


# How many characters of a headline and a standfirst search results and social cards show
# before they cut the text off. They measure in pixels, so these are typical lengths: search
# engines show about 60 characters of a page's title and 155 of its description; social
# cards (Open Graph, X) about 70 of the title and 200 of the description. The story's page
# uses the headline as both titles and the standfirst as both descriptions.
DISPLAYED_LENGTHS = {
    "headline": {"search results": 60, "social cards": 70},
    "standfirst": {"search results": 155, "social cards": 200},
}
# The fields written in the story's language, which the browser spellchecks in it.
STORY_LANGUAGE_FIELDS = [
    "kicker",
    "headline",
    "standfirst",
    "dateline",
    "body",
    "lead_picture_caption",
]


@dataclass
class RefusedEdit:
    """An edit refused because the article changed after the form was opened: kept as a
    conflict revision, and compared with the version saved in between."""

    revision: Revision
    comparison: Comparison


class ArticleForm(forms.ModelForm):
    """The admin's article form, which refuses to save over a version it was not opened at
    and keeps the refused edit as a conflict revision."""

    # The version the editor opened; named apart from the model's non-editable field.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Who is editing, recorded with a refused edit; the admin sets it (ArticleAdmin.get_form).
    editor = None
    # Off for a form that is only read, never saved (the live preview, an autosave's
    # differences): there is then no save to refuse, and no refused edit to keep.
    checks_version = True

    class Meta:
        model = Article
        fields = [*Article.EDITORIAL_FIELDS, "translation_of", "published_at", "expires_at"]

    class Media:
        css = {"all": ["admin/articles/body_blocks.css"]}
        js = ["admin/articles/writing_aids.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_version"].initial = self.instance.version
        self.conflict: Revision | None = None
        self.has_conflict = False
        self.refused_edit: RefusedEdit | None = None
        self.keep_current_choices()
        self.add_writing_aids()
        self.add_block_tools()

    def add_block_tools(self) -> None:
        """Tell the body's blocks (body_blocks.js) where to find pictures, embeds and stories,
        the kinds of credit an upload may have, and the pictures the body already shows."""
        if "body" not in self.fields:
            return
        ids = picture_ids(self["body"].value() or "")
        shown = Image.objects.filter(pk__in=ids) if ids else []
        self.fields["body"].widget.attrs |= {
            "data-body-pictures-url": reverse("admin:articles_article_body_pictures"),
            "data-embed-url": reverse("admin:articles_article_embed"),
            "data-read-more-url": reverse("admin:articles_article_read_more"),
            "data-credit-kinds": json.dumps(
                [(value, str(label)) for value, label in Image.CreditKind.choices]
            ),
            "data-body-pictures": json.dumps([picture_result(image) for image in shown]),
        }

    def add_writing_aids(self) -> None:
        """Mark the fields writing_aids.js helps with: counters under the headline, the
        standfirst and the body, and spellchecking in the story's language."""
        for name, lengths in DISPLAYED_LENGTHS.items():
            if name in self.fields:
                self.fields[name].widget.attrs["data-displayed-lengths"] = json.dumps(lengths)
        if "body" in self.fields:
            self.fields["body"].widget.attrs["data-words-per-minute"] = WORDS_PER_MINUTE
        language = self["language"].value() if "language" in self.fields else None
        for name in STORY_LANGUAGE_FIELDS:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs |= {"data-in-story-language": "", "spellcheck": "true"}
                if language:
                    attrs["lang"] = language

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        try:
            validate_keeps_text(body)
        except ValidationError:
            return body  # the model field's own check says what is wrong
        validate_blocks(body, self.editor)
        return body

    def keep_current_choices(self) -> None:
        """Keep the saved original and pictures among the choices, even when the admin
        offers the user fewer (what they may see): a value an editor chose then shows and
        stays when the reporter saves, instead of vanishing unseen."""
        for name in ["translation_of", "lead_picture", "social_picture"]:
            field = self.fields.get(name)
            current = getattr(self.instance, f"{name}_id")
            if field is not None and current is not None:
                field.queryset = field.queryset | field.queryset.model.objects.filter(pk=current)

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None or not self.checks_version:
            return cleaned_data
        opened_at = cleaned_data.get("base_version")
        # Locked until the save commits, so that two saves cannot both pass this check.
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if opened_at != current:
            self.has_conflict = True
            self.conflict = (
                self.instance.revisions.exclude(kind=Revision.Kind.CONFLICT)
                .select_related("created_by")
                .first()
            )
            self.refused_edit = self.keep_refused_edit()
            raise forms.ValidationError(self.conflict_message(), code="conflict")
        return cleaned_data

    def keep_refused_edit(self) -> RefusedEdit:
        """Store the edit as typed as a conflict revision, and compare it with the article
        as saved now; the form then carries the current version, so that saving again is a
        deliberate choice to put the merged text over the newer one."""
        article = self.instance
        current = snapshot(Article.objects.select_related("section").get(pk=article.pk))
        refused = current | {
            name: self.data.get(name, current[name]) for name in Revision.TEXT_FIELDS
        }
        refused["tags"] = sorted(
            {name.strip() for name in self.data.get("tags", "").split(",") if name.strip()}
        )
        kept = Revision.objects.record(
            article,
            by=self.editor,
            kind=Revision.Kind.CONFLICT,
            note=f"Refused: opened at version {self.data.get('base_version')}",
            content=refused,
        )
        self.data = self.data.copy()
        self.data["base_version"] = str(kept.version)
        return RefusedEdit(kept, compare(current, refused))

    def conflict_message(self) -> str:
        if self.conflict is None:
            who, when = "Someone", "in the meantime"
        else:
            who = _full_name(self.conflict.created_by)
            when = "at " + date_format(
                timezone.localtime(self.conflict.created_at), "DATETIME_FORMAT"
            )
        return (
            f"{who} saved this article {when}, after you opened it. Your changes were not "
            "saved, so that theirs are not lost. Your text is still in the form and kept as a "
            "conflict revision; compare it below, merge what you need, and save again."
        )


class RelatedStoryForm(forms.ModelForm):
    """One related story on the article form: a story readers see (the choices the admin
    offers), or the one this row holds already, so that a pick withdrawn since still shows
    and can be removed rather than making the whole form invalid."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("related")
        current = self.instance.related_id
        if field is not None and current is not None:
            field.queryset = field.queryset | Article.objects.filter(pk=current)

    def clean(self):
        cleaned_data = super().clean()
        # The inline sets the article itself, so the model's own check of this constraint
        # leaves the pair out.
        related = cleaned_data.get("related")
        if related is not None and related.pk == self.instance.article_id:
            raise forms.ValidationError(
                {"related": "A story cannot be related to itself."}, code="itself"
            )
        return cleaned_data


def _full_name(user) -> str:
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


class TransitionForm(forms.Form):
    """The details one workflow step asks for: a comment, a time, or neither."""

    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    publish_at = StorableSplitDateTimeField(label="Publication time", required=False)

    def __init__(self, transition: Transition, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        self.fields["comment"].label = transition.comment_label
        self.fields["comment"].required = transition.needs_comment
        if not transition.needs_time:
            del self.fields["publish_at"]
        else:
            self.fields["publish_at"].required = True
            self.fields["publish_at"].help_text = "The story goes live by itself at this time."

    def clean_publish_at(self):
        publish_at = self.cleaned_data["publish_at"]
        if publish_at and publish_at <= timezone.now():
            raise forms.ValidationError("Choose a time in the future.")
        return publish_at


class CommentForm(forms.Form):
    """A review comment. On the article form its field sits inside the article's form but
    belongs to a form of its own (the `form` attribute), since forms can't nest."""

    text = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3, "form": "review-comment-form"}),
        max_length=5000,
        help_text="Type @ and a username to tell a colleague.",
    )


class AutosaveForm(forms.Form):
    """What the article form's script sends to keep unsaved typing (see desk.views.autosave)."""

    content = forms.JSONField(validators=[validate_autosave_content])
    base_version = forms.IntegerField(min_value=0, required=False)
    # A story never saved: the key its add form made up, under which its autosaves are kept.
    key = forms.UUIDField(required=False)
