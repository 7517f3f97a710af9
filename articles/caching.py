"""The page cache: readers' responses kept in the shared cache, dropped exactly when something
they show changes, and sent with the headers caches in front of the site (a CDN, Varnish) need.

Surrogate keys name what a response shows: "article-12", "section-3", "image-8", and lists such
as "home", "list-tag-7" or "sitemap" ("site": the navigation, policy pages and publication
settings, on every response). While a response is made, views, template partials and queryset
helpers name the keys of what they show (`shows()`). A change names the keys it touches (the
models' `surrogate_keys()`), and `invalidate()`, once its transaction commits, gives each of
them a new version: one increment of a site-wide sequence and one `set_many`, in the shared
cache, so every app server sees it at once. It also asks the configured CDNs to purge those
keys (articles/tasks.py).

A cached response remembers the sequence number read before it was made, and is served while
none of its keys has a newer version (one `get_many`; none at all while the sequence has not
moved) and while the next scheduled publication or takedown, when readers' view changes with
nobody saving, is still to come. Each process keeps the pages it served last in its memory
too (`ProcessCopies`), so a page served again costs one read of the sequence number rather
than fetching the whole page, and the teasers it rendered for readers (`fragment()`), so a
page made anew renders only the stories that changed. Only Django's cache API is used: with
Redis (REDIS_URL) all app servers share it; a per-process cache forgets at once only in the
process that saved.

Never stored, never served from the cache: requests with the session cookie (staff), anything
but GET and HEAD, responses other than 200 and 410, responses setting cookies, and responses
made while a change waits for its transaction to commit in the same connection.
"""

import hashlib
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, parse_http_date, urlencode
from django.utils.safestring import SafeString

logger = logging.getLogger(__name__)

# What every page shows: the navigation, the policy pages, the publication settings.
SITE = "site"
# The lists every published story is on, whatever its section, authors and tags.
STORY_LISTINGS = frozenset({"home", "feed", "sitemap", "api-list", "search"})

SEQUENCE_KEY = "pages:sequence"
VERSION_KEY = "pages:version:"
RESPONSE_KEY = "pages:response:"
SCHEDULE_KEY = "pages:next-scheduled-change"
REMEMBERED_KEY = "pages:remembered:"
# How long a remembered value lasts at most if nothing it depends on changes (an hour):
# exact invalidation ends it sooner; this only lets the cache forget what nobody asks for.
REMEMBERED_SECONDS = 60 * 60
# The version of a key while a change to it is being recorded: newer than any sequence number,
# so anything showing it counts as changed. It expires, so that a change interrupted halfway
# only delays caching what it touched.
CHANGING = 2**62
CHANGING_SECONDS = 60
STORED_STATUSES = {200, 410}

Remembered = TypeVar("Remembered")

_shown: ContextVar[set[str] | None] = ContextVar("newsroom_surrogate_keys", default=None)
# The sequence number read before the reader's page being made: what its fragments are judged at.
_page_sequence: ContextVar[int | None] = ContextVar("newsroom_page_sequence", default=None)


def surrogate_key(instance: models.Model) -> str:
    """The key of one object, such as "article-12": every response showing it carries it."""
    return object_key(instance._meta.model_name, instance.pk)


def object_key(model_name: str, pk: int) -> str:
    """The key of the object of model `model_name` with primary key `pk`."""
    return f"{model_name}-{pk}"


def listing_key(model_name: str, pk: int) -> str:
    """The key of the list of stories of one section, author, tag or source ("list-tag-7")."""
    return f"list-{model_name}-{pk}"


def slugs_key(model_name: str) -> str:
    """The key of the lists that find a section, author or tag by its slug (the API's
    filters, "slugs-tag"): any of them renamed, merged or deleted may change what they hold."""
    return f"slugs-{model_name}"


def shows(*things: models.Model | str | None) -> None:
    """Note that the response being made shows these objects (or keys); None is skipped."""
    shown = _shown.get()
    if shown is None:
        return
    for thing in things:
        if thing:  # a template's missing value is ""
            shown.add(thing if isinstance(thing, str) else surrogate_key(thing))


@contextmanager
def collecting_keys() -> Iterator[set[str]]:
    """The surrogate keys `shows()` is told while the block runs."""
    shown = {SITE}
    token = _shown.set(shown)
    try:
        yield shown
    finally:
        _shown.reset(token)


# Invalidation


class _Invalidation:
    """What a transaction changed, bumped and purged once it commits. Until then the change is
    in flight: the connection that made it reads no cached response and stores none."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.done = False

    def __call__(self) -> None:
        self.done = True
        keys = sorted(self.keys)
        # Every step robust: a cache or a CDN that is down must not turn a saved story into
        # an error; the cached copies then end with their timeout.
        try:
            bump_versions(keys)
        except Exception:
            logger.exception("Could not drop the cached responses showing %s", keys)
        from .tasks import purge_later

        try:
            purge_later(keys)
        except Exception:
            logger.exception("Could not queue the purge of %s", keys)


def invalidate(keys: Iterable[str]) -> None:
    """Drop every cached response showing one of `keys`, on every app server and in the CDNs,
    once the current transaction commits (at once outside one)."""
    # Not before the commit: another server could otherwise cache the old rows again under
    # the new versions. One callback per transaction, however many saves it makes.
    pending = _pending_invalidation()
    if pending is None:
        pending = _Invalidation()
        pending.keys.update(keys)
        transaction.on_commit(pending, robust=True)
    else:
        pending.keys.update(keys)


def _pending_invalidation() -> _Invalidation | None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    # A savepoint rolled back takes its callbacks off this list, and so its change.
    for _, callback, *_ in connection.run_on_commit:
        if isinstance(callback, _Invalidation) and not callback.done:
            return callback
    return None


def change_in_flight() -> bool:
    """Whether this connection has changed what readers see in a transaction not yet committed."""
    return _pending_invalidation() is not None


def forget(*cache_keys: str) -> None:
    """Delete values cached for every page (navigation, policy pages) now and again once the
    transaction commits, so that no server keeps the rows it read in between."""
    cache.delete_many(cache_keys)
    transaction.on_commit(lambda: cache.delete_many(cache_keys), robust=True)


def bump_versions(keys: Iterable[str]) -> int:
    """Give `keys` a new version, newer than any cached response.

    The keys are marked as changing before the sequence moves: whoever reads the sequence
    number after the increment finds each key changing or changed, never its old version, so
    what is found current at a sequence number is current at it (fragments rely on this).
    """
    version_keys = [VERSION_KEY + key for key in keys]
    cache.set_many(dict.fromkeys(version_keys, CHANGING), timeout=CHANGING_SECONDS)
    try:
        sequence = cache.incr(SEQUENCE_KEY)
    except ValueError:  # never set, or evicted
        _start_sequence()
        sequence = cache.incr(SEQUENCE_KEY)
    cache.set_many(dict.fromkeys(version_keys, sequence), timeout=None)
    return sequence


def _start_sequence() -> int:
    # From the clock in microseconds: a sequence evicted and started again must still count
    # above every version it ever handed out.
    cache.add(SEQUENCE_KEY, time.time_ns() // 1000, timeout=None)
    return cache.get(SEQUENCE_KEY)


# Cached responses


class _Kept:
    """Something kept for readers with the keys it shows, the sequence number it is current
    at and the time it ends."""

    keys: tuple[str, ...]
    sequence: int
    fresh_until: datetime

    def is_current(self, sequence: int) -> bool:
        """Whether nothing it shows has changed since its sequence number (`sequence`: now)."""
        if self.fresh_until <= timezone.now():
            return False
        return _unchanged_since(self.sequence, self.keys, sequence)


@dataclass(frozen=True)
class CachedResponse(_Kept):
    """A response as the shared cache keeps it, with what decides whether it is still current."""

    status: int
    content: bytes
    headers: tuple[tuple[str, str], ...]
    keys: tuple[str, ...]
    sequence: int
    fresh_until: datetime
    changes_at: datetime | None
    etag: str
    last_modified: datetime
    # What the page adds to the Content-Security-Policy (django-csp's per-response update,
    # such as the frames of its embeds): the middleware writes the header from it afterwards.
    csp_update: dict | None = None

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status, headers=dict(self.headers))
        if self.csp_update:
            response._csp_update = self.csp_update
        return response


def cached_for_readers(
    *, query: Iterable[str] = (), keys: Iterable[str] = (), store: bool = True
) -> Callable:
    """Serve a view's answers to readers from the shared cache, with the HTTP caching headers.

    `query` names the parameters the view reads (others don't make another copy); `keys` are
    surrogate keys every response of the view carries. With `store=False` responses get the
    headers (and a CDN may keep them) but the app servers keep no copy.
    """
    query, keys = tuple(query), tuple(keys)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            if not is_reader(request) or change_in_flight():
                return _private(request, _made(view(request, *args, **kwargs)))
            address = RESPONSE_KEY + _address(request, query)
            sequence = cache.get(SEQUENCE_KEY) or _start_sequence()
            previous = None
            if store:
                if (copy := process_copies.current(address, sequence)) is not None:
                    return _answer(request, copy)
                previous = cache.get(address)
                if previous is not None and previous.is_current(sequence):
                    process_copies.keep(address, previous)
                    return _answer(request, previous)
            with collecting_keys() as shown, _made_at(sequence):
                shows(*keys)
                response = _made(view(request, *args, **kwargs))
            if response.status_code == 304:  # the view answered the condition itself (the API)
                changes_at = next_scheduled_change(sequence)
                patch_cache_control(response, public=True, **_lifetimes(changes_at))
                patch_vary_headers(response, ["Cookie"])
                return response
            if response.status_code not in STORED_STATUSES:
                return response
            if response.cookies:  # meant for this browser alone
                return _private(request, response)
            made = _keep(response, shown, sequence, previous)
            if store and settings.NEWSROOM_PAGE_CACHE_SECONDS and _store(address, made):
                process_copies.keep(address, made)
            return _answer(request, made)

        return cached_view

    return decorator


def is_reader(request: HttpRequest) -> bool:
    """Whether the request comes from a reader: no session cookie, so no staff login."""
    # The cookie rather than request.user: looking the session up would cost a query, and
    # readers never get a session.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _private(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A response no cache may keep, with validators all the same."""
    if response.status_code in STORED_STATUSES:
        response.headers.setdefault("ETag", _etag(response.content))
        response.headers.setdefault("Last-Modified", http_date())
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Cookie"])
    return _conditional(request, response)


def _made(response: HttpResponse) -> HttpResponse:
    if hasattr(response, "render") and not response.is_rendered:
        response.render()  # a TemplateResponse, rendered while the keys are collected
    return response


def _keep(
    response: HttpResponse, shown: set[str], sequence: int, previous: CachedResponse | None
) -> CachedResponse:
    """What to keep of a response just made: its content, keys and validators."""
    now = timezone.now()
    changes_at = next_scheduled_change(sequence)
    fresh_until = now + timedelta(seconds=settings.NEWSROOM_PAGE_CACHE_SECONDS)
    if changes_at is not None:
        fresh_until = min(fresh_until, changes_at)
    etag = response.get("ETag") or _etag(response.content)
    if response.has_header("Last-Modified"):
        last_modified = _parse_http_date(response["Last-Modified"])
    elif previous is not None and previous.etag == etag:
        last_modified = previous.last_modified  # made again, unchanged
    else:
        last_modified = now
    return CachedResponse(
        status=response.status_code,
        content=response.content,
        headers=tuple(response.headers.items()),
        keys=tuple(sorted(shown)),
        sequence=sequence,
        fresh_until=fresh_until,
        changes_at=changes_at,
        etag=etag,
        last_modified=last_modified,
        csp_update=getattr(response, "_csp_update", None),
    )


def _store(address: str, made: CachedResponse) -> bool:
    if not _versions_kept(made.keys, made.sequence):
        return False
    seconds = (made.fresh_until - timezone.now()).total_seconds()
    cache.set(address, made, max(1, math.ceil(seconds)))
    return True


class ProcessCopies:
    """The responses (or fragments) this process last served, kept in its memory, and judged
    current by the shared cache's rule: one small read of the sequence number (and of their
    keys' versions once it moved) instead of fetching and unpickling the whole page from the
    shared cache for every request. At most `size` of them, the least recently served
    dropped."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._copies: OrderedDict[str, CachedResponse] = OrderedDict()
        self._lock = threading.Lock()  # threaded servers (runserver, gthread) share it

    def current(self, address: str, sequence: int) -> CachedResponse | None:
        """The copy kept for `address`, if nothing it shows changed (`sequence`: now)."""
        with self._lock:
            made = self._copies.get(address)
        # Judged against the sequence number it carries: a page's is the one it was made at,
        # a fragment's moves on once it is found current at a later one (fragment()).
        if made is None or not made.is_current(sequence):
            with self._lock:
                self._copies.pop(address, None)
            return None
        with self._lock:
            if address in self._copies:
                self._copies.move_to_end(address)
        return made

    def keep(self, address: str, made: CachedResponse) -> None:
        """Keep `made`, found current, for `address`."""
        if self.size <= 0:
            return
        with self._lock:
            self._copies[address] = made
            self._copies.move_to_end(address)
            while len(self._copies) > self.size:
                self._copies.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()


process_copies = ProcessCopies(settings.NEWSROOM_PAGE_COPIES_PER_PROCESS)


# Fragments


@dataclass(frozen=True)
class Fragment(_Kept):
    """Part of readers' pages (a teaser), as this process keeps it."""

    html: SafeString
    keys: tuple[str, ...]
    sequence: int
    fresh_until: datetime


fragment_copies = ProcessCopies(settings.NEWSROOM_FRAGMENT_COPIES_PER_PROCESS)


def fragment(name: str, make: Callable[[], SafeString]) -> SafeString:
    """What `make()` renders for a reader's page, made once and kept in this process until
    something it shows changes or the next scheduled publication or takedown comes; the keys
    it shows become the page's. Outside a reader's page (staff, previews) it is made anew."""
    shown, sequence = _shown.get(), _page_sequence.get()
    if shown is None or sequence is None or fragment_copies.size <= 0:
        return make()
    copy = fragment_copies.current(name, sequence)
    if copy is None:
        with collecting_keys() as keys:
            html = make()
        fresh_until = _fresh_until(sequence, REMEMBERED_SECONDS)
        copy = Fragment(html, tuple(sorted(keys)), sequence, fresh_until)
        if _versions_kept(copy.keys, sequence):
            fragment_copies.keep(name, copy)
    elif copy.sequence != sequence:
        # Found current at this later number, which bump_versions() makes safe to rely on: the
        # next request need not read the versions again until the sequence moves.
        fragment_copies.keep(name, replace(copy, sequence=sequence))
    shown.update(copy.keys)
    return copy.html


@contextmanager
def _made_at(sequence: int) -> Iterator[None]:
    token = _page_sequence.set(sequence)
    try:
        yield
    finally:
        _page_sequence.reset(token)


def _fresh_until(sequence: int, seconds: int) -> datetime:
    """When something made at `sequence` ends at the latest: in `seconds`, or sooner when the
    next scheduled publication or takedown changes what readers see."""
    fresh_until = timezone.now() + timedelta(seconds=seconds)
    changes_at = next_scheduled_change(sequence)
    return fresh_until if changes_at is None else min(fresh_until, changes_at)


def _unchanged_since(made: int, keys: Iterable[str], sequence: int) -> bool:
    """Whether none of `keys` has changed since sequence number `made` (`sequence`: now)."""
    if made == sequence:
        return True  # nothing anywhere has changed since
    keys = list(keys)
    versions = cache.get_many([VERSION_KEY + key for key in keys])
    # A version missing (evicted) counts as changed.
    return len(versions) == len(keys) and max(versions.values(), default=0) <= made


def _versions_kept(keys: Iterable[str], sequence: int) -> bool:
    """Give each of `keys` a version if it has none; False if one changed after `sequence`
    (what was made then is out of date already, and must not be kept)."""
    version_keys = [VERSION_KEY + key for key in keys]
    versions = cache.get_many(version_keys)
    if any(version > sequence for version in versions.values()):
        return False
    for key in set(version_keys) - versions.keys():
        # `add`, not `set`: a bump made meanwhile must win.
        cache.add(key, sequence, timeout=None)
    return True


def remembered(name: str, keys: Iterable[str], make: Callable[[], Remembered]) -> Remembered:
    """What `make()` returns, kept in the shared cache until one of `keys` changes or the next
    scheduled publication or takedown comes: work a page does that need not be done again for
    every request (its choice of related stories), with the same exact invalidation as pages."""
    if change_in_flight():
        return make()
    keys = tuple(sorted(keys))
    address = REMEMBERED_KEY + name
    found = cache.get_many([address, SEQUENCE_KEY])
    sequence = found.get(SEQUENCE_KEY) or _start_sequence()
    if (previous := found.get(address)) is not None:
        made, fresh_until, value = previous
        if fresh_until > timezone.now() and _unchanged_since(made, keys, sequence):
            return value
    value = make()
    fresh_until = _fresh_until(sequence, REMEMBERED_SECONDS)
    if _versions_kept(keys, sequence):
        seconds = max(1, math.ceil((fresh_until - timezone.now()).total_seconds()))
        cache.set(address, (sequence, fresh_until, value), seconds)
    return value


def _answer(request: HttpRequest, made: CachedResponse) -> HttpResponse:
    """The response for a reader, with validators, caching headers and surrogate keys."""
    response = made.response()
    response["ETag"] = made.etag
    response["Last-Modified"] = http_date(made.last_modified.timestamp())
    patch_cache_control(response, public=True, **_lifetimes(made.changes_at))
    patch_vary_headers(response, ["Cookie"])
    response["Surrogate-Key"] = " ".join(made.keys)  # Fastly, Varnish (deploy/varnish)
    response["Cache-Tag"] = ",".join(made.keys)  # Cloudflare
    return _conditional(request, response)


def _lifetimes(changes_at: datetime | None) -> dict[str, int]:
    """max-age, s-maxage and stale-while-revalidate, none reaching past `changes_at`."""
    remaining = math.inf
    if changes_at is not None:
        remaining = max(1, math.ceil((changes_at - timezone.now()).total_seconds()))
    lifetimes = {
        "max_age": min(settings.NEWSROOM_CACHE_MAX_AGE, remaining),
        "s_maxage": min(settings.NEWSROOM_CACHE_S_MAXAGE, remaining),
    }
    stale = settings.NEWSROOM_CACHE_STALE_WHILE_REVALIDATE
    if stale and max(lifetimes.values()) + stale <= remaining:
        lifetimes["stale_while_revalidate"] = stale
    return lifetimes


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if not response.has_header("ETag"):
        return response
    last_modified = response.get("Last-Modified")
    seconds = int(_parse_http_date(last_modified).timestamp()) if last_modified else None
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=seconds, response=response
    )


def _address(request: HttpRequest, query: tuple[str, ...]) -> str:
    """The cache address of a request: scheme, host, path and the parameters the view reads."""
    params = sorted((name, value) for name in query for value in request.GET.getlist(name))
    url = request.build_absolute_uri(request.path) + "?" + urlencode(params)
    return hashlib.sha256(url.encode()).hexdigest()


def _etag(content: bytes) -> str:
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def _parse_http_date(value: str) -> datetime:
    return datetime.fromtimestamp(parse_http_date(value), tz=UTC)


# Time


def next_scheduled_change(sequence: int | None = None) -> datetime | None:
    """The next publication or takedown time, or time a front page layout goes live (None:
    nothing scheduled), kept in the shared cache until anything changes (`sequence` moves)
    or the time comes."""
    if sequence is None:
        sequence = cache.get(SEQUENCE_KEY) or _start_sequence()
    found = cache.get(SCHEDULE_KEY)
    if (
        found is not None
        and found[0] == sequence
        and (found[1] is None or found[1] > timezone.now())
    ):
        return found[1]
    from .models import Article, FrontPage

    # Two queries for the whole site, after each change.
    times = [Article.objects.next_scheduled_change(), FrontPage.objects.next_go_live()]
    changes_at = min(filter(None, times), default=None)
    cache.set(SCHEDULE_KEY, (sequence, changes_at), timeout=None)
    return changes_at
