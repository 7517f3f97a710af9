"""Times as machines read them (HTML, feeds, sitemaps, JSON-LD, ninjs): to the whole second.

The database keeps microseconds, but HTML allows at most three digits of a fraction of a
second in `<time datetime>`, and no reader of our channels needs one. So every writer passes
its times through `whole_seconds()`, or `machine_time()` for ISO 8601 text, and the stored
values stay exact for ordering and filtering.
"""

from datetime import datetime

from django.utils import timezone


def whole_seconds(moment: datetime | None) -> datetime | None:
    """`moment` without its fraction of a second (None stays None)."""
    return moment.replace(microsecond=0) if moment is not None else None


def machine_time(moment: datetime | None) -> str:
    """`moment` as ISO 8601 in the site's time zone, with its offset, to the whole second
    (`2026-04-05T11:30:00+02:00`), or "" for none."""
    if moment is None:
        return ""
    return timezone.localtime(whole_seconds(moment)).isoformat()
