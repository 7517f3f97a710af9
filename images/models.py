import hashlib
import math
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from . import uses
from .processing import (
    Ratio,
    make_rendition,
    normalize_upload,
    ratio_slug,
    rendition_size,
    rendition_widths,
)
from .tasks import delete_stored_files

# Part of every content key: bump it when renditions are made differently (quality, sharpening)
# so that every picture gets new addresses instead of caches holding the old files forever.
RENDITION_VERSION = 1

# The width of the plain `src` of a picture, for the rare client that ignores srcset.
FALLBACK_WIDTH = 960

# What a picture's change record keeps: every field an editor can change, by its name.
RECORDED_FIELDS = ["file", "alt_text", "caption", "credit", "credit_kind", "focal_x", "focal_y"]

# The crops search engines and social networks show a picture in, each at least this wide when
# the picture allows (Google recommends 1200 pixels).
SHARING_RATIOS = ["16:9", "4:3", "1:1"]
SHARING_MIN_WIDTH = 1200

# Threads of one process asking for renditions of the same picture queue on one of these;
# app servers queue on the picture's row (see Image.rendition).
MAKER_LOCKS = [threading.Lock() for _ in range(64)]


def allowed_ratio(text: str | None) -> Ratio | None:
    """The crop named by `text` ("16:9", "16x9"; None or "full" for none), if the site offers it."""
    ratio = Ratio.parse(text)
    if ratio is not None and ratio not in map(Ratio.parse, settings.NEWSROOM_IMAGE_RATIOS):
        raise ValueError(
            f"Pictures are not cropped to {ratio}; NEWSROOM_IMAGE_RATIOS offers "
            f"{', '.join(settings.NEWSROOM_IMAGE_RATIOS)}."
        )
    return ratio


def smallest_sharing_size() -> tuple[int, int]:
    """The smallest picture (width, height) whose every sharing crop is SHARING_MIN_WIDTH wide."""
    ratios = [allowed_ratio(name) for name in SHARING_RATIOS]
    height = max(math.ceil(SHARING_MIN_WIDTH * ratio.height / ratio.width) for ratio in ratios)
    return SHARING_MIN_WIDTH, height


def delete_files_on_commit(names: Iterable[str]) -> None:
    """Delete files from the media storage once the current transaction commits (never if it
    rolls back), as a background task."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: delete_stored_files.enqueue(names), robust=True)


@dataclass(frozen=True)
class Picture:
    """What a template needs to show an image at one ratio: srcsets, a fallback and its size."""

    webp_srcset: str
    jpeg_srcset: str
    src: str
    width: int
    height: int


@dataclass(frozen=True)
class Crop:
    """A picture cropped to one ratio as other sites and apps fetch it: a JPEG at a full URL."""

    ratio: str
    url: str
    width: int
    height: int
    alt: str
    content_type: str = "image/jpeg"


class ImageQuerySet(models.QuerySet):
    def landscape(self) -> "ImageQuerySet":
        """Pictures wider than they are tall."""
        return self.filter(width__gt=F("height"))

    def portrait(self) -> "ImageQuerySet":
        """Pictures taller than they are wide."""
        return self.filter(height__gt=F("width"))

    def square(self) -> "ImageQuerySet":
        """Pictures as wide as they are tall."""
        return self.filter(width=F("height"))

    def in_use(self) -> "ImageQuerySet":
        """Pictures readers see or are about to: in the newsroom, lead and social pictures of
        published or scheduled stories, author photos, and the sections' and site's defaults."""
        return self.filter(uses.in_use())

    def visible_to(self, user) -> "ImageQuerySet":
        """The pictures `user` may see and choose: all for editors; otherwise their own
        uploads and the pictures shown with what they may know of (in the newsroom: author
        photos, default pictures, and the lead and social pictures of stories they may read)."""
        if user.has_perm("images.change_any_image"):
            return self
        return self.filter(Q(uploaded_by=user) | uses.known_to(user))

    def delete(self) -> tuple[int, dict[str, int]]:
        """Delete the images and, once the transaction commits, their files and renditions."""
        names = [
            *self.values_list("file", flat=True),
            *Rendition.objects.filter(image__in=self).values_list("file", flat=True),
        ]
        deleted = super().delete()
        delete_files_on_commit(names)
        return deleted

    # As on QuerySet.delete: never copied to the manager, so Image.objects.delete() can't exist.
    delete.alters_data = True
    delete.queryset_only = True


class Image(models.Model):
    class CreditKind(models.TextChoices):
        """What a picture is, printed before its credit: “Photo: Jane Doe/Reuters”."""

        PHOTO = "photo", _("Photo")
        ILLUSTRATION = "illustration", _("Illustration")
        GRAPHIC = "graphic", _("Graphic")

    file = models.ImageField(
        "picture",
        upload_to="images/%Y/%m/",
        max_length=255,
        help_text="A JPEG, PNG, WebP or GIF. It is turned upright, and location data and other "
        "hidden camera details are removed, when you save.",
    )
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        help_text="Describe the picture for readers who can't see it (screen readers read this "
        "out): who or what is shown and what matters about it, in a sentence. Don't start with "
        "“Picture of” and don't repeat the caption.",
    )
    caption = models.TextField(
        blank=True,
        help_text="Shown under the picture: what readers see and why it matters (who, what, "
        "where, when). A story can replace it with its own.",
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who owns the rights, as it should be printed, such as “Jane Doe/Reuters”. "
        "Shown after the caption.",
    )
    credit_kind = models.CharField(
        "credit kind",
        max_length=20,
        choices=CreditKind.choices,
        default=CreditKind.PHOTO,
        help_text="What the picture is, printed before the credit: “Photo: Jane Doe/Reuters”, "
        "“Illustration: …”, “Graphic: …”.",
    )
    focal_x = models.FloatField(
        "focal point across",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Where the part that must stay in view is, from 0 (left edge) to 1 (right "
        "edge). Crops for wide or square spaces keep it. Clicking the preview sets it.",
    )
    focal_y = models.FloatField(
        "focal point down",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="From 0 (top edge) to 1 (bottom edge).",
    )
    width = models.PositiveIntegerField(editable=False, help_text="In pixels, upright.")
    height = models.PositiveIntegerField(editable=False, help_text="In pixels, upright.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        permissions = [
            ("change_any_image", "Can see and change any picture, also those stories use"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1),
                name="image_focal_x_fraction",
                violation_error_message="The focal point must lie inside the picture (0 to 1).",
            ),
            models.CheckConstraint(
                condition=Q(focal_y__gte=0, focal_y__lte=1),
                name="image_focal_y_fraction",
                violation_error_message="The focal point must lie inside the picture (0 to 1).",
            ),
        ]
        indexes = [
            # The image library and the image picker list the newest uploads first.
            models.Index(fields=["-uploaded_at", "-id"], name="image_uploaded_idx"),
        ]

    def __str__(self) -> str:
        return Truncator(self.caption or self.alt_text or f"Image {self.pk}").chars(80)

    def save(self, *args, **kwargs) -> None:
        replaced_name = None
        if self.file and not self.file._committed:
            # Every way in (admin, scripts, the demo) stores only the checked, cleaned original.
            upload = normalize_upload(self.file.file)
            if self.pk:
                replaced_name = (
                    Image.objects.filter(pk=self.pk).values_list("file", flat=True).first()
                )
            self.file = upload
            self.width, self.height = upload.width, upload.height
        super().save(*args, **kwargs)
        if replaced_name and replaced_name != self.file.name:
            renditions = list(self.renditions.values_list("file", flat=True))
            self.renditions.all().delete()
            delete_files_on_commit([replaced_name, *renditions])

    def get_absolute_url(self) -> str:
        """The stored original, upright and without metadata."""
        return reverse(
            "images:original",
            kwargs={
                "pk": self.pk,
                "key": self.content_key,
                "extension": PurePath(self.file.name).suffix.lstrip("."),
            },
        )

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        """Delete the image and, once the transaction commits, its file and renditions."""
        names = [self.file.name, *self.renditions.values_list("file", flat=True)]
        deleted = super().delete(*args, **kwargs)
        delete_files_on_commit(names)
        return deleted

    @property
    def is_in_use(self) -> bool:
        """Whether readers see this picture or are about to; the same rule as `in_use()`."""
        return Image.objects.filter(pk=self.pk).in_use().exists()

    def can_be_viewed_by(self, user) -> bool:
        """Editors see every picture; others the ones `visible_to()` them."""
        may_view = user.has_perm("images.view_image") or user.has_perm("images.change_image")
        return (
            user.is_active
            and may_view
            and Image.objects.visible_to(user).filter(pk=self.pk).exists()
        )

    def can_be_changed_by(self, user) -> bool:
        """Editors change any picture; others only their own uploads that are not in use."""
        if not user.is_active or not user.has_perm("images.change_image"):
            return False
        if user.has_perm("images.change_any_image"):
            return True
        return self.uploaded_by_id == user.pk and not self.is_in_use

    def save_change(self, by=None) -> "ImageChange | None":
        """Save edits to this picture and, if it is in use, record who changed what (the way
        every edit of an existing picture should be saved)."""
        with transaction.atomic():
            # Locked, so that two edits at once each record what they really replaced.
            before = Image.objects.select_for_update().get(pk=self.pk)
            was_in_use = before.is_in_use
            self.save()
            uses.picture_changed(self)
            changes = {
                name: {"old": old, "new": new}
                for name in RECORDED_FIELDS
                if (old := before.recorded_value(name)) != (new := self.recorded_value(name))
            }
            if not (was_in_use and changes):
                return None
            return self.changes.create(changed_by=by, changed_at=timezone.now(), changes=changes)

    def recorded_value(self, name: str) -> str | float:
        """A field's value as the change record keeps it: a file by its stored name."""
        value = getattr(self, name)
        return value.name if name == "file" else value

    @property
    def content_key(self) -> str:
        """A short hash of the stored file and the focal point: rendition addresses change with
        either, so a rendition's address always shows the same bytes and can be cached forever."""
        state = f"{RENDITION_VERSION}:{self.file.name}:{self.focal_x:.4f}:{self.focal_y:.4f}"
        return hashlib.sha256(state.encode()).hexdigest()[:12]

    def rendition_widths(self, ratio: Ratio | None) -> list[int]:
        """The widths this picture comes in at `ratio`, none of them upscaled."""
        return rendition_widths(self.width, self.height, ratio, settings.NEWSROOM_IMAGE_WIDTHS)

    def rendition_url(
        self, ratio: Ratio | None, width: int, file_format: str, key: str | None = None
    ) -> str:
        """The address of a rendition; it is made when first requested."""
        return reverse(
            "images:rendition",
            kwargs={
                "pk": self.pk,
                "key": key or self.content_key,
                "ratio": ratio_slug(ratio),
                "width": width,
                "file_format": file_format,
            },
        )

    def picture(self, ratio: str | None = None) -> Picture:
        """Srcsets and size for showing this image cropped to `ratio`, with no database query."""
        crop = allowed_ratio(ratio)
        widths = self.rendition_widths(crop)
        # One reverse() for the picture, not one per rendition: the addresses differ only in
        # their last part, "<width>.<format>" (a teaser list made ~300 of them a page).
        folder = self.rendition_url(crop, widths[0], "jpg").rpartition("/")[0]
        srcsets = {
            file_format: ", ".join(f"{folder}/{width}.{file_format} {width}w" for width in widths)
            for file_format in Rendition.Format.values
        }
        fallback = max((width for width in widths if width <= FALLBACK_WIDTH), default=widths[0])
        return Picture(
            webp_srcset=srcsets["webp"],
            jpeg_srcset=srcsets["jpg"],
            src=f"{folder}/{fallback}.jpg",
            width=fallback,
            height=rendition_size(self.width, self.height, crop, fallback)[1],
        )

    def crops(
        self, ratios: Iterable[str], min_width: int, absolute: Callable[[str], str]
    ) -> list[Crop]:
        """This picture cropped to each of `ratios` ("16:9"), each the narrowest rendition at
        least `min_width` wide (the widest there is, if none is); `absolute` turns a path into a
        full URL. Runs no database query."""
        crops = []
        for name in ratios:
            ratio = allowed_ratio(name)
            widths = self.rendition_widths(ratio)
            width = min((w for w in widths if w >= min_width), default=max(widths))
            crops.append(
                Crop(
                    ratio=name,
                    url=absolute(self.rendition_url(ratio, width, "jpg")),
                    width=width,
                    height=rendition_size(self.width, self.height, ratio, width)[1],
                    alt=self.alt_text,
                )
            )
        return crops

    def sharing_crops(self, absolute: Callable[[str], str]) -> list[Crop]:
        """The crops search engines, social networks and feed readers show: 16:9, 4:3 and 1:1,
        at least 1200 pixels wide when the picture is."""
        return self.crops(SHARING_RATIOS, SHARING_MIN_WIDTH, absolute)

    def served_rendition(
        self, key: str, ratio: str, width: int, file_format: str
    ) -> "Rendition | None":
        """The rendition a URL names: made on first request under the current content key;
        under an earlier key (the focal point has moved since), only one made back then."""
        if key != self.content_key:
            return self.renditions.filter(
                key=key, ratio=ratio, width=width, format=file_format
            ).first()
        try:
            crop = allowed_ratio(ratio)
        except ValueError:
            return None
        if width not in self.rendition_widths(crop) or file_format not in Rendition.Format.values:
            return None
        try:
            return self.rendition(crop, width, file_format)
        except Rendition.DoesNotExist:
            return None

    def rendition(self, ratio: Ratio | None, width: int, file_format: str) -> "Rendition":
        """This image at `ratio`, `width` and `file_format` ("webp" or "jpg"), made and stored
        the first time it is asked for and reused afterwards."""
        lookup = {
            "key": self.content_key,
            "ratio": ratio_slug(ratio),
            "width": width,
            "format": file_format,
        }
        # Looked up inside the lock too: SQLite's shared-cache mode (the test database) fails
        # a read of a table another connection is writing to instead of waiting for it.
        with MAKER_LOCKS[self.pk % len(MAKER_LOCKS)]:
            if (found := self.renditions.filter(**lookup).first()) is not None:
                return found
            with transaction.atomic():
                # Makers on other app servers wait here until the first one commits, then find
                # its rendition below (the unique constraint is the last line of defence).
                current = Image.objects.select_for_update().filter(pk=self.pk).first()
                if current is None or current.content_key != lookup["key"]:
                    raise Rendition.DoesNotExist("The picture changed while being requested.")
                if (found := self.renditions.filter(**lookup).first()) is not None:
                    return found
                return self.make_rendition(ratio, lookup)

    def make_rendition(self, ratio: Ratio | None, lookup: dict) -> "Rendition":
        """Make, store and record a rendition; called by `rendition()` with the picture locked."""
        storage = self.file.storage
        with storage.open(self.file.name, "rb") as source:
            rendered = make_rendition(
                source,
                ratio=ratio,
                width=lookup["width"],
                focal_point=(self.focal_x, self.focal_y),
                file_format=lookup["format"],
            )
        name = storage.save(
            f"renditions/{self.pk}/{lookup['key']}/"
            f"{lookup['ratio']}-{lookup['width']}.{lookup['format']}",
            ContentFile(rendered.content),
        )
        try:
            with transaction.atomic():
                return Rendition.objects.create(
                    image=self, file=name, height=rendered.height, **lookup
                )
        except IntegrityError:
            # Made meanwhile by another process on a database without row locks (SQLite).
            storage.delete(name)
            return self.renditions.get(**lookup)
        except BaseException:
            storage.delete(name)
            raise


class ImageChange(models.Model):
    """An edit of a picture in use: who changed which fields when, and what they held before."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    changes = models.JSONField(
        help_text="By field name: the old and new value; the stored file's name for the file."
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"Change to {self.image}"

    def describe(self) -> list[tuple[str, str | float, str | float]]:
        """The changed fields as (label, old value, new value), in the form's order."""
        return [
            (Image._meta.get_field(name).verbose_name, change["old"], change["new"])
            for name in RECORDED_FIELDS
            if (change := self.changes.get(name))
        ]


class Rendition(models.Model):
    """A stored copy of an image at one crop, width and format, made on first request."""

    class Format(models.TextChoices):
        WEBP = "webp", "WebP"
        JPEG = "jpg", "JPEG"

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    key = models.CharField(max_length=12, help_text="The image's content key when it was made.")
    ratio = models.CharField(max_length=12, help_text="“16x9”, or “full” when not cropped.")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=4, choices=Format.choices)
    file = models.FileField(upload_to="renditions/", max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Also the index of the lookup by everything a rendition's address names.
            models.UniqueConstraint(
                fields=["image", "key", "ratio", "width", "format"], name="unique_rendition"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.image}: {self.ratio}, {self.width} px, {self.get_format_display()}"
