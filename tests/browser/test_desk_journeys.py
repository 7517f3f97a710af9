"""The desk's working day in a real browser: the inbox and its email through the task worker,
review comments at the top of the form, presence that ends when the editor leaves, and bulk
actions that refuse what a role may not do."""

import re
import time

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article, EditingSession, StatusChange
from inbox.models import EmailDelivery

from ..conftest import make_article, make_section
from ..mail_support import FakeSMTPServer
from .test_editor_journeys import log_in, newsroom  # noqa: F401 - the fixture

pytestmark = [pytest.mark.django_db(transaction=True)]

Status = Article.Status
HEADLINE = "Kremlin guard describes the president's secret offices"


@pytest.fixture
def console_errors():
    """Errors the pages `watch`ed logged or threw; the test fails at the end if there are any."""
    errors = []
    yield errors
    assert errors == []


def watch(page, errors: list[str]):
    page.on("console", lambda m: m.type == "error" and errors.append(f"{m.text} ({page.url})"))
    page.on("pageerror", lambda error: errors.append(f"{error} ({page.url})"))
    return page


def story(status=Status.DRAFT, headline=HEADLINE, **fields) -> Article:
    reporter = User.objects.get(username="jkiffmeier")
    return make_article(
        headline=headline,
        status=status,
        published_at=fields.pop("published_at", None),
        section=fields.pop("section", None) or make_section(),
        created_by=reporter,
        authors=[reporter.author_profile],
        **fields,
    )


def open_story(page, headline: str = HEADLINE) -> None:
    page.goto("/admin/articles/article/")
    page.get_by_role("link", name=headline).click()


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_the_editor_is_told_of_a_submission_in_the_inbox_and_by_email(
    newsroom,  # noqa: F811
    visit,
    settings,
    accessibility,
    console_errors,
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    User.objects.filter(username="editor").update(email="editor@newsroom.test")
    story()

    with FakeSMTPServer() as smtp:
        for name, value in smtp.settings().items():
            setattr(settings, name, value)

        # The reporter submits the story.
        reporter = watch(log_in(visit, "jkiffmeier"), console_errors)
        open_story(reporter)
        reporter.get_by_role("button", name="Save and submit for review").click()
        expect(reporter.locator(".messagelist")).to_contain_text("now in review")

        # The editor's header counts it on every page; the inbox lists it.
        editor = watch(log_in(visit, "editor"), console_errors)
        expect(editor.locator(".inbox-link")).to_have_text("Inbox 1 unread")
        editor.goto("/admin/articles/article/")
        expect(editor.locator(".inbox-link__count")).to_have_text("1")
        editor.locator(".inbox-link").click()
        expect(editor.get_by_role("heading", name="Inbox")).to_be_visible()
        item = editor.locator(".inbox-item--unread")
        expect(item).to_contain_text("Submitted for review")
        expect(item).to_contain_text(f"Jens Kiffmeier submitted “{HEADLINE}” for review.")
        accessibility(editor)

        # The mail waits in the queue until the worker sends it through the mail server.
        assert smtp.messages == []
        assert EmailDelivery.objects.get().status == EmailDelivery.Status.QUEUED
        run_worker()
        [message] = smtp.messages
        assert message["To"] == "editor@newsroom.test"
        assert message["Subject"] == f"Submitted for review: {HEADLINE}"
        assert EmailDelivery.objects.get().status == EmailDelivery.Status.SENT

    # Marked as read, it leaves the count; its link opens the story.
    item.get_by_role("button", name=f"Mark “{HEADLINE}” as read").click()
    expect(editor.locator(".inbox-item--unread")).to_have_count(0)
    expect(editor.locator(".inbox-link")).to_have_text("Inbox")
    editor.get_by_role("link", name=HEADLINE).click()
    expect(editor.locator(".article-status")).to_contain_text("In review")

    # Emails are chosen per kind; this one goes to the inbox only from now on.
    editor.locator(".inbox-link").click()
    editor.get_by_role("link", name="Email settings").click()
    accessibility(editor)
    editor.get_by_label("a story is submitted for review").uncheck()
    editor.get_by_role("button", name="Save").click()
    expect(editor.locator(".messagelist")).to_contain_text("Your email settings were saved.")
    expect(editor.get_by_label("a story is submitted for review")).not_to_be_checked()


def test_review_comments_sit_beside_the_status_newest_first_and_mentions_are_heard(
    newsroom,  # noqa: F811
    visit,
    console_errors,
):
    story(Status.IN_REVIEW)

    editor = watch(log_in(visit, "editor"), console_errors)
    open_story(editor)
    editor.get_by_role("button", name="Request changes…").click()
    editor.get_by_label("What should change").fill("Name the second source, please.")
    editor.get_by_role("button", name="Request changes").click()
    expect(editor.locator(".messagelist")).to_contain_text("changes requested")

    reporter = watch(log_in(visit, "jkiffmeier"), console_errors)
    expect(reporter.locator(".inbox-link__count")).to_have_text("1")
    open_story(reporter)
    comments = reporter.locator("#review-comments")
    comments.get_by_role("textbox", name="Comment").fill(
        "@editor the FSO spokesman, on the record."
    )
    comments.get_by_role("button", name="Add comment").click()
    expect(reporter.locator(".messagelist")).to_contain_text("Your comment was added.")

    # Newest first; the comment that asked for changes stands out.
    entries = reporter.locator("#review-comments .comment-list__item")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_contain_text("the FSO spokesman")
    expect(entries.nth(1)).to_contain_text("Name the second source")
    expect(entries.nth(1)).to_have_class(re.compile("comment-list__item--changes-requested"))
    expect(entries.nth(1)).to_contain_text("Changes requested")

    # At the top of the form: beside the status on a wide screen, under it on a phone.
    status = reporter.locator(".article-status").bounding_box()
    box = reporter.locator("#review-comments").bounding_box()
    first_fieldset = reporter.locator("fieldset").first.bounding_box()
    assert box["y"] + box["height"] <= first_fieldset["y"]
    assert abs(box["y"] - status["y"]) < 2 and box["x"] > status["x"] + status["width"]
    reporter.set_viewport_size({"width": 390, "height": 844})
    status = reporter.locator(".article-status").bounding_box()
    box = reporter.locator("#review-comments").bounding_box()
    assert box["y"] >= status["y"] + status["height"]
    assert box["x"] + box["width"] <= 390

    # The mention reached the editor.
    editor.goto("/admin/inbox/")
    expect(editor.locator(".inbox-item--unread")).to_contain_text(
        "Jens Kiffmeier mentioned you in a comment"
    )


def test_presence_ends_when_the_editor_leaves_and_reading_is_not_editing(
    newsroom,  # noqa: F811
    visit,
    console_errors,
):
    from ..conftest import make_staff

    make_staff("Editor", username="second")
    article = story(Status.IN_REVIEW)

    # The reporter may only read the story now: the form sends no heartbeat.
    reporter = watch(log_in(visit, "jkiffmeier"), console_errors)
    presence_requests = []
    reporter.on("request", lambda r: "/presence/" in r.url and presence_requests.append(r.url))
    open_story(reporter)
    expect(reporter.locator(".article-status")).to_contain_text("In review")
    reporter.goto("/admin/")
    assert presence_requests == []

    editor = watch(log_in(visit, "editor"), console_errors)
    with editor.expect_response(re.compile(r"/presence/$")):
        open_story(editor)
    second = watch(log_in(visit, "second"), console_errors)
    with second.expect_response(re.compile(r"/presence/$")):
        open_story(second)
    expect(second.locator(".article-status__presence")).to_contain_text("editor (just now)")

    # The editor moves on: the page says goodbye as it goes.
    editor.goto("/admin/")
    deadline = time.monotonic() + 10
    while article.editing_sessions.filter(user__username="editor").exists():
        assert time.monotonic() < deadline, "the editor's session did not end"
        time.sleep(0.1)

    with second.expect_response(re.compile(r"/presence/$")):
        second.reload()
    expect(second.locator(".article-status__presence")).to_have_text("")
    assert [s.user.username for s in EditingSession.objects.all()] == ["second"]


def test_bulk_actions_refuse_what_a_role_may_not_do(
    newsroom,  # noqa: F811
    visit,
    console_errors,
):
    draft = story(Status.DRAFT, "A draft of the reporter's")
    story(Status.IN_REVIEW, "Waiting for review")

    # The reporter is not offered publishing; submitting takes what the workflow allows.
    reporter = watch(log_in(visit, "jkiffmeier"), console_errors)
    reporter.goto("/admin/articles/article/")
    actions = reporter.locator("select[name=action] option")
    expect(actions.filter(has_text="Publish")).to_have_count(0)
    reporter.get_by_role("checkbox", name="Select this object for an action - A draft").check()
    reporter.get_by_role("checkbox", name="Select this object for an action - Waiting").check()
    reporter.locator("select[name=action]").select_option("submit_selected")
    reporter.get_by_role("button", name="Go").click()
    expect(reporter.get_by_role("heading", name="Will change (1)")).to_be_visible()
    expect(reporter.locator(".bulk-outcomes").nth(1)).to_contain_text("Already in review")
    reporter.get_by_role("button", name="Submit 1 story").click()
    expect(reporter.locator(".messagelist")).to_contain_text("Submit 1 story")
    assert Article.objects.get(pk=draft.pk).status == Status.IN_REVIEW

    # A publication forged into the form is refused by the server.
    reporter.get_by_role("checkbox", name="Select this object for an action - A draft").check()
    reporter.evaluate(
        """() => {
          const select = document.querySelector("select[name=action]");
          select.add(new Option("Publish", "publish_selected"));
          select.value = "publish_selected";
        }"""
    )
    reporter.get_by_role("button", name="Go").click()
    expect(reporter.locator(".messagelist")).to_contain_text("No action selected.")
    assert not Article.objects.filter(status=Status.PUBLISHED).exists()

    # The editor publishes both, after a confirmation page listing them.
    editor = watch(log_in(visit, "editor"), console_errors)
    editor.goto("/admin/articles/article/")
    editor.locator("#action-toggle").check()
    editor.locator("select[name=action]").select_option(label="Publish the selected stories now")
    editor.get_by_role("button", name="Go").click()
    expect(editor.get_by_role("heading", name="Will change (2)")).to_be_visible()
    expect(editor.locator(".bulk-outcomes").first).to_contain_text("In review → Published")
    assert not Article.objects.filter(status=Status.PUBLISHED).exists()
    editor.get_by_role("button", name="Publish 2 stories").click()
    expect(editor.locator(".messagelist")).to_contain_text("Publish 2 stories")
    assert set(Article.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert StatusChange.objects.filter(to_status=Status.PUBLISHED).count() == 2
