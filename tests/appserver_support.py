"""Helpers for tests that run the newsroom as real app servers: processes on free local ports,
and a small cookie-keeping HTTP client that logs in and submits forms as a browser does."""

import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# What the test process may have set that would change the app servers' configuration.
CONFIGURATION = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "DATABASE_REPLICA_URLS",
    "REDIS_URL",
    "MEDIA_STORAGE_URL",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "NEWSROOM_TASK_BACKEND",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(**settings: str) -> dict[str, str]:
    """The environment of an app server: this one's, less our configuration, plus `settings`."""
    inherited = {key: value for key, value in os.environ.items() if key not in CONFIGURATION}
    return inherited | settings


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run a management command in a process of its own, as an operator would."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def manage(*args: str, env: dict[str, str]) -> str:
    """Run a management command that must succeed, and return what it printed."""
    result = run_manage(*args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


class AppServer:
    """A server process started with `command`, stopped (with its children) on leaving."""

    def __init__(self, command: list[str], env: dict[str, str], port: int, log: Path) -> None:
        self.command, self.env, self.port, self.log = command, env, port, log
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self) -> "AppServer":
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                self.command,
                cwd=PROJECT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_until_ready()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def wait_until_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"The server stopped:\n{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"The server did not answer in {timeout} s:\n{self.output()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def gunicorn(env: dict[str, str], log: Path, workers: int = 1) -> AppServer:
    """An app server as in production: gunicorn with sync workers on a free port."""
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "newsroom.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
    ]
    return AppServer(command, env, port, log)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class WebClient:
    """A browser without JavaScript: keeps cookies, sends the CSRF token, follows no redirect."""

    def __init__(self, base_url: str, host: str | None = None) -> None:
        """`host`: the Host header to send, as a load balancer passes the site's name on to
        each of its app servers (by default, the server's own address)."""
        self.base_url = base_url
        self.headers = {"Host": host} if host else {}
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects
        )

    def get(self, path: str) -> Response:
        return self.request(urllib.request.Request(self.base_url + path, headers=self.headers))

    def post(self, path: str, fields: dict[str, str]) -> Response:
        fields = {"csrfmiddlewaretoken": self.cookie("csrftoken") or ""} | fields
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        # Django checks the Referer of secure requests only; sent anyway, as browsers do.
        headers = self.headers | {"Referer": self.base_url + path}
        return self.request(urllib.request.Request(self.base_url + path, data, headers))

    def request(self, request: urllib.request.Request) -> Response:
        try:
            with self.opener.open(request, timeout=30) as answer:
                return Response(answer.status, dict(answer.headers), answer.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read())

    def cookie(self, name: str) -> str | None:
        return next((cookie.value for cookie in self.cookies if cookie.name == name), None)

    def log_in(self, username: str, password: str) -> None:
        """Log in through the admin's login page."""
        self.get("/admin/login/")
        answer = self.post("/admin/login/", {"username": username, "password": password})
        assert answer.status == 302, answer.text
        assert self.cookie("sessionid")

    def for_server(self, base_url: str) -> "WebClient":
        """The same browser, with its cookies, talking to another app server."""
        other = WebClient(base_url, self.headers.get("Host"))
        for cookie in self.cookies:
            other.cookies.set_cookie(cookie)
        return other


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in ("submit", "file"):
            if attributes.get("type") in ("checkbox", "radio") and "checked" not in attributes:
                return
            self.fields.setdefault(name, []).append(attributes.get("value") or "")
        elif tag == "select" and name:
            self.select = name
            self.fields.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in attributes:
            self.fields[self.select].append(attributes.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            # Browsers drop the newline that may follow <textarea>, as Django writes it.
            value = self.fields[self.textarea][0]
            self.fields[self.textarea][0] = value.removeprefix("\n")
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.fields[self.textarea][0] += data


def form_fields(html: str) -> dict[str, list[str]]:
    """The fields a browser would submit from the page's forms, as they are filled in."""
    reader = _FormReader()
    reader.feed(html)
    return reader.fields


def with_inline_row(
    fields: dict[str, list[str]], prefix: str, values: dict[str, str]
) -> dict[str, list[str]]:
    """An admin form's fields with one more row in its inline formset `prefix`: the blank row
    the admin's "Add another" copies (`prefix-__prefix__-…`), filled in with `values`."""
    number = int(fields[f"{prefix}-TOTAL_FORMS"][0])
    blank = f"{prefix}-__prefix__-"
    row = {
        name.replace("__prefix__", str(number)): value
        for name, value in fields.items()
        if name.startswith(blank)
    }
    row |= {f"{prefix}-{number}-{name}": [value] for name, value in values.items()}
    return fields | row | {f"{prefix}-TOTAL_FORMS": [str(number + 1)]}
