"""Helpers for tests of the page cache (articles/caching.py).

A test runs in a transaction that never commits, so the invalidations a change queues for the
commit never run by themselves, and the change stays "in flight": pages are then neither kept
nor served from the cache. `commit()` runs what the commit would, as on a live site.
"""

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


def commit() -> None:
    """Run the callbacks waiting for the test's transaction to commit, once, as a commit does."""
    database = transaction.get_connection()
    waiting, database.run_on_commit = database.run_on_commit, []
    for _, callback, _ in waiting:
        callback()


def queries_of(client, url: str, **headers) -> tuple[int, object]:
    """How many database queries a GET of `url` runs, and the response."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return len(queries), response


def served_from_cache(client, url: str) -> bool:
    """Whether a GET of `url` is answered without a database query: from the page cache."""
    count, response = queries_of(client, url)
    assert response.status_code in (200, 410), (url, response.status_code)
    return count == 0


def cache_control(response) -> dict[str, str | bool]:
    """The Cache-Control directives of a response, {"max-age": "30", "public": True, …}."""
    directives = {}
    for part in response["Cache-Control"].split(","):
        name, _, value = part.strip().partition("=")
        directives[name] = value or True
    return directives
