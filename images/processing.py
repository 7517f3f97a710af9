"""Pillow work for the image library: normalising uploads and making renditions.

Nothing here touches the database or storage, so the benchmark and the tests can call it on
bytes in memory.
"""

import io
import logging
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import PurePath
from typing import IO, NamedTuple

from django.core.files.base import ContentFile
from django.utils.text import slugify
from PIL import ExifTags, ImageCms
from PIL import Image as PILImage

from .validation import ACCEPTED_FORMATS, damaged, frame_count, open_checked_image

logger = logging.getLogger(__name__)

# File name extension of each format the library stores; a multi-picture JPEG is kept as a JPEG.
EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}

# Renditions readers get: WebP for browsers that take it, JPEG for the rest.
RENDITION_FORMATS = {"webp": "WEBP", "jpg": "JPEG"}

# Encoder settings. Renditions trade a little quality for much smaller pages; a re-encoded
# original stays close to what was uploaded, because every rendition is made from it.
ORIGINAL_JPEG = {"quality": 92}
ORIGINAL_WEBP = {"quality": 92, "method": 4}
RENDITION_ENCODERS = {
    "jpg": {"quality": 82, "optimize": True, "progressive": True},
    "webp": {"quality": 80, "method": 4},
}
DEFAULT_FRAME_DURATION = 100  # milliseconds, what browsers assume for a GIF frame without one

# How to turn a picture upright for each EXIF orientation, as ImageOps.exif_transpose does.
UPRIGHT = {
    2: PILImage.Transpose.FLIP_LEFT_RIGHT,
    3: PILImage.Transpose.ROTATE_180,
    4: PILImage.Transpose.FLIP_TOP_BOTTOM,
    5: PILImage.Transpose.TRANSPOSE,
    6: PILImage.Transpose.ROTATE_270,
    7: PILImage.Transpose.TRANSVERSE,
    8: PILImage.Transpose.ROTATE_90,
}

# The only entries of Pillow's `info` we write back: how a picture is drawn, never who or where.
DRAWING_INFO = ("transparency",)


class Ratio(NamedTuple):
    """The proportions of a crop, such as 16:9."""

    width: int
    height: int

    @classmethod
    def parse(cls, text: str | None) -> "Ratio | None":
        """The ratio written as "16:9" (or "16x9" as in URLs); None for the uncropped picture."""
        if text in (None, "", "full", "original"):
            return None
        width, separator, height = text.replace("x", ":").partition(":")
        if not (separator and width.isdigit() and height.isdigit()):
            raise ValueError(f"{text!r} is not an aspect ratio such as “16:9”.")
        if int(width) < 1 or int(height) < 1:
            raise ValueError(f"{text!r} is not an aspect ratio such as “16:9”.")
        return cls(int(width), int(height))

    def __str__(self) -> str:
        return f"{self.width}:{self.height}"

    @property
    def slug(self) -> str:
        """How the ratio appears in rendition URLs and file names: "16x9"."""
        return f"{self.width}x{self.height}"


def ratio_slug(ratio: Ratio | None) -> str:
    return ratio.slug if ratio else "full"


@dataclass(frozen=True)
class Rendered:
    content: bytes
    width: int
    height: int


class NormalizedFile(ContentFile):
    """A checked upload, re-encoded upright and without metadata, ready to store."""

    def __init__(self, content: bytes, name: str, width: int, height: int) -> None:
        super().__init__(content, name=name)
        self.width = width
        self.height = height


def clamp(value: int, lowest: int, highest: int) -> int:
    return max(lowest, min(value, highest))


def crop_box(
    width: int, height: int, ratio: Ratio | None, focal_x: float, focal_y: float
) -> tuple[int, int, int, int]:
    """The largest box of `ratio` in a width × height picture, centred on the focal point as
    far as the edges allow (left, top, right, bottom)."""
    if ratio is None:
        return (0, 0, width, height)
    if width * ratio.height > height * ratio.width:
        box_width, box_height = max(1, round(height * ratio.width / ratio.height)), height
    else:
        box_width, box_height = width, max(1, round(width * ratio.height / ratio.width))
    left = clamp(round(focal_x * width - box_width / 2), 0, width - box_width)
    top = clamp(round(focal_y * height - box_height / 2), 0, height - box_height)
    return (left, top, left + box_width, top + box_height)


def rendition_size(
    width: int, height: int, ratio: Ratio | None, target_width: int
) -> tuple[int, int]:
    """The size of a rendition `target_width` wide of a width × height picture."""
    if ratio is None:
        return target_width, max(1, round(target_width * height / width))
    return target_width, max(1, round(target_width * ratio.height / ratio.width))


def rendition_widths(
    width: int, height: int, ratio: Ratio | None, widths: Sequence[int]
) -> list[int]:
    """The widths of `widths` a picture can be shown at without upscaling, plus its own width
    when that is smaller than the largest."""
    left, _top, right, _bottom = crop_box(width, height, ratio, 0.5, 0.5)
    largest = right - left
    chosen = [candidate for candidate in sorted(widths) if candidate <= largest]
    if largest < max(widths) and largest not in chosen:
        chosen.append(largest)
    return chosen


def stored_name(upload_name: str | None, extension: str) -> str:
    """A file name for a stored original: the upload's name, made safe, and a random part so
    a replaced picture never reuses an address."""
    stem = slugify(PurePath(upload_name or "").stem)[:60].strip("-") or "picture"
    return f"{stem}-{secrets.token_hex(4)}.{extension}"


def normalize_upload(file: IO[bytes]) -> NormalizedFile:
    """Check an upload and re-encode it upright (EXIF orientation applied), in sRGB and without
    metadata (EXIF with GPS, XMP, comments, colour profiles); raises ValidationError."""
    if isinstance(file, NormalizedFile):
        return file
    image = open_checked_image(file)
    try:
        if frame_count(image) > 1:
            content, size = encode_animation(image)
        else:
            content, size = encode_still(image)
    except Exception as error:  # noqa: BLE001 - it decoded, but hostile input can fail later
        logger.warning("A checked upload could not be re-encoded", exc_info=True)
        raise damaged() from error
    name = stored_name(getattr(file, "name", None), EXTENSIONS[image.format])
    return NormalizedFile(content, name=name, width=size[0], height=size[1])


def orientation(image: PILImage.Image) -> int:
    """The EXIF orientation of `image`: 1 when upright, unknown or unreadable."""
    try:
        return image.getexif().get(ExifTags.Base.Orientation, 1)
    except Exception:  # noqa: BLE001 - a broken EXIF block is dropped like any other
        return 1


def encode_still(image: PILImage.Image) -> tuple[bytes, tuple[int, int]]:
    output = io.BytesIO()
    source_format = image.format
    icc_profile = image.info.get("icc_profile")
    turn = UPRIGHT.get(orientation(image))
    if (
        source_format == "JPEG"
        and turn is None
        and image.mode in ("RGB", "L")
        and (not icc_profile or is_srgb(icc_profile))
    ):
        # Nothing to turn or convert: reuse the photographer's compression settings, so the
        # original loses nothing visible by being saved again.
        image.info = {}
        image.save(output, "JPEG", quality="keep")
        return output.getvalue(), image.size
    picture = image
    if turn is not None:
        picture = image.transpose(turn)
        image.close()  # frees the decoded pixels before encoding
    picture = to_srgb(picture, icc_profile)
    picture.info = {key: picture.info[key] for key in DRAWING_INFO if key in picture.info}
    if source_format in ("JPEG", "MPO"):
        if picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        picture.save(output, "JPEG", **ORIGINAL_JPEG)
    elif source_format == "WEBP":
        picture.save(output, "WEBP", **ORIGINAL_WEBP)
    else:
        picture.save(output, source_format)
    return output.getvalue(), picture.size


def encode_animation(image: PILImage.Image) -> tuple[bytes, tuple[int, int]]:
    loop = image.info.get("loop")
    turn = UPRIGHT.get(orientation(image))
    frames, durations = [], []
    for index in range(frame_count(image)):
        image.seek(index)
        durations.append(image.info.get("duration") or DEFAULT_FRAME_DURATION)
        frame = image.convert("RGBA")
        if turn is not None:
            frame = frame.transpose(turn)
        frame.info = {}
        frames.append(frame)
    options = {"save_all": True, "append_images": frames[1:], "duration": durations}
    if loop is not None:
        options["loop"] = loop
    if image.format == "GIF":
        # Frames come out of Pillow whole, so each replaces the last rather than drawing on it.
        options["disposal"] = 2
    elif image.format == "WEBP":
        options |= ORIGINAL_WEBP
    output = io.BytesIO()
    frames[0].save(output, image.format, **options)
    return output.getvalue(), frames[0].size


@cache
def srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def is_srgb(icc_profile: bytes) -> bool:
    try:
        description = ImageCms.getProfileDescription(
            ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return False
    return "srgb" in description.lower()


def to_srgb(picture: PILImage.Image, icc_profile: bytes | None) -> PILImage.Image:
    """`picture` in sRGB, the colours browsers assume for a picture without a profile."""
    if icc_profile and not is_srgb(icc_profile) and picture.mode in ("RGB", "RGBA", "CMYK"):
        try:
            return ImageCms.profileToProfile(
                picture,
                ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
                srgb_profile(),
                outputMode="RGBA" if picture.mode == "RGBA" else "RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken profile: keep the colours as they are
    if picture.mode == "CMYK":
        return picture.convert("RGB")
    return picture


def to_8_bits(picture: PILImage.Image) -> PILImage.Image:
    """`picture` in a mode the resampler and the web encoders take (RGB, RGBA or L)."""
    if picture.mode.startswith("I"):
        # 16-bit greyscale: scale down rather than let conversion clip everything to white.
        return picture.convert("I").point(lambda value: value / 256).convert("L")
    if picture.mode in ("RGB", "RGBA", "L"):
        return picture
    return picture.convert("RGBA" if picture.has_transparency_data else "RGB")


def make_rendition(
    source: IO[bytes],
    *,
    ratio: Ratio | None,
    width: int,
    focal_point: tuple[float, float],
    file_format: str,
) -> Rendered:
    """A rendition `width` pixels wide of the stored original in `source`, cropped to `ratio`
    around the focal point and encoded as `file_format` ("webp" or "jpg")."""
    image = PILImage.open(source, formats=ACCEPTED_FORMATS)
    full_width, full_height = image.size
    box = crop_box(full_width, full_height, ratio, *focal_point)
    if width > box[2] - box[0]:
        raise ValueError(f"A rendition {width} pixels wide would upscale this picture.")
    size = rendition_size(full_width, full_height, ratio, width)
    if image.format in ("JPEG", "MPO"):
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when that still covers the output: far
        # less memory and time than decoding every pixel of a camera's picture.
        scale = width / (box[2] - box[0])
        image.draft(image.mode, (math.ceil(full_width * scale), math.ceil(full_height * scale)))
    scale_x, scale_y = image.size[0] / full_width, image.size[1] / full_height
    scaled_box = (box[0] * scale_x, box[1] * scale_y, box[2] * scale_x, box[3] * scale_y)
    animated = file_format == "webp" and frame_count(image) > 1
    loop = image.info.get("loop", 0)
    frames, durations = [], []
    for index in range(frame_count(image) if animated else 1):
        image.seek(index)
        durations.append(image.info.get("duration") or DEFAULT_FRAME_DURATION)
        frame = image.convert("RGBA") if animated else to_8_bits(image)
        frame = frame.resize(size, PILImage.Resampling.LANCZOS, box=scaled_box, reducing_gap=3.0)
        if file_format == "jpg" and frame.mode == "RGBA":
            flattened = PILImage.new("RGB", frame.size, "white")
            flattened.paste(frame, mask=frame.getchannel("A"))
            frame = flattened
        frame.info = {}
        frames.append(frame)
    output = io.BytesIO()
    options = dict(RENDITION_ENCODERS[file_format])
    if animated:
        options |= {"save_all": True, "append_images": frames[1:], "duration": durations}
        options["loop"] = loop
    frames[0].save(output, RENDITION_FORMATS[file_format], **options)
    return Rendered(output.getvalue(), *size)
