from django.conf import settings
from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.html import format_html

from newsroom.admin_site import BoundedDateDrillDown

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
class ImageAdmin(BoundedDateDrillDown, admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "__str__", "credit", "dimensions", "uploaded_by", "uploaded_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = [OrientationFilter, CreditFilter, "uploaded_at"]
    list_select_related = ["uploaded_by"]
    search_fields = ["caption", "credit", "alt_text"]
    date_hierarchy = "uploaded_at"
    list_per_page = 50
    readonly_fields = [
        "focal_point_picker",
        "width",
        "height",
        "uploaded_by",
        "uploaded_at",
        "change_record",
    ]
    fieldsets = [
        (None, {"fields": ["file", "alt_text", "caption", ("credit_kind", "credit")]}),
        ("Focal point", {"fields": ["focal_point_picker", ("focal_x", "focal_y")]}),
        (
            "Record",
            {"classes": ["collapse"], "fields": ["width", "height", "uploaded_by", "uploaded_at"]},
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not request.user.has_perm("images.change_any_image"):
            return fieldsets
        return [*fieldsets, ("Changes while in use", {"fields": ["change_record"]})]

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

    @admin.display(description="Recorded changes")
    def change_record(self, image: Image) -> str:
        changes = image.changes.select_related("changed_by")
        return render_to_string("admin/images/image/_change_record.html", {"changes": changes})

    # Permissions: model-level for the list and the add form, object-level for one picture.

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_object(self, request, object_id, from_field=None):
        # Look beyond get_queryset(), as for articles: a picture the user may not see is then
        # refused with 403 by the object-level permission.
        try:
            return Image.objects.filter(pk=int(object_id)).first()
        except (TypeError, ValueError, OverflowError):
            return None

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return super().has_view_permission(request)
        return obj.can_be_viewed_by(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return obj.can_be_changed_by(request.user)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return super().has_delete_permission(request, obj) and obj.can_be_changed_by(request.user)

    def save_model(self, request, image, form, change):
        if change:
            image.save_change(by=request.user)
        else:
            image.uploaded_by = request.user
            image.save()

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # A picture in use is never deleted; name the stories and authors using it
            # instead of asking for permissions to delete them, which wouldn't help.
            perms_needed = set()
        return deleted, model_count, perms_needed, protected
