import logging
from pathlib import PurePath

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from .models import Image
from .processing import CONTENT_TYPES

logger = logging.getLogger(__name__)

# An address names the same bytes forever (see Image.content_key).
IMMUTABLE = "public, max-age=31536000, immutable"


@require_safe
def rendition(
    request: HttpRequest, pk: int, key: str, ratio: str, width: int, file_format: str
) -> HttpResponse:
    image = get_object_or_404(Image, pk=pk)
    try:
        found = image.served_rendition(key, ratio, width, file_format)
    except FileNotFoundError:
        logger.error("The original of image %s, %s, is missing from storage", pk, image.file.name)
        raise Http404("The picture file is missing.") from None
    if found is None:
        raise Http404("This picture does not come in that size, crop or format.")
    return serve(found.file, CONTENT_TYPES[file_format])


@require_safe
def original(request: HttpRequest, pk: int, key: str, extension: str) -> HttpResponse:
    image = get_object_or_404(Image, pk=pk)
    if key != image.content_key or PurePath(image.file.name).suffix != f".{extension}":
        raise Http404("This picture has changed; its address has too.")
    return serve(image.file, CONTENT_TYPES[extension])


def serve(file: FieldFile, content_type: str) -> HttpResponse:
    """A stored file, streamed from storage, even when that is an object store with addresses
    of its own: pages then load pictures from the site only (as the Content-Security-Policy
    asks), the bucket can stay private, and a CDN in front keeps each address for a year."""
    try:
        stored = file.storage.open(file.name, "rb")
    except FileNotFoundError:
        logger.error("Stored picture %s is missing from storage", file.name)
        raise Http404("The picture file is missing.") from None
    response = FileResponse(stored, content_type=content_type)
    response["Cache-Control"] = IMMUTABLE
    return response
