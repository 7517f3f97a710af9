"""Browser tests: real Chromium (Debian's, never a downloaded one) driven by Playwright."""

import os
import threading
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, a database file: the live server's threads then get connections of their own.

    With the default in-memory database they would share the test's one connection, and
    threads making renditions at once can deadlock on it.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("db") / "browser-tests.sqlite3"
        )


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module; Playwright stops afterwards, so its event loop never
    outlives the browser tests."""
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{message}; REQUIRE_BROWSER=1 makes that a failure")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's synchronous API runs an event loop in the test's thread; the ORM
        # calls the tests make between browser steps are still synchronous and safe.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class RequestsInFlight:
    """Counts the requests the live server is answering, so that a test can end only once the
    last of them has: the database is emptied after each test, and on PostgreSQL emptying it
    while a request still holds a row lock (an autosave the closed window had sent) deadlocks."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def started(self, **kwargs) -> None:
        with self.changed:
            self.count += 1

    def finished(self, **kwargs) -> None:
        with self.changed:
            self.count = max(self.count - 1, 0)
            self.changed.notify_all()

    def wait_until_none(self, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count == 0, timeout=timeout)


@pytest.fixture(scope="session")
def requests_in_flight():
    requests = RequestsInFlight()
    request_started.connect(requests.started, dispatch_uid="browser-tests-started")
    request_finished.connect(requests.finished, dispatch_uid="browser-tests-finished")
    yield requests
    request_started.disconnect(dispatch_uid="browser-tests-started")
    request_finished.disconnect(dispatch_uid="browser-tests-finished")


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """The roles the migrations made; transactional tests empty the database after them."""
    from articles.roles import ensure_roles

    ensure_roles()


# Runs before any script of every page and popup. Violations also reach the console, but the
# event names the directive and the refused source even where Chromium's message doesn't.
CSP_VIOLATION_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.disposition}: ${event.effectiveDirective} refused ${event.blockedURI || "?"} ` +
      `in ${event.sourceFile || event.documentURI}:${event.lineNumber} ${event.sample}`
  );
}, true);
"""


def is_csp_message(message) -> bool:
    """A console error about the Content-Security-Policy: something refused, a bad directive."""
    return message.type == "error" and "Content Security Policy" in message.text


def is_page_status(message) -> bool:
    """The console's note that the page itself answered with an error status (a 404 the test
    asked for and checks), rather than a file the page needs."""
    page_url = message.page.url if message.page else None
    return message.text.startswith("Failed to load resource") and (
        message.location.get("url") == page_url
    )


@pytest.fixture
def csp_violations() -> list[str]:
    """What the pages `visit` opened reported about the Content-Security-Policy, so far."""
    return []


@pytest.fixture
def page_errors() -> list[str]:
    """Every other error the pages `visit` opened logged to the console or threw, so far."""
    return []


@pytest.fixture
def visit(browser, live_server, requests_in_flight, csp_violations, page_errors):
    """A new browser window (its own cookies) opening pages of the live test server.

    The test fails at teardown if any page or popup it opened reported a violation of the
    Content-Security-Policy, logged an error to the console (a missing file included) or
    threw an uncaught exception, listing them all.
    """
    contexts = []

    def record_violation(description: str) -> None:
        csp_violations.append(description)

    def read_console(message) -> None:
        if is_csp_message(message):
            csp_violations.append(f"console: {message.text} ({message.page.url})")
        elif message.type == "error" and not is_page_status(message):
            page = message.page.url if message.page else "?"
            where = message.location.get("url") or page
            page_errors.append(f"console: {message.text} ({where}, on {page})")

    def record_exception(page, error) -> None:
        page_errors.append(f"uncaught: {error} (on {page.url})")

    def watch(page) -> None:
        page.on("pageerror", lambda error: record_exception(page, error))

    def open_window(viewport=(1280, 900), javascript: bool = True):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": viewport[0], "height": viewport[1]},
            java_script_enabled=javascript,
        )
        context.set_default_timeout(15_000)
        context.expose_function("reportCspViolation", record_violation)
        context.add_init_script(CSP_VIOLATION_LISTENER)
        context.on("console", read_console)
        context.on("page", watch)  # popups too
        contexts.append(context)
        return context.new_page()

    yield open_window
    for context in contexts:
        context.close()
    if not requests_in_flight.wait_until_none(timeout=15):
        pytest.fail("The live server was still answering a request 15 s after the test ended")
    failures = []
    if csp_violations:
        failures.append("Content-Security-Policy violations:\n" + "\n".join(csp_violations))
    if page_errors:
        failures.append("Errors in the browser:\n" + "\n".join(page_errors))
    if failures:
        pytest.fail("\n".join(failures))


@pytest.fixture
def accessibility():
    """Check a page with axe-core; fail listing the violations it finds: all of them, or only
    those of the given impacts, as in `accessibility(page, impact=("serious", "critical"))`."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, impact: tuple[str, ...] | None = None) -> None:
        # Without preloading: axe would copy the page's style sheets into <style> elements,
        # which the Content-Security-Policy refuses (and `visit` reports).
        results = axe.run(page, options={"resultTypes": ["violations"], "preload": False})
        violations = [
            violation
            for violation in results.response["violations"]
            if impact is None or violation["impact"] in impact
        ]
        assert not violations, f"{page.url}: accessibility violations:\n" + "\n".join(
            f"{violation['id']} ({violation['impact']}): {violation['help']} at "
            + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
            for violation in violations
        )

    return check
