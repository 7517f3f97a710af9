from axes.utils import reset as reset_failed_logins
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Subquery
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from taggit.managers import TaggableManager
from taggit.models import Tag as TaggitTag

from images.models import Image, allowed_ratio
from newsroom.admin_site import BoundedDateDrillDown

from . import notifications
from .desk import bulk, merging
from .desk import urls as desk_urls
from .desk import views as desk
from .desk.autosaves import autosave_context, discard_superseded
from .desk.lists import DeskFilter
from .desk.panel import article_panel, sharing_preview_context, short_time
from .editing import save_story
from .forms import ArticleForm, RelatedStoryForm, storable_formfield_options
from .models import (
    RELATED_STORIES_SHOWN,
    Article,
    Author,
    AuthorLink,
    Byline,
    Citation,
    Correction,
    FrontPage,
    Page,
    Publication,
    RelatedStory,
    Section,
    SectionBlock,
    Source,
    Tag,
    TopStory,
)
from .widgets import TagAutocompleteWidget

# Articles use the newsroom's own tag model; the stock one would be an empty, confusing screen.
admin.site.unregister(TaggitTag)

# A link typed without a scheme ("www.ft.com") means https://, as it will from Django 6.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class StorableInputMixin:
    """Checks every date and id typed into an admin screen against what the database can
    store, so that a value out of range is an error on its field rather than a server error."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        kwargs = storable_formfield_options(db_field) | kwargs
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class NamedCellsFormSet(BaseInlineFormSet):
    """The rows of a tabular inline, each input named after its column: a table cell has a
    column header rather than a label, which screen readers don't announce for an input."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for field in form.fields.values():
            # The input itself, inside the admin's wrapper with the add and change links.
            widget = getattr(field.widget, "widget", field.widget)
            if not widget.is_hidden:
                widget.attrs.setdefault("aria-label", capfirst(field.label or ""))


class ArticlePartInline(StorableInputMixin, admin.TabularInline):
    """Parts of an article (bylines, citations): whoever may edit the article may edit them."""

    formset = NamedCellsFormSet
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # save_story() replaces the parts a form holds; one the user may only see stays as it
        # is, whatever the request says (see _story_parts()).
        formset.may_change = self.has_change_permission(request, obj)
        return formset

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(getattr(formfield, "widget", None), RelatedFieldWidgetWrapper):
            # A row picks an author or a source; deleting one is a job for its own screen.
            formfield.widget.can_delete_related = False
        return formfield

    def has_view_permission(self, request, obj=None):
        return obj.can_be_viewed_by(request.user) if obj else self._may_add_article(request)

    def has_add_permission(self, request, obj=None):
        return obj.can_be_edited_by(request.user) if obj else self._may_add_article(request)

    has_change_permission = has_delete_permission = has_add_permission

    def _may_add_article(self, request) -> bool:
        return request.user.has_perm("articles.add_article")


class BylineInline(ArticlePartInline):
    model = Byline
    fields = ["position", "author"]
    autocomplete_fields = ["author"]
    min_num = 1
    verbose_name = "author"
    verbose_name_plural = "Byline (in order)"

    def get_formset(self, request, obj=None, **kwargs):
        # min_num alone only sets how many blank rows show; this makes the server insist.
        kwargs["validate_min"] = True
        return super().get_formset(request, obj, **kwargs)


class CitationInline(ArticlePartInline):
    model = Citation
    formfield_overrides = HTTPS_URL_FIELDS
    fields = ["position", "source", "note", "url"]
    autocomplete_fields = ["source"]
    verbose_name = "cited source"
    verbose_name_plural = "Sources (in order)"


class RelatedStoryInline(ArticlePartInline):
    """The related stories editors pick, among published ones; reporters see them read-only."""

    model = RelatedStory
    fk_name = "article"
    form = RelatedStoryForm
    fields = ["position", "related", "is_shown"]
    readonly_fields = ["is_shown"]
    autocomplete_fields = ["related"]
    max_num = RELATED_STORIES_SHOWN
    verbose_name_plural = (
        f"Related stories (in order; the automatic choice fills the {RELATED_STORIES_SHOWN} "
        "places left)"
    )

    def has_add_permission(self, request, obj=None):
        may_pick = request.user.has_perm("articles.edit_any_article")
        return may_pick and super().has_add_permission(request, obj)

    has_change_permission = has_delete_permission = has_add_permission

    def get_formset(self, request, obj=None, **kwargs):
        # max_num alone only limits the rows the form shows. (Without the right to add, the
        # admin makes max_num 0; the rows shown are then read-only and never saved.)
        kwargs["validate_max"] = self.has_add_permission(request, obj)
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("related")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "related":
            articles = self.admin_site.get_model_admin(Article)
            kwargs["queryset"] = articles.get_choices_queryset(request, db_field)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "related":
            # A pick is a published story: no story is added or changed from here.
            widget = formfield.widget
            widget.can_add_related = widget.can_change_related = widget.can_delete_related = False
        return formfield

    @admin.display(boolean=True, description="Shown to readers")
    def is_shown(self, pick: RelatedStory) -> bool | None:
        # A pick withdrawn since stays on the form, unseen, until someone removes it.
        return pick.related.is_published if pick.related_id else None


class CorrectionInline(StorableInputMixin, admin.StackedInline):
    model = Correction
    fields = ["kind", "text", "created_at"]
    extra = 0
    verbose_name_plural = (
        "Corrections, updates and clarifications (shown at the foot, newest first)"
    )

    def has_delete_permission(self, request, obj=None):
        return False  # corrections stay on the record


class MergeDuplicatesMixin:
    """The "Merge…" action for objects entered twice: a page of its own asks which to keep
    (desk/merging.py), and the QuerySet's `merge_into()` rewrites every story's reference."""

    actions = ["merge_selected"]

    @admin.action(
        description="Merge the selected %(verbose_name_plural)s into one…", permissions=["merge"]
    )
    def merge_selected(self, request, chosen):
        address = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_merge")
        ids = list(chosen.values_list("pk", flat=True))
        return redirect(f"{address}?{urlencode({'ids': ids}, doseq=True)}")

    def has_merge_permission(self, request) -> bool:
        """Merging changes the one kept and deletes the others: editors may, reporters not."""
        return all(
            request.user.has_perm(f"{self.opts.app_label}.{action}_{self.opts.model_name}")
            for action in ["change", "delete"]
        )

    def get_urls(self):
        def merge(request):
            return merging.merge(request, self)

        name = f"{self.opts.app_label}_{self.opts.model_name}_merge"
        return [path("merge/", self.admin_site.admin_view(merge), name=name), *super().get_urls()]


# What the form's collapsed "Record" shows: set by the site, never typed.
RECORD_FIELDS = ["external_id", "created_by", "created_at", "updated_at"]


# The article list's columns


@admin.display(description="Status", ordering="status")
def status_detail(article: Article) -> str:
    parts = [
        f"Scheduled for {short_time(article.published_at)}"
        if article.is_scheduled
        else article.get_status_display()
    ]
    if article.expires_at and article.status == Article.Status.PUBLISHED:
        verb = "Expired" if article.has_expired else "Expires"
        parts.append(f"{verb} {short_time(article.expires_at)}")
    return " · ".join(parts)


@admin.display(boolean=True, description="Live")
def is_published(article: Article) -> bool:
    return article.is_published


@admin.display(description="Authors")
def byline(article: Article) -> str:
    return ", ".join(author.name for author in article.ordered_authors())


@admin.register(Article)
class ArticleAdmin(StorableInputMixin, BoundedDateDrillDown, admin.ModelAdmin):
    """The article list and form; the desk's screens are views of their own (articles/desk/)."""

    form = ArticleForm
    list_display = [
        "headline",
        status_detail,
        is_published,
        "section",
        byline,
        "published_at",
        "updated_at",
    ]
    list_filter = [DeskFilter, "status", "section", "authors", "type_of_work", "language"]
    actions = [bulk.admin_action(action) for action in bulk.ACTIONS]
    list_select_related = ["section"]
    # Filtered, the list says "N results" without counting every story again ("N total").
    show_full_result_count = False
    search_fields = ["headline", "standfirst"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["lead_picture", "translation_of", "social_picture"]
    formfield_overrides = {TaggableManager: {"widget": TagAutocompleteWidget}}
    inlines = [BylineInline, CitationInline, RelatedStoryInline, CorrectionInline]
    fieldsets = [
        (None, {"fields": [*Article.STORY_TEXT, "base_version"]}),
        ("Lead picture", {"fields": [*Article.STORY_PICTURE, "lead_picture_preview"]}),
        ("Placement", {"fields": [*Article.STORY_PLACEMENT, "translation_of"]}),
        (
            "Search and social",
            {
                "classes": ["collapse"],
                "fields": [*Article.STORY_SEARCH_AND_SOCIAL, "sharing_preview"],
            },
        ),
        ("Publishing", {"fields": ["status", "published_at", "expires_at"]}),
        ("Record", {"classes": ["collapse"], "fields": RECORD_FIELDS}),
    ]

    # Permissions: model-level for lists and the add form, object-level for one article.

    def has_view_permission(self, request, obj=None):
        return obj.can_be_viewed_by(request.user) if obj else super().has_view_permission(request)

    def has_change_permission(self, request, obj=None):
        return obj.can_be_edited_by(request.user) if obj else super().has_change_permission(request)

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("articles.publish_article")

    def response_action(self, request, queryset):
        if bulk.is_forged_selection(request):
            return HttpResponseBadRequest("Choose stories from the list.")
        return super().response_action(request, queryset)

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).with_bylines()

    def get_object(self, request, object_id, from_field=None):
        # Look beyond get_queryset(): someone else's article is then refused with 403 by the
        # object-level permission, not mistaken for one that doesn't exist.
        try:
            return Article.objects.filter(pk=int(object_id)).first()
        except (TypeError, ValueError):
            return None

    # The form

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.editor = request.user  # a class made for this request
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only, the body shows as the formatted text rather than its HTML source.
        return [
            (name, {**options, "fields": [_readable(field) for field in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BylineInline) and obj._state.adding and request.method != "POST":
            # A new story's byline starts with its writer, if they are an author. Not when
            # posted: compared with this initial value, an unchanged row would count as left
            # empty and not be saved.
            author = Author.objects.filter(user=request.user).first()
            if author is not None:
                kwargs["initial"] = [{"author": author.pk}]
        return kwargs

    def get_inlines(self, request, obj):
        # Corrections belong to stories readers have seen.
        if obj is not None and obj.status in {Article.Status.PUBLISHED, Article.Status.UNPUBLISHED}:
            return self.inlines
        return [inline for inline in self.inlines if inline is not CorrectionInline]

    def get_readonly_fields(self, request, obj=None):
        readonly = [
            "status",
            *RECORD_FIELDS,
            "body_text",
            "lead_picture_preview",
            "sharing_preview",
        ]
        if not request.user.has_perm("articles.publish_article"):
            readonly += ["published_at", "expires_at"]
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer and accept only what the user may see; the autocomplete searches the same.
        if db_field.name == "translation_of":
            kwargs["queryset"] = self.get_choices_queryset(request, db_field)
        elif db_field.name in {"lead_picture", "social_picture"}:
            kwargs["queryset"] = Image.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_choices_queryset(self, request, field=None):
        """The articles the user may choose in a form's `field`: more than they may open, since
        the headlines of published stories are no secret (see newsroom/admin_site.py); as a
        related story, only a published one, since readers see nothing else there."""
        if field is not None and field.model is RelatedStory:
            return Article.objects.published()
        return Article.objects.readable_by(request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(article_panel(request, obj))
        if obj is None:
            may_edit = self.has_add_permission(request)
        else:
            may_edit = self.has_change_permission(request, obj)
        if may_edit:  # the form's autosave and live preview
            context.update(autosave_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Read-only fields

    @admin.display(description="Preview")
    def lead_picture_preview(self, article: Article) -> str:
        return picture_preview(article.lead_picture, "16:9")

    @admin.display(description="Preview")
    def sharing_preview(self, article: Article) -> str:
        return render_to_string(
            "admin/articles/article/_sharing_preview.html", sharing_preview_context(article)
        )

    @admin.display(description="Body")
    def body_text(self, article: Article) -> str:
        return mark_safe(article.body)  # noqa: S308 - sanitized when saved

    def view_on_site(self, article: Article) -> str | None:
        return article.get_absolute_url() if article.is_published else None

    # Saving: the story with its bylines, citations and tags in one save_story(), which
    # records the revision; workflow buttons act once the edits are saved.

    def save_model(self, request, article, form, change):
        if not change:
            article.created_by = request.user
        # The row is saved in save_related(), together with its parts.

    def save_related(self, request, form, formsets, change):
        parts = {formset.model: formset for formset in formsets}
        save_story(form.instance, **_story_parts(form, parts), by=request.user)
        discard_superseded(request, form.instance)  # what was kept unsaved is saved now
        if Correction in parts:
            self.save_formset(request, form, parts[Correction], change)

    def save_formset(self, request, form, formset, change):
        for correction in formset.save(commit=False):
            is_new = correction._state.adding
            if correction.created_by_id is None:
                correction.created_by = request.user
            correction.save()
            if is_new:
                notifications.corrected(correction, request.user)
        formset.save_m2m()

    def response_add(self, request, article, post_url_continue=None):
        if request.POST.get("_transition"):
            return desk.transition_after_save(request, article)
        return super().response_add(request, article, post_url_continue)

    def response_change(self, request, article):
        if request.POST.get("_transition"):
            return desk.transition_after_save(request, article)
        return super().response_change(request, article)

    # The desk's screens

    def get_urls(self):
        return desk_urls.urlpatterns(self.admin_site) + super().get_urls()

    def history_view(self, request, object_id, extra_context=None):
        return desk.history(request, object_id)


def _readable(field: str) -> str:
    return "body_text" if field == "body" else field


def _story_parts(form: ArticleForm, parts: dict[type, BaseInlineFormSet]) -> dict:
    """The bylines' authors, the citations, the tags and the picked related stories the form
    and its inlines hold, for save_story(); a part the form lacks, or the user may only see,
    stays as it is."""

    def kept(model: type) -> list[models.Model] | None:
        if (formset := parts.get(model)) is None:
            return None
        rows = _kept_rows(formset)  # also what the admin's change message reads
        return rows if formset.may_change else None

    bylines, picks = kept(Byline), kept(RelatedStory)
    return {
        "authors": None if bylines is None else [byline.author for byline in bylines],
        "citations": kept(Citation),
        "tags": form.cleaned_data.get("tags"),
        "related": None if picks is None else [pick.related for pick in picks],
    }


def _kept_rows(formset: BaseInlineFormSet) -> list[models.Model]:
    """The rows an inline formset keeps (not deleted, not left empty), in position order.

    Nothing is written: `save(commit=False)` only prepares the rows and the admin's record of
    what changed; save_story() stores them with the article.
    """
    formset.save(commit=False)
    kept = [
        form.instance
        for form in formset.forms
        if form not in formset.deleted_forms and (form.instance.pk or form.has_changed())
    ]
    return sorted(kept, key=lambda row: row.position)


def picture_preview(image, ratio: str) -> str:
    """A small crop of `image` as readers will see it, for the admin forms."""
    if image is None:
        return "—"
    crop = allowed_ratio(ratio)
    return format_html(
        '<img src="{}" width="320" alt="{}" class="picture-preview">',
        image.rendition_url(crop, min(image.rendition_widths(crop)), "jpg"),
        image.alt_text,
    )


@admin.register(Section)
class SectionAdmin(StorableInputMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position", "lead_story"]
    list_editable = ["position"]
    list_select_related = ["parent", "lead_story"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    # The lead story's choices: published and scheduled stories (its limit_choices_to).
    autocomplete_fields = ["default_picture", "lead_story"]
    readonly_fields = ["default_picture_preview"]
    fields = [
        "name",
        "slug",
        "description",
        "parent",
        "position",
        "lead_story",
        "default_picture",
        "default_picture_preview",
    ]

    @admin.display(description="Preview")
    def default_picture_preview(self, section: Section) -> str:
        return picture_preview(section.default_picture, "16:9")


class FrontPagePartInline(StorableInputMixin, admin.TabularInline):
    """Parts of a front page layout: whoever may change the layout may change them."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_frontpage") or self.has_change_permission(
            request, obj
        )

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("articles.change_frontpage") or (
            obj is None and request.user.has_perm("articles.add_frontpage")
        )

    has_change_permission = has_delete_permission = has_add_permission


class TopStoryInline(FrontPagePartInline):
    model = TopStory
    fields = ["position", "article"]
    # Published and scheduled stories only (the field's limit_choices_to).
    autocomplete_fields = ["article"]
    verbose_name_plural = "Top stories (in order: the first leads the page)"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "article":
            # Stories are written and changed on their own form, not from a layout.
            formfield.widget.can_add_related = formfield.widget.can_change_related = False
        return formfield


class SectionBlockInline(FrontPagePartInline):
    model = SectionBlock
    fields = ["position", "section", "story_count"]
    verbose_name_plural = "Section blocks (in order)"


@admin.register(FrontPage)
class FrontPageAdmin(StorableInputMixin, admin.ModelAdmin):
    """Layouts of the home page: the newest whose go-live time has passed is live."""

    list_display = ["__str__", "goes_live_at", "state", "preview_link"]
    search_fields = ["name"]
    date_hierarchy = "goes_live_at"
    inlines = [TopStoryInline, SectionBlockInline]
    fieldsets = [
        (None, {"fields": ["name", "goes_live_at"]}),
        (
            "How many stories",
            {"fields": ["top_story_count", "commentary_count", "latest_count"]},
        ),
    ]

    def get_queryset(self, request):
        live = FrontPage.objects.gone_live().values("pk")[:1]
        return super().get_queryset(request).annotate(live_pk=Subquery(live))

    @admin.display(description="State")
    def state(self, layout: FrontPage) -> str:
        if layout.goes_live_at is None:
            return "Draft"
        if layout.is_scheduled:
            return "Scheduled"
        return "Live" if layout.pk == layout.live_pk else "Replaced"

    @admin.display(description="Preview")
    def preview_link(self, layout: FrontPage) -> str:
        address = reverse("admin:articles_frontpage_preview", args=[layout.pk])
        return format_html('<a href="{}">Preview this layout</a>', address)

    def get_urls(self):
        preview = path(
            "<int:object_id>/preview/",
            self.admin_site.admin_view(desk.front_page_preview),
            name="articles_frontpage_preview",
        )
        return [preview, *super().get_urls()]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """The one row of settings for the whole site; its list opens the row itself."""

    autocomplete_fields = ["default_picture"]
    readonly_fields = ["default_picture_preview"]
    fields = ["default_picture", "default_picture_preview"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Publication.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        publication = Publication.objects.first()
        if publication is None:
            return redirect("admin:articles_publication_add")
        return redirect("admin:articles_publication_change", publication.pk)

    @admin.display(description="Preview")
    def default_picture_preview(self, publication: Publication) -> str:
        return picture_preview(publication.default_picture, "16:9")


class AuthorLinkInline(StorableInputMixin, admin.TabularInline):
    model = AuthorLink
    formfield_overrides = HTTPS_URL_FIELDS
    fields = ["position", "label", "url"]
    extra = 0


@admin.register(Author)
class AuthorAdmin(MergeDuplicatesMixin, StorableInputMixin, admin.ModelAdmin):
    list_display = ["name", "initials", "job_title", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "initials", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user", "photo"]
    readonly_fields = ["photo_preview"]
    fields = ["name", "slug", "initials", "job_title", "bio", "photo", "photo_preview", "user"]
    inlines = [AuthorLinkInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "photo":
            kwargs["queryset"] = Image.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Preview")
    def photo_preview(self, author: Author) -> str:
        return picture_preview(author.photo, "1:1")


@admin.register(Source)
class SourceAdmin(MergeDuplicatesMixin, StorableInputMixin, admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "kind", "homepage_url"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(MergeDuplicatesMixin, StorableInputMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "slug":
            # A name such as "🔥" leaves the prefilled slug empty; saving then makes one.
            formfield.required = False
            formfield.help_text = "The tag's address: /tag/slug/. Leave empty to make one."
        return formfield


@admin.register(Page)
class PageAdmin(StorableInputMixin, admin.ModelAdmin):
    """The newsroom's own pages; those with a role are linked from every article."""

    list_display = ["title", "role", "updated_at"]
    list_filter = ["role"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "role", "body"]


admin.site.unregister(User)


@admin.register(User)
class StaffAdmin(StorableInputMixin, UserAdmin):
    """Users and their roles; only a superuser can make, change or remove a superuser."""

    actions = ["unlock_logins"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False  # the password form included: no taking over a superuser's account
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="Unlock the login of the selected users", permissions=["change"])
    def unlock_logins(self, request, users):
        usernames = [user.get_username() for user in users]
        for username in usernames:
            reset_failed_logins(username=username)
        self.message_user(
            request,
            f"Unlocked: {', '.join(usernames)}. They may log in again from any address.",
            messages.SUCCESS,
        )
