"""Checks on uploaded pictures: what the file really is, how big it is, whether it decodes."""

from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image as PILImage

# Formats are judged by content; Pillow tries only these parsers on untrusted files.
# (A JPEG with a multi-picture extension, as many cameras write, opens as "MPO".)
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
ACCEPTED_DESCRIPTION = "a JPEG, PNG, WebP or GIF picture"

# Each frame of an animation is decoded, resized and encoded again for every rendition.
MAX_FRAMES = 500

# First bytes of files editors often try instead, so the error can say what the file is.
KNOWN_SIGNATURES = [
    (0, b"%PDF", "a PDF document"),
    (0, b"II*\x00", "a TIFF image"),
    (0, b"MM\x00*", "a TIFF image"),
    (0, b"BM", "a BMP image"),
    (4, b"ftypheic", "an HEIC photo"),
    (4, b"ftypheix", "an HEIC photo"),
    (4, b"ftypmif1", "an HEIF photo"),
    (4, b"ftypavif", "an AVIF image"),
    (0, b"PK\x03\x04", "a ZIP archive or Office document"),
    (0, b"<svg", "an SVG drawing"),
    (0, b"<?xml", "an XML file (perhaps an SVG drawing)"),
    (0, b"8BPS", "a Photoshop document"),
]


def max_bytes() -> int:
    return settings.NEWSROOM_IMAGE_MAX_BYTES


def max_pixels() -> int:
    # Never above Pillow's own bomb threshold, so anything Pillow warns about is refused too.
    return min(settings.NEWSROOM_IMAGE_MAX_PIXELS, PILImage.MAX_IMAGE_PIXELS or float("inf"))


def megapixels(pixels: int) -> str:
    value = f"{pixels / 1_000_000:.3g}"
    return f"{value} megapixel" if value == "1" else f"{value} megapixels"


def describe_file(head: bytes) -> str | None:
    """What a file that is not an accepted picture seems to be, from its first bytes."""
    stripped = head.lstrip()
    for offset, signature, description in KNOWN_SIGNATURES:
        sample = stripped if signature.startswith(b"<") else head
        if sample[offset : offset + len(signature)] == signature:
            return description
    return None


def looks_accepted(head: bytes) -> bool:
    """Whether a file starts like an accepted format (so if Pillow can't open it, it's damaged)."""
    return (
        head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a"))
        or head[:4] == b"RIFF"
        and head[8:12] == b"WEBP"
    )


def file_size(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    return size


def open_checked_image(file: IO[bytes]) -> PILImage.Image:
    """Open an uploaded file with Pillow after checking it fully, or raise ValidationError.

    The returned image has been decoded once (every frame of an animation), so it is known to
    be complete; it is positioned on its first frame.
    """
    size = file_size(file)
    if size == 0:
        raise ValidationError("The file is empty. Choose the picture again.", code="empty")
    if size > max_bytes():
        raise ValidationError(
            "The file is %(size)s; pictures can be at most %(limit)s. "
            "Export a smaller version (a JPEG of 5 MB is plenty for the web).",
            code="file_too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(max_bytes())},
        )
    file.seek(0)
    try:
        image = PILImage.open(file, formats=ACCEPTED_FORMATS)
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        # Pillow read the dimensions from the header and stopped before decoding anything.
        raise ValidationError(
            "The picture has too many pixels to be processed safely; the limit is %(limit)s. "
            "Scale it down before uploading.",
            code="too_many_pixels",
            params={"limit": megapixels(max_pixels())},
        ) from None
    except PILImage.UnidentifiedImageError:
        file.seek(0)
        head = file.read(64)
        if looks_accepted(head):
            raise damaged() from None
        seems = describe_file(head)
        raise ValidationError(
            (f"This file is {seems}, not " if seems else "This file is not ")
            + f"{ACCEPTED_DESCRIPTION} (its content counts, not its name). "
            "Save or export it as a JPEG or PNG and upload that.",
            code="not_an_image",
        ) from None
    except Exception as error:  # noqa: BLE001 - any parser failure on untrusted bytes is "damaged"
        raise damaged() from error
    check_dimensions(image)
    try:
        for index in range(frame_count(image)):
            image.seek(index)
            image.load()
        image.seek(0)
    except Exception as error:  # noqa: BLE001 - truncated and corrupt files fail in many ways
        raise damaged() from error
    return image


def check_dimensions(image: PILImage.Image) -> None:
    """Refuse a picture, before decoding it, whose pixels (all frames together) exceed the limit."""
    width, height = image.size
    if width * height > max_pixels():
        raise ValidationError(
            "The picture is %(width)s × %(height)s pixels (%(pixels)s); the limit is %(limit)s. "
            "Scale it down before uploading.",
            code="too_many_pixels",
            params={
                "width": f"{width:,}",
                "height": f"{height:,}",
                "pixels": megapixels(width * height),
                "limit": megapixels(max_pixels()),
            },
        )
    try:
        frames = frame_count(image)
    except Exception as error:  # noqa: BLE001 - counting frames walks the whole file
        raise damaged() from error
    if frames > MAX_FRAMES:
        raise ValidationError(
            "The animation has %(frames)s frames; the limit is %(limit)s.",
            code="too_many_frames",
            params={"frames": frames, "limit": MAX_FRAMES},
        )
    if width * height * frames > max_pixels():
        raise ValidationError(
            "The animation's %(frames)s frames add up to %(pixels)s; the limit is %(limit)s. "
            "Make it smaller or shorter.",
            code="too_many_pixels",
            params={
                "frames": frames,
                "pixels": megapixels(width * height * frames),
                "limit": megapixels(max_pixels()),
            },
        )


def frame_count(image: PILImage.Image) -> int:
    """How many frames of `image` are shown: an animation's, or 1 for a still picture."""
    # The extra pictures of a camera's multi-picture JPEG are previews or depth maps, not frames.
    if image.format == "MPO":
        return 1
    return getattr(image, "n_frames", 1)


def damaged() -> ValidationError:
    return ValidationError(
        "The file is damaged or incomplete, perhaps cut off while it was copied or downloaded. "
        "Export or download the picture again and upload the new copy.",
        code="damaged",
    )
