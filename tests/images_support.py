"""Helpers for the image library's tests: pictures made in memory and reading responses."""

import io
import struct
import zlib
from itertools import count

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags
from PIL import Image as PILImage

from images.models import Image

_numbers = count(1)

RED = (220, 20, 20)
BLUE = (20, 20, 220)
WHITE = (255, 255, 255)


def picture_bytes(
    size: tuple[int, int] = (800, 600), colour=BLUE, file_format: str = "JPEG", **options
) -> bytes:
    output = io.BytesIO()
    PILImage.new("RGBA" if file_format == "PNG" else "RGB", size, colour).save(
        output, file_format, **options
    )
    return output.getvalue()


def noisy_jpeg(size: tuple[int, int] = (640, 480)) -> bytes:
    """A JPEG with enough detail that cutting it short loses real image data."""
    output = io.BytesIO()
    PILImage.effect_noise(size, 64).convert("RGB").save(output, "JPEG", quality=95)
    return output.getvalue()


def camera_exif(orientation: int = 1) -> bytes:
    """EXIF as a phone writes it: orientation, camera make and a GPS position."""
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 24.0, 36.0)
    return exif.tobytes()


def half_red_half_blue(size: tuple[int, int] = (300, 200), **options) -> bytes:
    """A JPEG whose left half is red and right half blue."""
    picture = PILImage.new("RGB", size, BLUE)
    picture.paste(RED, (0, 0, size[0] // 2, size[1]))
    output = io.BytesIO()
    picture.save(output, "JPEG", quality=95, **options)
    return output.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims to be width × height but holds almost no data: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def make_image(data: bytes | None = None, name: str = "photo.jpg", **overrides) -> Image:
    """A saved Image of `data` (a 2400 × 1600 blue JPEG unless given)."""
    number = next(_numbers)
    fields = {
        "alt_text": f"Alt text {number}",
        "caption": f"Caption {number}",
        "credit": "Jane Doe/Reuters",
    } | overrides
    image = Image(
        file=ContentFile(data or picture_bytes((2400, 1600)), name=name),
        **fields,
    )
    image.save()
    return image


def border_crossing() -> Image:
    """A 2400 × 1600 picture with its own caption and a credit."""
    return make_image(
        alt_text="Gleb Karakulov at the border crossing.",
        caption="The border crossing at Narva.",
        credit="Jane Doe/Reuters",
    )


def rendition_path(image: Image, ratio: str, width: int, file_format: str = "jpg") -> str:
    """The address of one rendition of `image`, as pages name it."""
    return f"/images/{image.pk}/{image.content_key}/{ratio}/{width}.{file_format}"


def srcset(image: Image, ratio: str, file_format: str, widths: list[int]) -> str:
    """A srcset of `image`'s renditions in these widths, as pages write it."""
    return ", ".join(
        f"{rendition_path(image, ratio, width, file_format)} {width}w" for width in widths
    )


def content(response) -> bytes:
    """The body of a response, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def open_served(response) -> PILImage.Image:
    assert response.status_code == 200, response
    return PILImage.open(io.BytesIO(content(response)))


def stored_files(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
