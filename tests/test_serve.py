"""`make serve`: gunicorn with production settings on the embedded database (scripts/serve)."""

import re
import stat
import sys

import pytest

from tests.appserver_support import PROJECT, AppServer, WebClient, free_port, server_env

ONE_YEAR = 365 * 24 * 60 * 60


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The site as `make serve` runs it, with its database, static files and key kept apart."""
    folder = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = server_env(
        PYTHON=sys.executable,
        HOST="127.0.0.1",
        PORT=str(port),
        WORKERS="2",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        STATIC_ROOT=str(folder / "static"),
        SECRET_KEY_FILE=str(folder / "secret_key"),
    )
    with AppServer([str(PROJECT / "scripts" / "serve")], env, port, folder / "log") as server:
        server.folder = folder
        yield server


def test_serve_answers_the_home_page_with_debug_off(served):
    reader = WebClient(served.url)

    home = reader.get("/")
    missing = reader.get("/no-such-page/")

    assert home.status == 200
    assert home.headers["Server"].startswith("gunicorn")
    assert missing.status == 404
    assert "URLconf" not in missing.text  # Django's debug page is off


def test_serve_sends_hashed_static_files_cached_for_a_year(served):
    reader = WebClient(served.url)
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', reader.get("/").text)
    assert stylesheet, "the home page links no hashed style sheet"

    answer = reader.get(stylesheet.group(1))

    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/css")
    max_age = int(re.search(r"max-age=(\d+)", answer.headers["Cache-Control"]).group(1))
    assert max_age >= ONE_YEAR
    assert "immutable" in answer.headers["Cache-Control"]


def test_serve_offers_the_admin_login(served):
    answer = WebClient(served.url).get("/admin/login/")

    assert answer.status == 200
    assert 'name="csrfmiddlewaretoken"' in answer.text


def test_serve_makes_a_private_secret_key_outside_git(served):
    key_file = served.folder / "secret_key"

    assert len(key_file.read_text().strip()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "/.secret_key" in (PROJECT / ".gitignore").read_text().splitlines()
