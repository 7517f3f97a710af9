from django.contrib import admin
from django.db import models
from django.db.models import Prefetch
from taggit.models import Tag as TaggitTag

from .models import (
    Article,
    Author,
    AuthorLink,
    Byline,
    Citation,
    Section,
    Source,
    Tag,
)
from .widgets import TagAutocompleteWidget

# Articles use the newsroom's own tag model; the stock one would be an empty, confusing screen.
admin.site.unregister(TaggitTag)

# A link typed without a scheme ("www.ft.com") means https://, as it will from Django 6.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class BylineInline(admin.TabularInline):
    model = Byline
    fields = ["position", "author"]
    autocomplete_fields = ["author"]
    extra = 0
    min_num = 1
    verbose_name = "author"
    verbose_name_plural = "Byline (in order)"

    def get_formset(self, request, obj=None, **kwargs):
        # min_num alone only sets how many blank rows show; this makes the server insist.
        kwargs["validate_min"] = True
        return super().get_formset(request, obj, **kwargs)


class CitationInline(admin.TabularInline):
    model = Citation
    formfield_overrides = HTTPS_URL_FIELDS
    fields = ["position", "source", "note", "url"]
    autocomplete_fields = ["source"]
    extra = 0
    verbose_name = "cited source"
    verbose_name_plural = "Sources (in order)"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "headline",
        "status",
        "is_published",
        "section",
        "byline",
        "published_at",
        "updated_at",
    ]
    list_filter = ["status", "section", "authors", "genre", "language"]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    readonly_fields = ["created_at", "updated_at", "created_by"]
    inlines = [BylineInline, CitationInline]
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "slug", "standfirst", "dateline", "body"]}),
        ("Placement", {"fields": ["section", "genre", "tags", "language"]}),
        ("Publishing", {"fields": ["status", "published_at", "expires_at"]}),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": ["external_id", "created_by", "created_at", "updated_at"],
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            kwargs["widget"] = TagAutocompleteWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(boolean=True, description="Live")
    def is_published(self, article: Article) -> bool:
        return article.is_published

    @admin.display(description="Authors")
    def byline(self, article: Article) -> str:
        return ", ".join(author.name for author in article.ordered_authors())

    def view_on_site(self, article: Article) -> str | None:
        return article.get_absolute_url() if article.is_published else None

    def save_model(self, request, article, form, change):
        if not change:
            article.created_by = request.user
        super().save_model(request, article, form, change)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position"]
    list_editable = ["position"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class AuthorLinkInline(admin.TabularInline):
    model = AuthorLink
    formfield_overrides = HTTPS_URL_FIELDS
    fields = ["position", "label", "url"]
    extra = 0


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "initials", "job_title", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "initials", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    inlines = [AuthorLinkInline]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "kind", "homepage_url"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
