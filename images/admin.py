from django.conf import settings
from django.contrib import admin
from django.utils.html import format_html

from .forms import ImageForm
from .models import Image
from .processing import rendition_size


class OrientationFilter(admin.SimpleListFilter):
    title = "shape"
    parameter_name = "shape"

    def lookups(self, request, model_admin):
        return [("landscape", "Landscape"), ("portrait", "Portrait"), ("square", "Square")]

    def queryset(self, request, queryset):
        if self.value() in ("landscape", "portrait", "square"):
            return getattr(queryset, self.value())()
        return queryset


class CreditFilter(admin.SimpleListFilter):
    title = "credit"
    parameter_name = "has_credit"

    def lookups(self, request, model_admin):
        return [("yes", "With a credit"), ("no", "Without a credit")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(credit="")
        if self.value() == "no":
            return queryset.filter(credit="")
        return queryset


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "__str__", "credit", "dimensions", "uploaded_by", "uploaded_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = [OrientationFilter, CreditFilter, "uploaded_at"]
    list_select_related = ["uploaded_by"]
    search_fields = ["caption", "credit", "alt_text"]
    date_hierarchy = "uploaded_at"
    list_per_page = 50
    readonly_fields = ["focal_point_picker", "width", "height", "uploaded_by", "uploaded_at"]
    fieldsets = [
        (None, {"fields": ["file", "alt_text", "caption", "credit"]}),
        ("Focal point", {"fields": ["focal_point_picker", ("focal_x", "focal_y")]}),
        (
            "Record",
            {"classes": ["collapse"], "fields": ["width", "height", "uploaded_by", "uploaded_at"]},
        ),
    ]

    class Media:
        css = {"all": ["admin/images/images.css"]}
        js = ["admin/images/focal_point.js"]

    @admin.display(description="Picture")
    def thumbnail(self, image: Image) -> str:
        width = image.rendition_widths(None)[0]
        return format_html(
            '<img class="image-thumbnail" src="{}" alt="" loading="lazy">',
            image.rendition_url(None, width, "webp"),
        )

    @admin.display(description="Size", ordering="width")
    def dimensions(self, image: Image) -> str:
        return f"{image.width} × {image.height}"

    @admin.display(description="Set the focal point")
    def focal_point_picker(self, image: Image) -> str:
        if not image.pk:
            return "Save the picture first; then click on it here to set the focal point."
        width = max(image.rendition_widths(None)[:2])
        return format_html(
            '<div class="focal-point-picker" data-focal-point-picker data-ratios="{}">'
            '<img src="{}" width="{}" height="{}" alt="{}" draggable="false">'
            # Placed by focal_point.js from the fields: the CSP allows no style attributes.
            '<span class="focal-point-picker__marker" hidden></span>'
            "</div>"
            '<p class="help">Click the part of the picture that must stay in view when it is '
            "cropped: a face, the ball. The crops below follow your click; save to keep it.</p>",
            " ".join(settings.NEWSROOM_IMAGE_RATIOS),
            image.rendition_url(None, width, "jpg"),
            *rendition_size(image.width, image.height, None, width),
            f"Preview of {image}",
        )

    def save_model(self, request, image, form, change):
        if not change:
            image.uploaded_by = request.user
        super().save_model(request, image, form, change)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # A picture in use is never deleted; name the stories and authors using it
            # instead of asking for permissions to delete them, which wouldn't help.
            perms_needed = set()
        return deleted, model_count, perms_needed, protected
