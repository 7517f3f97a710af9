"""The floor `make bench` measures pages against: a Django view in the same server, behind the
same middleware, answering with a page's bytes captured once and kept in memory.

Mounted at /bench/floor/<name>/ only while NEWSROOM_BENCH_FLOOR_DIR names the folder the
benchmark wrote the captured pages to (<name>.body, and <name>.type for the Content-Type);
never in production. What a page costs beyond this floor is the page's own work: queries,
templates, the cache.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse


@cache
def captured(name: str) -> tuple[bytes, str]:
    """The bytes and Content-Type of the page captured as `name`, read once per process."""
    folder = Path(settings.NEWSROOM_BENCH_FLOOR_DIR)
    try:
        return (folder / f"{name}.body").read_bytes(), (folder / f"{name}.type").read_text()
    except FileNotFoundError as error:
        raise Http404(f"No page captured as {name!r}.") from error


def floor(request: HttpRequest, name: str) -> HttpResponse:
    body, content_type = captured(name)
    return HttpResponse(body, content_type=content_type)
