from datetime import timedelta

from axes.utils import reset as reset_failed_logins
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince
from django.views.decorators.http import require_POST
from taggit.models import Tag as TaggitTag

from images.models import Image, allowed_ratio
from newsroom.admin_site import BoundedDateDrillDown

from . import revisions, workflow
from .forms import ArticleForm, CommentForm, TransitionForm, storable_form_field
from .models import (
    Article,
    Author,
    AuthorLink,
    Byline,
    Citation,
    Correction,
    EditingSession,
    Page,
    PreviewLink,
    Publication,
    Revision,
    Section,
    Source,
    Tag,
    snapshot,
)
from .views import render_preview
from .widgets import TagAutocompleteWidget

post_only = method_decorator(require_POST)

# Articles use the newsroom's own tag model; the stock one would be an empty, confusing screen.
admin.site.unregister(TaggitTag)

WITHDRAWN_NOT_SHARED = (
    "Sharing a preview is not possible: the story is withdrawn. Move it back to draft first."
)

# A link typed without a scheme ("www.ft.com") means https://, as it will from Django 6.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class StorableInputMixin:
    """Checks every date and id typed into an admin screen against what the database can
    store, so that a value out of range is an error on its field rather than a server error."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if form_class := storable_form_field(db_field):
            kwargs.setdefault("form_class", form_class)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ArticlePartInline(StorableInputMixin, admin.TabularInline):
    """Parts of an article (bylines, citations): whoever may edit the article may edit them."""

    extra = 0

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


class CorrectionInline(StorableInputMixin, admin.StackedInline):
    model = Correction
    fields = ["kind", "text", "created_at"]
    extra = 0
    verbose_name_plural = (
        "Corrections, updates and clarifications (shown at the foot, newest first)"
    )

    def has_delete_permission(self, request, obj=None):
        return False  # corrections stay on the record


class DeskFilter(admin.SimpleListFilter):
    title = "desk"
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [
            ("mine", "Mine"),
            ("review", "Awaiting review"),
            ("changes", "Changes requested"),
            ("scheduled", "Scheduled"),
            ("today", "Published today"),
        ]

    def queryset(self, request, queryset):
        return desk_queryset(queryset, self.value(), request.user)


def desk_queryset(queryset, desk: str | None, user):
    """The articles on one of the desk's lists ("mine", "review", …)."""
    if desk == "mine":
        return queryset.owned_by(user)
    if desk == "review":
        return queryset.filter(status=Article.Status.IN_REVIEW)
    if desk == "changes":
        return queryset.filter(status=Article.Status.CHANGES_REQUESTED)
    if desk == "scheduled":
        return queryset.scheduled()
    if desk == "today":
        start_of_day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return queryset.published().filter(published_at__gte=start_of_day)
    return queryset


@admin.register(Article)
class ArticleAdmin(StorableInputMixin, BoundedDateDrillDown, admin.ModelAdmin):
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    list_display = [
        "headline",
        "status_detail",
        "is_published",
        "section",
        "byline",
        "published_at",
        "updated_at",
    ]
    list_filter = [DeskFilter, "status", "section", "authors", "genre", "language"]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["hero_image", "translation_of"]
    inlines = [BylineInline, CitationInline, CorrectionInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kicker",
                    "headline",
                    "slug",
                    "standfirst",
                    "dateline",
                    "body",
                    "base_version",
                ]
            },
        ),
        ("Lead picture", {"fields": ["hero_image", "hero_preview", "hero_caption"]}),
        ("Placement", {"fields": ["section", "genre", "tags", "language", "translation_of"]}),
        ("Publishing", {"fields": ["status", "published_at", "expires_at"]}),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": ["external_id", "created_by", "created_at", "updated_at"],
            },
        ),
    ]

    # Permissions: model-level for lists and the add form, object-level for one article.

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return super().has_view_permission(request)
        return obj.can_be_viewed_by(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return obj.can_be_edited_by(request.user)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    def get_object(self, request, object_id, from_field=None):
        # Look beyond get_queryset(): someone else's article is then refused with 403 by the
        # object-level permission, not mistaken for one that doesn't exist.
        try:
            return Article.objects.filter(pk=int(object_id)).first()
        except (TypeError, ValueError):
            return None

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only, the body shows as the formatted text rather than its HTML source.
        return [
            (
                name,
                {
                    **options,
                    "fields": ["body_text" if f == "body" else f for f in options["fields"]],
                },
            )
            for name, options in fieldsets
        ]

    @admin.display(description="Preview")
    def hero_preview(self, article: Article) -> str:
        return picture_preview(article.hero_image, "16:9")

    @admin.display(description="Body")
    def body_text(self, article: Article) -> str:
        return mark_safe(article.body)  # noqa: S308 - sanitized when saved

    def get_inlines(self, request, obj):
        # Corrections belong to stories readers have seen.
        if obj is not None and obj.status in {Article.Status.PUBLISHED, Article.Status.UNPUBLISHED}:
            return self.inlines
        return [inline for inline in self.inlines if inline is not CorrectionInline]

    def get_readonly_fields(self, request, obj=None):
        readonly = [
            "status",
            "created_at",
            "updated_at",
            "created_by",
            "external_id",
            "body_text",
            "hero_preview",
        ]
        if not request.user.has_perm("articles.publish_article"):
            readonly += ["published_at", "expires_at"]
        return readonly

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            kwargs["widget"] = TagAutocompleteWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer and accept only what the user may see; the autocomplete searches the same.
        if db_field.name == "translation_of":
            kwargs["queryset"] = self.get_choices_queryset(request)
        elif db_field.name == "hero_image":
            kwargs["queryset"] = Image.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_choices_queryset(self, request):
        """The articles the user may choose in a form: more than they may open, since the
        headlines of published stories are no secret (see newsroom/admin_site.py)."""
        return Article.objects.readable_by(request.user)

    # Columns

    @admin.display(description="Status", ordering="status")
    def status_detail(self, article: Article) -> str:
        parts = [
            f"Scheduled for {_local(article.published_at)}"
            if article.is_scheduled
            else article.get_status_display()
        ]
        if article.expires_at and article.status == Article.Status.PUBLISHED:
            verb = "Expired" if article.has_expired else "Expires"
            parts.append(f"{verb} {_local(article.expires_at)}")
        return " · ".join(parts)

    @admin.display(boolean=True, description="Live")
    def is_published(self, article: Article) -> bool:
        return article.is_published

    @admin.display(description="Authors")
    def byline(self, article: Article) -> str:
        return ", ".join(author.name for author in article.ordered_authors())

    def view_on_site(self, article: Article) -> str | None:
        return article.get_absolute_url() if article.is_published else None

    # Saving: every save is a revision; workflow buttons act once the edits are saved.

    def save_model(self, request, article, form, change):
        if not change:
            article.created_by = request.user
        super().save_model(request, article, form, change)

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, Correction) and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        for obsolete in formset.deleted_objects:
            obsolete.delete()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Authors and tags are saved only now; the search vector indexes their names.
        form.instance.refresh_search_vector()
        form.instance.record_revision(by=request.user)

    def response_add(self, request, article, post_url_continue=None):
        if request.POST.get("_transition"):
            return self._transition_after_save(request, article)
        return super().response_add(request, article, post_url_continue)

    def response_change(self, request, article):
        if request.POST.get("_transition"):
            return self._transition_after_save(request, article)
        return super().response_change(request, article)

    def _transition_after_save(self, request, article: Article) -> HttpResponse:
        transition = workflow.TRANSITIONS.get(request.POST["_transition"])
        if transition and (transition.needs_comment or transition.needs_time):
            return redirect("admin:articles_article_transition", article.pk, transition.name)
        return self._apply_transition(request, article, request.POST["_transition"])

    def _apply_transition(
        self, request, article: Article, name: str, comment: str = "", at=None
    ) -> HttpResponse:
        try:
            change = workflow.apply(article, name, request.user, comment=comment, at=at)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, _describe(change, article), messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if obj is not None:
            context.update(self._desk_context(request, obj))
            if form.has_conflict:
                context["conflict"] = self._keep_refused_edit(request, form, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _desk_context(self, request, article: Article) -> dict:
        if request.method == "GET" and article.can_be_edited_by(request.user):
            EditingSession.objects.update_or_create(
                article=article, user=request.user, defaults={"last_seen_at": timezone.now()}
            )
        return {
            "transitions": workflow.available_transitions(article, request.user),
            "other_editors": _other_editors(article, request.user),
            "review_comments": article.review_comments.select_related("author"),
            "status_changes": article.status_changes.select_related("changed_by"),
            "preview_links": [
                (link, request.build_absolute_uri(link.get_absolute_url()))
                for link in article.preview_links.active().select_related("created_by")
            ],
            "comment_form": CommentForm(),
        }

    def _keep_refused_edit(self, request, form: ArticleForm, article: Article) -> dict:
        """Store the refused edit as a conflict revision and compare it with the current text."""
        # The form has already copied the refused values onto `article`; compare with the database.
        current = snapshot(Article.objects.select_related("section").get(pk=article.pk))
        refused = current | {
            name: form.data.get(name, current[name]) for name in Revision.TEXT_FIELDS
        }
        refused["tags"] = sorted(
            {name.strip() for name in form.data.get("tags", "").split(",") if name.strip()}
        )
        kept = Revision.objects.record(
            article,
            by=request.user,
            kind=Revision.Kind.CONFLICT,
            note=f"Refused: opened at version {form.data.get('base_version')}",
            content=refused,
        )
        # Saving again is now a deliberate choice to put the merged text over the newer one.
        form.data = form.data.copy()
        form.data["base_version"] = str(article.version)
        return {"revision": kept, "comparison": revisions.compare(current, refused)}

    # Desk views

    def get_urls(self):
        return [
            path(
                "review/",
                self.admin_site.admin_view(self.review_queue_view),
                name="articles_article_review",
            ),
            path(
                "<int:object_id>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="articles_article_transition",
            ),
            path(
                "<int:object_id>/comments/",
                self.admin_site.admin_view(self.comment_view),
                name="articles_article_comment",
            ),
            path(
                "<int:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="articles_article_preview",
            ),
            path(
                "<int:object_id>/preview-links/",
                self.admin_site.admin_view(self.preview_link_view),
                name="articles_article_preview_link",
            ),
            path(
                "<int:object_id>/preview-links/<int:link_id>/revoke/",
                self.admin_site.admin_view(self.revoke_preview_link_view),
                name="articles_article_revoke_preview_link",
            ),
            path(
                "<int:object_id>/presence/",
                self.admin_site.admin_view(self.presence_view),
                name="articles_article_presence",
            ),
            path(
                "<int:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<int:object_id>/history/<int:number>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
        ] + super().get_urls()

    def _article_for(self, request, object_id, allowed) -> Article:
        """The article, if `allowed(user)` says the user may do this with it; else 403/404."""
        article = get_object_or_404(Article.objects.select_related("section"), pk=object_id)
        if not allowed(article, request.user):
            raise PermissionDenied
        return article

    def _render(self, request, template: str, context: dict) -> TemplateResponse:
        context = {**self.admin_site.each_context(request), "opts": self.opts, **context}
        return TemplateResponse(request, f"admin/articles/article/{template}", context)

    def review_queue_view(self, request):
        if not request.user.has_perm("articles.publish_article"):
            raise PermissionDenied
        queue = (
            Article.objects.filter(status=Article.Status.IN_REVIEW)
            .with_submitted_at()
            .select_related("section")
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
            .order_by(models.F("submitted_at").asc(nulls_first=True), "pk")
        )
        return self._render(request, "review_queue.html", {"title": "Review queue", "queue": queue})

    def transition_view(self, request, object_id, name):
        article = self._article_for(request, object_id, Article.can_be_viewed_by)
        transition = workflow.TRANSITIONS.get(name)
        if transition is None or not transition.is_allowed_for(request.user, article):
            raise PermissionDenied
        form = TransitionForm(transition, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            return self._apply_transition(
                request,
                article,
                name,
                comment=form.cleaned_data["comment"],
                at=form.cleaned_data.get("publish_at"),
            )
        context = {
            "title": transition.label,
            "article": article,
            "transition": transition,
            "form": form,
        }
        return self._render(request, "transition.html", context)

    @post_only
    def comment_view(self, request, object_id):
        article = self._article_for(request, object_id, Article.can_be_viewed_by)
        form = CommentForm(request.POST)
        if form.is_valid():
            article.review_comments.create(author=request.user, text=form.cleaned_data["text"])
            self.message_user(request, "Your comment was added.", messages.SUCCESS)
        else:
            self.message_user(request, "An empty comment was not added.", messages.ERROR)
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[article.pk]) + "#review-comments"
        )

    def preview_view(self, request, object_id):
        article = self._article_for(request, object_id, Article.can_be_viewed_by)
        return render_preview(request, Article.objects.for_display().get(pk=article.pk))

    @post_only
    def preview_link_view(self, request, object_id):
        article = self._article_for(request, object_id, Article.can_be_viewed_by)
        if article.is_withdrawn:
            self.message_user(request, WITHDRAWN_NOT_SHARED, messages.ERROR)
            return redirect("admin:articles_article_change", article.pk)
        link = article.preview_links.create(
            created_by=request.user,
            expires_at=timezone.now() + timedelta(hours=settings.NEWSROOM_PREVIEW_LINK_HOURS),
        )
        self.message_user(
            request,
            format_html(
                "Share this preview link (valid until {}): <a href='{}'>{}</a>",
                _local(link.expires_at),
                link.get_absolute_url(),
                request.build_absolute_uri(link.get_absolute_url()),
            ),
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", article.pk)

    @post_only
    def revoke_preview_link_view(self, request, object_id, link_id):
        article = self._article_for(request, object_id, Article.can_be_viewed_by)
        link = get_object_or_404(PreviewLink, pk=link_id, article=article)
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
        self.message_user(request, "The preview link no longer opens.", messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)

    @post_only
    def presence_view(self, request, object_id):
        article = self._article_for(request, object_id, Article.can_be_viewed_by)
        EditingSession.objects.update_or_create(
            article=article, user=request.user, defaults={"last_seen_at": timezone.now()}
        )
        return JsonResponse({"others": _other_editors(article, request.user)})

    def history_view(self, request, object_id, extra_context=None):
        article = self._article_for(request, object_id, Article.can_be_viewed_by)
        context = {
            "title": f"History: {article}",
            "article": article,
            "revisions": article.revisions.select_related("created_by"),
            "status_changes": article.status_changes.select_related("changed_by"),
            "may_restore": article.can_be_edited_by(request.user),
        }
        return self._render(request, "history.html", context)

    def compare_view(self, request, object_id):
        article = self._article_for(request, object_id, Article.can_be_viewed_by)
        numbers = [request.GET.get("from"), request.GET.get("to")]
        if not all(number and number.isdigit() for number in numbers):
            self.message_user(request, "Choose two revisions to compare.", messages.ERROR)
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
        return self._render(request, "compare.html", context)

    @post_only
    def restore_view(self, request, object_id, number):
        article = self._article_for(request, object_id, Article.can_be_edited_by)
        revision = get_object_or_404(article.revisions, number=number)
        try:
            restored = revisions.restore(article, revision, by=request.user)
        except ValidationError as error:
            self.message_user(request, revisions.describe_restore_error(error), messages.ERROR)
            return redirect("admin:articles_article_history", article.pk)
        self.message_user(
            request,
            f"Revision {revision.number} was restored as revision {restored.number}.",
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", article.pk)


def _describe(change, article: Article) -> str:
    if article.is_scheduled:
        return f"“{article}” is scheduled for {_local(article.published_at)}."
    return f"“{article}” is now {change.get_to_status_display().lower()}."


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d %b %Y, %H:%M")


def picture_preview(image, ratio: str) -> str:
    """A small crop of `image` as readers will see it, for the admin forms."""
    if image is None:
        return "—"
    crop = allowed_ratio(ratio)
    return format_html(
        '<img src="{}" width="320" alt="{}" class="desk-picture-preview">',
        image.rendition_url(crop, min(image.rendition_widths(crop)), "jpg"),
        image.alt_text,
    )


def _ago(moment) -> str:
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return timesince(moment) + " ago"


def _other_editors(article: Article, user) -> list[dict]:
    return [
        {
            "name": session.user.get_full_name() or session.user.get_username(),
            "seen": _ago(session.last_seen_at),
        }
        for session in article.editing_sessions.recent().exclude(user=user).select_related("user")
    ]


@admin.register(Section)
class SectionAdmin(StorableInputMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position"]
    list_editable = ["position"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["default_picture"]
    readonly_fields = ["default_picture_preview"]
    fields = [
        "name",
        "slug",
        "description",
        "parent",
        "position",
        "default_picture",
        "default_picture_preview",
    ]

    @admin.display(description="Preview")
    def default_picture_preview(self, section: Section) -> str:
        return picture_preview(section.default_picture, "16:9")


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
class AuthorAdmin(StorableInputMixin, admin.ModelAdmin):
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
class SourceAdmin(StorableInputMixin, admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "kind", "homepage_url"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(StorableInputMixin, admin.ModelAdmin):
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
