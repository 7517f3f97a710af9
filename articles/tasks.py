"""Work done after the response, by the task worker (`manage.py db_worker`) in production."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task, task_backends

from .caching import bump_versions
from .purges import purge_targets

logger = logging.getLogger(__name__)

# A CDN that refuses is asked again after 2, 4, 8 and 16 seconds; then the purge is given up
# (the cached copies end with their s-maxage) and logged as an error.
PURGE_ATTEMPTS = 5


def purge_later(keys: list[str]) -> None:
    """Queue the purges of `keys` (if caches to purge are configured), and, behind read
    replicas, the same invalidation once more when they have caught up."""
    if settings.NEWSROOM_PURGE_URLS:
        purge.enqueue(keys)
    if settings.DATABASE_REPLICAS and _can_defer():
        # A server that read from a replica not yet showing the change may have cached the
        # old rows under the new versions; so may a CDN that asked it.
        lag = timedelta(seconds=settings.NEWSROOM_REPLICA_PIN_SECONDS)
        invalidate_again.using(run_after=timezone.now() + lag).enqueue(keys)


@task()
def purge(keys: list[str], targets: list[int] | None = None, attempt: int = 1) -> None:
    """Ask the caches NEWSROOM_PURGE_URLS names (those at `targets`, else all) to drop every
    response carrying one of `keys`; ask those that fail again later."""
    failed = []
    for index, target in enumerate(purge_targets()):
        if targets is not None and index not in targets:
            continue
        try:
            target.purge(keys)
        except OSError as error:
            logger.warning("Purge %d of %s at %s failed: %s", attempt, keys, target.url, error)
            failed.append(index)
    if not failed:
        return
    if attempt < PURGE_ATTEMPTS and _can_defer():
        later = timezone.now() + timedelta(seconds=2**attempt)
        purge.using(run_after=later).enqueue(keys, failed, attempt + 1)
    else:
        logger.error("Gave up purging %s from the caches %s", keys, failed)


@task()
def invalidate_again(keys: list[str]) -> None:
    """Drop the cached responses showing `keys` once more, here and in the CDNs."""
    bump_versions(keys)
    if settings.NEWSROOM_PURGE_URLS:
        purge.enqueue(keys)


def _can_defer() -> bool:
    # The immediate backend (development, tests) runs tasks at once and can't wait.
    return task_backends["default"].supports_defer
