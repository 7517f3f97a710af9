"""Reads from PostgreSQL read replicas, writes to the primary, and read-your-writes.

Reader requests (GET and HEAD outside the admin) read from one replica, chosen per request so
that a page is read from one snapshot. Everything else reads from the primary: writes, the
admin, management commands and the task worker, reads inside a transaction (they must see its
writes, and `select_for_update()` needs the primary), and the apps whose rows decide who may
do what (users, sessions, login attempts) or hand out work (the task queue).

A replica lags a little behind the primary. So that whoever just wrote doesn't read their old
rows from it, a response to a POST (or other unsafe request) that wrote — a login, an admin
save — sets a signed cookie, and that browser's requests read from the primary until it
expires (settings.NEWSROOM_REPLICA_PIN_SECONDS). A reader's GET that happens to write (the
first request for a picture's rendition) sets none: its response stays cacheable.
"""

import random
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

SAFE_METHODS = ("GET", "HEAD")
PRIMARY = DEFAULT_DB_ALIAS
PIN_COOKIE = "newsroom_primary"
PIN_SALT = "newsroom.replicas.pin"

# Read from the primary always: access decisions must not act on rows a replica hasn't got yet
# (a revoked permission, a login failure), and the task worker locks its rows.
PRIMARY_ONLY_APPS = {"admin", "auth", "axes", "django_tasks_database", "sessions"}


@dataclass
class DatabaseUse:
    """Where the current request reads from, and whether it has written."""

    reads_from: str = PRIMARY
    wrote: bool = False


# Per request, and safe across threads and async tasks; outside a request everything reads
# from the primary.
current_use: ContextVar[DatabaseUse | None] = ContextVar("newsroom_database_use", default=None)


class PrimaryReplicaRouter:
    """Routes reader requests' reads to their replica and everything else to the primary."""

    def db_for_read(self, model, **hints) -> str:
        use = current_use.get()
        if (
            use is None
            or use.reads_from == PRIMARY
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[PRIMARY].in_atomic_block
        ):
            return PRIMARY
        return use.reads_from

    def db_for_write(self, model, **hints) -> str:
        if (use := current_use.get()) is not None:
            use.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Every alias holds the same data.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        # Replicas copy the primary's schema along with its rows.
        return db == PRIMARY


class ReplicaReadsMiddleware:
    """Chooses where each request reads from, and pins a browser that wrote to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not settings.DATABASE_REPLICAS:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        use = DatabaseUse(reads_from=self.database_for_reads(request))
        token = current_use.set(use)
        try:
            response = self.get_response(request)
        finally:
            current_use.reset(token)
        if use.wrote and request.method not in SAFE_METHODS:
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=settings.NEWSROOM_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def database_for_reads(self, request: HttpRequest) -> str:
        if (
            request.method not in SAFE_METHODS
            or request.path_info.startswith(reverse("admin:index"))
            or is_pinned_to_primary(request)
        ):
            return PRIMARY
        return random.choice(settings.DATABASE_REPLICAS)


def is_pinned_to_primary(request: HttpRequest) -> bool:
    """Whether this browser wrote recently enough that replicas may not have its writes yet."""
    try:
        request.get_signed_cookie(
            PIN_COOKIE, salt=PIN_SALT, max_age=settings.NEWSROOM_REPLICA_PIN_SECONDS
        )
    except (KeyError, signing.BadSignature):
        return False
    return True
