"""Brute-force protection of the admin login: lockout, its end, unlocking, client addresses."""

import io

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.test import Client, RequestFactory
from pytest_django.asserts import assertContains, assertTemplateUsed

from newsroom.logins import client_address

from .conftest import make_staff

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "pw-staff-123"  # make_staff's
ATTACKER = "203.0.113.7"
COLLEAGUE = "198.51.100.4"
PROXY = "10.0.0.1"


@pytest.fixture
def chief():
    return make_staff("Admin", username="chief")


def log_in(password: str, username: str = "chief", address: str = ATTACKER, **headers):
    """A login attempt from a browser of its own; its response, and whether it logged in."""
    browser = Client(REMOTE_ADDR=address, **headers)
    response = browser.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})
    return response, "_auth_user_id" in browser.session


def fail(times: int, username: str = "chief", address: str = ATTACKER, **headers) -> list[int]:
    return [log_in("wrong", username, address, **headers)[0].status_code for _ in range(times)]


def assert_locked_out(username: str = "chief", address: str = ATTACKER, **headers) -> None:
    response, logged_in = log_in(PASSWORD, username, address, **headers)
    assert response.status_code == 429
    assert not logged_in


def assert_logs_in(username: str = "chief", address: str = ATTACKER, **headers) -> None:
    response, logged_in = log_in(PASSWORD, username, address, **headers)
    assert response.status_code == 302
    assert logged_in


def test_ten_failures_lock_the_username_out_even_with_the_right_password(clock, chief):
    assert fail(10) == [200] * 9 + [429]

    response, logged_in = log_in(PASSWORD)

    assert not logged_in
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assertTemplateUsed(response, "admin/locked_out.html")
    assertContains(
        response, "Too many failed logins for “chief” from your address.", status_code=429
    )
    assertContains(
        response, "blocked for 15 minutes, even with the right password", status_code=429
    )
    assertContains(response, "The Courier newsroom", status_code=429)


def test_nine_failures_then_the_right_password_logs_in(clock, chief):
    fail(9)

    assert_logs_in()


def test_a_successful_login_starts_the_count_again(clock, chief):
    fail(9)
    assert_logs_in()

    assert fail(9) == [200] * 9
    assert_logs_in()


def test_lockout_is_for_one_username_from_one_address(clock, chief):
    make_staff("Editor", username="editor")
    fail(10)

    assert_locked_out()
    assert_logs_in(address=COLLEAGUE)
    assert_logs_in(username="editor")


def test_failures_more_than_fifteen_minutes_apart_do_not_add_up(clock, chief):
    fail(9)
    clock.advance(minutes=15, seconds=1)

    assert fail(1) == [200]
    assert_logs_in()


def test_lockout_ends_fifteen_minutes_after_the_last_failure(clock, chief):
    fail(10)

    clock.advance(minutes=14, seconds=59)
    assert_locked_out()
    assert fail(1) == [429]  # refused unread: it doesn't make the lockout longer

    clock.advance(seconds=2)
    assert_logs_in()


def test_limit_and_lockout_time_follow_the_settings(clock, chief, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = settings.AXES_COOLOFF_TIME * 2

    assert fail(3) == [200, 200, 429]
    clock.advance(minutes=29)
    assert_locked_out()
    clock.advance(minutes=1, seconds=1)
    assert_logs_in()


def test_command_unlocks_a_locked_out_username(clock, chief):
    fail(10)

    output = io.StringIO()
    call_command("axes_reset_username", "chief", stdout=output)

    assert output.getvalue() == "1 attempts removed.\n"

    assert_logs_in()


def test_admin_unlocks_a_login_from_the_user_list(clock, chief):
    fail(10)
    admin = Client()
    admin.force_login(make_staff("Admin", username="nadmin"))

    response = admin.post(
        "/admin/auth/user/", {"action": "unlock_logins", "_selected_action": [chief.pk]}
    )

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Unlocked: chief. They may log in again from any address."
    ]
    assert_logs_in()


def test_editor_cannot_unlock_logins(clock, chief):
    fail(10)
    editor = Client()
    editor.force_login(make_staff("Editor", username="editor"))

    editor.post("/admin/auth/user/", {"action": "unlock_logins", "_selected_action": [chief.pk]})

    assert_locked_out()


# The client's address


def test_forwarded_address_is_ignored_without_a_trusted_proxy(clock, chief):
    # Forged headers, a new one each time, cannot spread the failures over many addresses.
    for number in range(10):
        log_in("wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")

    assert_locked_out(HTTP_X_FORWARDED_FOR="192.0.2.99")


@pytest.fixture
def behind_a_proxy(settings):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1


def test_behind_a_proxy_each_client_is_told_apart(clock, chief, behind_a_proxy):
    fail(10, address=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)

    assert_locked_out(address=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    # What the client sent comes first; the proxy appends the address it saw.
    assert_locked_out(address=PROXY, HTTP_X_FORWARDED_FOR=f"{COLLEAGUE}, {ATTACKER}")
    assert_logs_in(address=PROXY, HTTP_X_FORWARDED_FOR=COLLEAGUE)


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "", PROXY),
        (0, ATTACKER, PROXY),
        (1, "", PROXY),
        (1, ATTACKER, ATTACKER),
        (1, f"{COLLEAGUE}, {ATTACKER}", ATTACKER),
        (1, f"{COLLEAGUE},{ATTACKER}", ATTACKER),
        (2, f"{COLLEAGUE}, {ATTACKER}, 10.0.0.2", ATTACKER),
        (2, ATTACKER, ATTACKER),  # the outer proxy was bypassed
        (1, "2001:db8::7", "2001:db8::7"),
        (1, "unknown", PROXY),
        (1, f"{ATTACKER}, <script>", PROXY),
    ],
)
def test_client_address_is_the_one_the_trusted_proxies_saw(
    settings, proxies, forwarded_for, expected
):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, **headers)

    assert client_address(request) == expected
