"""Read replicas: readers read from a replica, writes and writers from the primary.

The router's and the middleware's rules are tested everywhere. Where reads really go is tested
on PostgreSQL, end to end: an app server whose replica is a second database on the test
server, a copy of its primary holding a row the primary doesn't have.
"""

import os
import secrets
import time
from collections.abc import Iterator

import dj_database_url
import psycopg2
import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, connection
from django.http import HttpResponse
from django.test import RequestFactory
from django_tasks_db.models import DBTaskResult

from articles.models import Article, Section
from newsroom.replicas import (
    PIN_COOKIE,
    PIN_SALT,
    DatabaseUse,
    PrimaryReplicaRouter,
    ReplicaReadsMiddleware,
    current_use,
)
from tests.appserver_support import WebClient, gunicorn, manage, server_env

router = PrimaryReplicaRouter()


@pytest.fixture
def reader_request():
    """Inside a reader's request that reads from replica1."""
    token = current_use.set(DatabaseUse(reads_from="replica1"))
    yield current_use.get()
    current_use.reset(token)


def test_reads_outside_a_request_go_to_the_primary():
    assert router.db_for_read(Article) == DEFAULT_DB_ALIAS


def test_a_readers_request_reads_stories_from_its_replica(reader_request):
    assert router.db_for_read(Article) == "replica1"
    assert router.db_for_read(Section) == "replica1"


@pytest.mark.parametrize("model", [User, Session, DBTaskResult])
def test_users_sessions_and_tasks_are_always_read_from_the_primary(reader_request, model):
    assert router.db_for_read(model) == DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_reads_inside_a_transaction_go_to_the_primary(reader_request):
    assert connection.in_atomic_block  # each test runs in a transaction
    assert router.db_for_read(Article) == DEFAULT_DB_ALIAS


def test_writes_go_to_the_primary_and_mark_the_request(reader_request):
    assert router.db_for_write(Article) == DEFAULT_DB_ALIAS
    assert reader_request.wrote


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "articles")
    assert not router.allow_migrate("replica1", "articles")


def test_objects_read_from_different_databases_may_be_related():
    assert router.allow_relation(Article(), Section())


def reads_from(request, settings, writes: bool = False) -> tuple[str, HttpResponse]:
    """Where the view of `request` reads from, and the response, with one replica configured."""
    settings.DATABASE_REPLICAS = ["replica1"]
    seen = []

    def view(request):
        seen.append(current_use.get().reads_from)
        if writes:
            router.db_for_write(Article)
        return HttpResponse()

    response = ReplicaReadsMiddleware(view)(request)
    return seen[0], response


def test_readers_get_pages_from_a_replica(settings):
    assert reads_from(RequestFactory().get("/"), settings)[0] == "replica1"


def test_posts_and_the_admin_read_from_the_primary(settings):
    assert reads_from(RequestFactory().post("/search/"), settings)[0] == DEFAULT_DB_ALIAS
    assert reads_from(RequestFactory().get("/admin/"), settings)[0] == DEFAULT_DB_ALIAS


def test_a_request_that_wrote_pins_its_browser_to_the_primary(settings):
    settings.NEWSROOM_REPLICA_PIN_SECONDS = 30
    _, wrote = reads_from(RequestFactory().post("/admin/login/"), settings, writes=True)
    pin = wrote.cookies[PIN_COOKIE]
    assert pin["max-age"] == 30
    assert pin["httponly"]

    after = RequestFactory().get("/")
    after.COOKIES[PIN_COOKIE] = pin.value

    assert reads_from(after, settings)[0] == DEFAULT_DB_ALIAS


def test_a_request_that_only_read_pins_nothing(settings):
    _, response = reads_from(RequestFactory().get("/"), settings)
    assert PIN_COOKIE not in response.cookies


def test_a_readers_get_that_wrote_pins_nothing_and_stays_cacheable(settings):
    # Such as the first request for a rendition, which makes and records it.
    _, response = reads_from(RequestFactory().get("/images/1/"), settings, writes=True)
    assert PIN_COOKIE not in response.cookies


def test_a_pin_ends_after_its_time(settings):
    settings.NEWSROOM_REPLICA_PIN_SECONDS = 30
    signer = signing.get_cookie_signer(salt=PIN_COOKIE + PIN_SALT)
    set_31_seconds_ago = signing.b62_encode(int(time.time()) - 31)
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE] = signing.Signer.sign(signer, f"1:{set_31_seconds_ago}")

    assert reads_from(request, settings)[0] == "replica1"


def test_a_forged_pin_is_ignored(settings):
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE] = "1:1xyz:forged-signature"

    assert reads_from(request, settings)[0] == "replica1"


# End to end: a separate replica database that the test makes different from the primary.


@pytest.fixture(scope="module")
def postgres_server() -> Iterator[dict]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("needs PostgreSQL (DATABASE_URL; make test starts a server)")
    server = dj_database_url.parse(url)
    yield {
        "host": server["HOST"],
        "port": server["PORT"],
        "user": server["USER"],
        "password": server["PASSWORD"],
    }


def run_sql(server: dict, database: str, *statements: str) -> None:
    sql = psycopg2.connect(dbname=database, **server)
    try:
        sql.autocommit = True  # CREATE DATABASE refuses to run in a transaction
        with sql.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        sql.close()


SETUP = """
from django.contrib.auth import get_user_model
from articles.models import Section
get_user_model().objects.create_superuser("chief", "", "pw-chief-123")
print(Section.objects.create(name="World", slug="world", description="Read from the primary.").pk)
"""


@pytest.fixture(scope="module")
def primary_and_replica(postgres_server, tmp_path_factory):
    """An app server reading from a replica: a copy of the primary, with one row changed."""
    primary = f"newsroom_primary_{secrets.token_hex(4)}"
    replica = primary.replace("primary", "replica")
    url = dj_database_url.parse(os.environ["DATABASE_URL"])
    base = f"postgres://{url['USER']}:{url['PASSWORD'] or ''}@{url['HOST']}:{url['PORT']}"
    run_sql(postgres_server, "postgres", f"CREATE DATABASE {primary}")
    try:
        env = server_env(DATABASE_URL=f"{base}/{primary}")
        manage("migrate", "--noinput", env=env)
        section_id = int(manage("shell", "--no-imports", "-c", SETUP, env=env))
        run_sql(postgres_server, "postgres", f"CREATE DATABASE {replica} TEMPLATE {primary}")
        run_sql(
            postgres_server,
            replica,
            "UPDATE articles_section SET description = 'Read from the replica.'",
        )
        env |= {"DATABASE_REPLICA_URLS": f"{base}/{replica}", "NEWSROOM_REPLICA_PIN_SECONDS": "3"}
        with gunicorn(env, tmp_path_factory.mktemp("replicas") / "server.log") as server:
            server.section_id = section_id
            yield server
    finally:
        run_sql(
            postgres_server,
            "postgres",
            f"DROP DATABASE IF EXISTS {replica} WITH (FORCE)",
            f"DROP DATABASE IF EXISTS {primary} WITH (FORCE)",
        )


def test_readers_see_the_replica_and_a_writer_the_primary_until_the_pin_ends(
    primary_and_replica,
):
    reader = WebClient(primary_and_replica.url)
    editor = WebClient(primary_and_replica.url)
    assert "Read from the replica." in reader.get("/world/").text

    editor.log_in("chief", "pw-chief-123")  # a write: the login is recorded

    assert editor.cookie(PIN_COOKIE)
    assert "Read from the primary." in editor.get("/world/").text
    assert "Read from the replica." in reader.get("/world/").text
    time.sleep(3.5)
    assert "Read from the replica." in editor.get("/world/").text


def test_the_admin_reads_from_the_primary(primary_and_replica):
    editor = WebClient(primary_and_replica.url)
    editor.log_in("chief", "pw-chief-123")
    time.sleep(3.5)  # no longer pinned

    change_form = editor.get(f"/admin/articles/section/{primary_and_replica.section_id}/change/")

    assert change_form.status == 200
    assert "Read from the primary." in change_form.text
