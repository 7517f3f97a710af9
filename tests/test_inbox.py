"""The inbox in the admin: the unread count in every page's header, the list with links to the
stories, marking as read, and the choice of emails; everyone sees only their own."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from inbox.models import EmailOptOut, Notification

from .conftest import at, make_staff

pytestmark = pytest.mark.django_db

INBOX = "/admin/inbox/"
Kind = Notification.Kind


@pytest.fixture
def dora(client):
    user = make_staff("Editor", "dora")
    client.force_login(user)
    return user


def notify(user, subject: str, *, read: bool = False, created_at=None, kind=Kind.SUBMITTED):
    return Notification.objects.create(
        recipient=user,
        kind=kind,
        subject=subject,
        message=f"Someone submitted “{subject}” for review.",
        url=f"/admin/articles/article/{len(subject)}/change/",
        created_at=created_at or at("2026-04-05 12:00"),
        read_at=at("2026-04-05 13:00") if read else None,
    )


def header_count(response) -> str | None:
    found = re.search(r'class="inbox-link__count">(\d+)<', response.content.decode())
    return found and found.group(1)


@pytest.mark.parametrize(
    "page", ["/admin/", "/admin/articles/article/", "/admin/articles/section/", INBOX]
)
def test_every_admin_page_shows_the_unread_count_in_its_header(client, dora, page):
    notify(dora, "Defector reaches Berlin")
    notify(dora, "Budget talks resume")
    notify(dora, "Old news", read=True)
    notify(make_staff("Editor", "emil"), "Someone else's")

    response = client.get(page)

    assert header_count(response) == "2"
    assertContains(response, f'<a href="{INBOX}" class="inbox-link">Inbox')


def test_with_nothing_unread_the_header_shows_no_count(client, dora):
    notify(dora, "Old news", read=True)

    response = client.get("/admin/")

    assert header_count(response) is None
    assertContains(response, f'<a href="{INBOX}" class="inbox-link">Inbox</a>')


def test_the_unread_count_is_one_query_however_often_a_page_asks(client, dora):
    notify(dora, "Defector reaches Berlin")

    with CaptureQueriesContext(connection) as queries:
        client.get(INBOX)  # the header and the page both show it

    counts = [q["sql"] for q in queries if "inbox_notification" in q["sql"] and "COUNT" in q["sql"]]
    unread_counts = [sql for sql in counts if "read_at" in sql and "IS NULL" in sql]
    assert len(unread_counts) == 1


def test_the_inbox_lists_unread_first_then_newest_with_links_to_the_stories(client, dora):
    notify(dora, "Read yesterday", read=True, created_at=at("2026-04-05 15:00"))
    notify(dora, "Older unread", created_at=at("2026-04-05 09:00"))
    newest = notify(dora, "Newest unread", created_at=at("2026-04-05 11:00"))

    response = client.get(INBOX)

    assertTemplateUsed(response, "admin/inbox/notification_list.html")
    content = response.content.decode()
    order = [content.index(subject) for subject in ["Newest", "Older", "Read yesterday"]]
    assert order == sorted(order)
    assertContains(response, f'<a href="{newest.url}">Newest unread</a>', html=True)
    assertContains(response, "Mark as read", count=2)
    assertContains(response, "2 unread")


def test_every_form_of_the_inbox_carries_its_csrf_token(dora):
    notify(dora, "First"), notify(dora, "Second")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(dora)

    page = browser.get(INBOX).content.decode()
    forms = re.findall(r'<form method="post" action="([^"]+)">(.*?)</form>', page, re.S)
    assert len(forms) == 3  # mark all, and each of the two
    for action, inside in forms:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', inside).group(1)
        assert browser.post(action, {"csrfmiddlewaretoken": token}).status_code == 302
    assert not Notification.objects.unread().exists()


def test_everyone_sees_only_their_own_notifications(client, dora):
    notify(make_staff("Reporter", "jens"), "Jens's story was published")

    response = client.get(INBOX)

    assertNotContains(response, "Jens's story")
    assertContains(response, "Your inbox is empty")


def test_marking_one_as_read(client, dora):
    first, second = notify(dora, "First"), notify(dora, "Second")

    response = client.post(f"{INBOX}{first.pk}/read/")

    assert response.status_code == 302
    assert response["Location"] == INBOX
    first.refresh_from_db(), second.refresh_from_db()
    assert first.is_read and not second.is_read
    assert header_count(client.get("/admin/")) == "1"


def test_marking_all_as_read_leaves_others_inboxes_alone(client, dora):
    notify(dora, "First"), notify(dora, "Second")
    someone_elses = notify(make_staff("Editor", "emil"), "Emil's")

    response = client.post(f"{INBOX}read/", follow=True)

    assertContains(response, "2 notifications marked as read.")
    assert not Notification.objects.for_recipient(dora).unread().exists()
    someone_elses.refresh_from_db()
    assert not someone_elses.is_read


def test_someone_elses_notification_cannot_be_marked_read(client, dora):
    someone_elses = notify(make_staff("Reporter", "jens"), "Jens's")

    response = client.post(f"{INBOX}{someone_elses.pk}/read/")

    assert response.status_code == 404
    someone_elses.refresh_from_db()
    assert not someone_elses.is_read


@pytest.mark.parametrize("address", ["read/", "1/read/"])
def test_marking_as_read_takes_a_post(client, dora, address):
    notify(dora, "First")

    assert client.get(f"{INBOX}{address}").status_code == 405
    assert Notification.objects.unread().count() == 1


@pytest.mark.parametrize("page", ["abc", "0", "2"])
def test_a_page_of_the_inbox_that_does_not_exist_is_404(client, dora, page):
    notify(dora, "First")

    assert client.get(INBOX, {"page": page}).status_code == 404


def test_opening_the_inbox_needs_a_login(client):
    response = client.get(INBOX)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_opening_the_inbox_writes_nothing(client, dora):
    notify(dora, "First")

    with CaptureQueriesContext(connection) as queries:
        client.get(INBOX)

    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert Notification.objects.unread().count() == 1


def test_the_inbox_query_count_does_not_grow_with_its_length(
    client, dora, django_assert_num_queries
):
    for number in range(3):
        notify(dora, f"Story {number}", read=number == 0)

    # The session and user; the admin's menu (two for permissions, one for the publication
    # settings); the unread count; the page's count and its notifications.
    with django_assert_num_queries(8):
        client.get(INBOX)
    for number in range(30):
        notify(dora, f"More {number}", read=number % 2 == 0)
    with django_assert_num_queries(8):
        client.get(INBOX)


# Email settings


def test_every_kind_is_emailed_until_the_user_turns_it_off(client, dora):
    response = client.get(f"{INBOX}email/")

    checked = re.findall(
        r'<input type="checkbox" name="emailed" value="(\w+)"[^>]*checked',
        response.content.decode(),
    )
    assert checked == Kind.values


def test_turning_emails_off_and_on_again(client, dora):
    client.post(f"{INBOX}email/", {"emailed": [Kind.MENTIONED, Kind.CHANGES_REQUESTED]})

    assert set(EmailOptOut.objects.filter(user=dora).values_list("kind", flat=True)) == set(
        Kind.values
    ) - {Kind.MENTIONED, Kind.CHANGES_REQUESTED}

    response = client.post(f"{INBOX}email/", {"emailed": Kind.values}, follow=True)

    assertContains(response, "Your email settings were saved.")
    assert not EmailOptOut.objects.exists()


def test_email_settings_are_ones_own(client, dora):
    emil = make_staff("Editor", "emil")
    EmailOptOut.objects.create(user=emil, kind=Kind.SUBMITTED)

    client.post(f"{INBOX}email/", {"emailed": []})

    assert EmailOptOut.objects.filter(user=emil).count() == 1
    assert EmailOptOut.objects.filter(user=dora).count() == len(Kind.values)


def test_an_unknown_kind_is_refused_and_changes_nothing(client, dora):
    response = client.post(f"{INBOX}email/", {"emailed": ["submitted", "everything"]})

    assert response.status_code == 200
    assertContains(response, "Select a valid choice")
    assert not EmailOptOut.objects.exists()


def test_without_an_email_address_the_settings_say_so(client, dora):
    response = client.get(f"{INBOX}email/")

    assertContains(response, "Your login has no email address")
