"""Cached channels that list stories (the sitemaps), and forgetting them when a listing changes.

Each cached response belongs to the current *generation* of listings. `forget_listings()`
ends the generation, so every app server sharing the cache stops using every old response
at once, without anyone knowing their keys. A generation also ends by itself at the next
scheduled publication or takedown time, when what readers see changes without a save.
Only Django's cache API is used: with Redis (REDIS_URL) all app servers share the generation;
a per-process cache forgets at once only in the process that saved.
"""

import hashlib
import math
import uuid
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

GENERATION_KEY = "articles:listings:generation"


def forget_listings() -> None:
    """Drop every cached listing, on every app server, once the current transaction commits."""
    # Not before the commit: another server could otherwise cache the old rows again under
    # the new generation. A cache that is down must not turn a saved story into an error.
    transaction.on_commit(lambda: cache.delete(GENERATION_KEY), robust=True)


def current_generation() -> tuple[str, datetime | None]:
    """The current generation's token, and when it ends by itself (None: only on a save)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None or (generation[1] is not None and generation[1] <= timezone.now()):
        from .models import Article

        # A random token, not a counter: a generation key evicted from the cache and made
        # again must never match responses cached under an older one.
        generation = (uuid.uuid4().hex, Article.objects.next_scheduled_change())
        cache.set(GENERATION_KEY, generation, None)
    return generation


def cache_listing(max_seconds: int) -> Callable:
    """Cache a view's successful GET responses until the generation ends or `max_seconds` pass.

    The timeout also bounds how long a change no save reports (such as a tag renamed) shows
    late.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in {"GET", "HEAD"}:
                return view(request, *args, **kwargs)
            token, ends_at = current_generation()
            address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
            key = f"articles:listing:{token}:{address}"
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code == 200:
                    if hasattr(response, "render"):
                        response.render()
                    # Caches downstream can't be told when a story is withdrawn: they ask
                    # each time, and the answer comes from here.
                    patch_cache_control(response, no_cache=True)
                    cache.set(key, response, _seconds_until(ends_at, max_seconds))
            return response

        return cached_view

    return decorator


def _seconds_until(ends_at: datetime | None, max_seconds: int) -> int:
    if ends_at is None:
        return max_seconds
    return max(1, min(max_seconds, math.ceil((ends_at - timezone.now()).total_seconds())))
