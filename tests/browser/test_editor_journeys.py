"""What the newsroom does in the admin, in a real browser: write, review, revise, schedule."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Author, StatusChange

from ..conftest import Clock, make_article, make_author, make_section, make_staff

pytestmark = [pytest.mark.django_db(transaction=True)]

HEADLINE = "Kremlin guard describes the president's secret offices"


@pytest.fixture
def newsroom():
    reporter = make_staff("Reporter", username="jkiffmeier")
    reporter.first_name, reporter.last_name = "Jens", "Kiffmeier"
    reporter.save()
    make_author(name="Jens Kiffmeier", slug="jens-kiffmeier", initials="jkf", user=reporter)
    make_staff("Editor", username="editor")
    make_section(name="Politics", slug="politics")


def log_in(visit, username: str):
    page = visit()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-staff-123")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="The desk")).to_be_visible()
    return page


def open_story(page) -> None:
    page.goto("/admin/articles/article/")
    page.get_by_role("link", name=HEADLINE).click()


def test_a_story_goes_from_draft_to_scheduled_publication(newsroom, visit, monkeypatch):
    # The reporter writes the story in the rich-text editor and submits it.
    reporter = log_in(visit, "jkiffmeier")
    reporter.goto("/admin/articles/article/add/")
    reporter.get_by_label("Headline:").fill(HEADLINE)
    reporter.get_by_label("Headline:").press("Tab")  # as a reporter moves on to the next field
    expect(reporter.get_by_label("Slug:")).to_have_value(re.compile("^kremlin-guard-describes"))
    reporter.get_by_label("Standfirst:").fill("He says the offices look the same.")
    reporter.get_by_label("Dateline:").fill("Moscow")
    body = reporter.locator(".ProseMirror[contenteditable=true]")
    body.click()
    body.type("Identical offices hide where the president really is.")
    reporter.get_by_label("Section:").select_option(label="Politics")
    reporter.locator("#bylines-group .select2-selection").first.click()
    reporter.locator(".select2-search__field").fill("Kiff")
    reporter.get_by_role("option", name="Jens Kiffmeier").click()
    reporter.get_by_role("button", name="Save and submit for review").click()
    expect(reporter.locator(".messagelist")).to_contain_text("now in review")
    article = Article.objects.get(headline=HEADLINE)
    assert article.status == Article.Status.IN_REVIEW
    assert "<p>Identical offices" in article.body

    # The editor finds it in the review queue and returns it with a comment.
    editor = log_in(visit, "editor")
    editor.get_by_role("link", name=re.compile("Awaiting review")).click()
    editor.get_by_role("link", name=HEADLINE).click()
    editor.get_by_role("button", name="Request changes…").click()
    editor.get_by_label("What should change").fill("Name the second source, please.")
    editor.get_by_role("button", name="Request changes").click()
    expect(editor.locator(".messagelist")).to_contain_text("changes requested")

    # The reporter reads the comment, revises and resubmits.
    open_story(reporter)
    expect(reporter.locator("#review-comments")).to_contain_text("Name the second source")
    reporter.get_by_label("Standfirst:").fill(
        "He says the offices look the same, FSO staff confirm."
    )
    reporter.get_by_role("button", name="Save and submit for review").click()
    expect(reporter.locator(".messagelist")).to_contain_text("now in review")

    # The editor schedules it for an hour from now.
    publish_at = timezone.localtime() + timedelta(hours=1)
    open_story(editor)
    editor.get_by_role("button", name="Schedule…").click()
    editor.locator("#id_publish_at_0").fill(publish_at.strftime("%Y-%m-%d"))
    editor.locator("#id_publish_at_1").fill(publish_at.strftime("%H:%M:%S"))
    editor.get_by_role("button", name="Schedule").click()
    expect(editor.locator(".messagelist")).to_contain_text("scheduled for")

    # Readers can't see it yet; an hour later it is there, with nothing run in between.
    reader = visit()
    address = Article.objects.get(headline=HEADLINE).get_absolute_url()
    assert reader.goto(address).status == 404
    Clock(monkeypatch, timezone.now()).advance(hours=1, minutes=1)
    assert reader.goto(address).status == 200
    expect(reader.get_by_role("heading", level=1)).to_have_text(HEADLINE)

    # Every step is in the story's history.
    steps = list(
        StatusChange.objects.filter(article__headline=HEADLINE).values_list("to_status", flat=True)
    )
    assert steps == ["in_review", "changes_requested", "in_review", "published"]
    open_story(editor)
    editor.get_by_role("link", name="History", exact=True).click()
    expect(editor.locator(".status-timeline li")).to_have_count(4)


def test_editors_see_who_else_has_the_story_open_and_readers_leave_no_trace(newsroom, visit):
    make_staff("Editor", username="second")
    story = make_article(
        headline=HEADLINE,
        status=Article.Status.IN_REVIEW,
        published_at=None,
        authors=[Author.objects.get(slug="jens-kiffmeier")],
        created_by=User.objects.get(username="jkiffmeier"),
    )

    # The reporter may only read the story now: reading it leaves no trace.
    reporter = log_in(visit, "jkiffmeier")
    open_story(reporter)
    expect(reporter.locator(".article-status")).to_contain_text("In review")
    # The editor's form sends its heartbeat as soon as it opens.
    editor = log_in(visit, "editor")
    with editor.expect_response(re.compile(r"/presence/$")) as heartbeat:
        open_story(editor)
    assert heartbeat.value.ok
    assert [session.user.username for session in story.editing_sessions.all()] == ["editor"]

    second = log_in(visit, "second")
    with second.expect_response(re.compile(r"/presence/$")):
        open_story(second)

    expect(second.locator(".article-status__presence")).to_have_text(
        re.compile(r"Also open for editing by: editor \(just now\)")
    )
