"""The editorial workflow: its steps, what they record, and its buttons in the admin."""

import re
from datetime import timedelta

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from pytest_django.asserts import assertContains, assertRedirects

from articles import workflow
from articles.models import Article, ReviewComment, StatusChange

from .admin_forms import CHANGELIST, admin_url, edit_form
from .conftest import at, make_article, make_staff

pytestmark = pytest.mark.django_db

Status = Article.Status

# Steps that don't fit the article's state, and the message refusing each.
INVALID_STEPS = [
    (
        "publish",
        Status.UNPUBLISHED,
        "“Publish now” is not possible: the article is unpublished.",
    ),
    (
        "submit",
        Status.PUBLISHED,
        "“Submit for review” is not possible: the article is published.",
    ),
    (
        "request_changes",
        Status.DRAFT,
        "“Request changes” is not possible: the article is draft.",
    ),
]


@pytest.fixture
def editor():
    user = make_staff("Editor", username="dokafor")
    user.first_name, user.last_name = "Daniel", "Okafor"
    user.save()
    return user


def make_story(reporter, status: str = Status.DRAFT, **fields) -> Article:
    """An article by `reporter` in `status`; published ones went live at 09:00 on 5 April."""
    published_at = (
        at("2026-04-05 09:00") if status in {Status.PUBLISHED, Status.UNPUBLISHED} else None
    )
    return make_article(
        created_by=reporter,
        authors=[reporter.author_profile],
        status=status,
        published_at=published_at,
        **fields,
    )


def state_of(article: Article) -> tuple:
    """The article's workflow state and its records, to show that a refusal changed nothing."""
    article = Article.objects.get(pk=article.pk)
    return (
        article.status,
        article.published_at,
        StatusChange.objects.filter(article=article).count(),
        ReviewComment.objects.filter(article=article).count(),
    )


def message_texts(response, level=messages.ERROR) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == level]


# Steps through workflow.apply


@pytest.mark.parametrize(
    ("name", "start", "who", "details", "target"),
    [
        ("submit", Status.DRAFT, "reporter", {}, Status.IN_REVIEW),
        ("submit", Status.CHANGES_REQUESTED, "reporter", {}, Status.IN_REVIEW),
        ("publish", Status.IN_REVIEW, "editor", {}, Status.PUBLISHED),
        ("schedule", Status.IN_REVIEW, "editor", {"at": timedelta(days=1)}, Status.PUBLISHED),
        (
            "request_changes",
            Status.IN_REVIEW,
            "editor",
            {"comment": "Add a second source."},
            Status.CHANGES_REQUESTED,
        ),
        ("revise", Status.CHANGES_REQUESTED, "reporter", {}, Status.DRAFT),
        ("unpublish", Status.PUBLISHED, "editor", {"comment": "Source retracted."}, "unpublished"),
        ("redraft", Status.UNPUBLISHED, "editor", {}, Status.DRAFT),
    ],
)
def test_each_step_records_who_when_from_to_and_comment(
    clock, reporter, editor, name, start, who, details, target
):
    article = make_story(reporter, start)
    user = {"reporter": reporter, "editor": editor}[who]
    moment = clock.now + details["at"] if "at" in details else None

    change = workflow.apply(article, name, user, comment=details.get("comment", ""), at=moment)

    article.refresh_from_db()
    assert article.status == target
    assert list(StatusChange.objects.filter(article=article)) == [change]
    assert (change.from_status, change.to_status, change.changed_by) == (start, target, user)
    assert change.comment == details.get("comment", "")
    assert change.changed_at == clock.now


def test_publishing_sets_the_publication_time_to_now(clock, reporter, editor):
    article = make_story(reporter, Status.IN_REVIEW)

    workflow.apply(article, "publish", editor)

    article.refresh_from_db()
    assert article.published_at == at("2026-04-05 12:00")
    assert article.is_published


def test_scheduling_sets_the_publication_time_without_publishing_yet(clock, reporter, editor):
    article = make_story(reporter, Status.IN_REVIEW)

    workflow.apply(article, "schedule", editor, at=at("2026-04-05 18:00"))

    article.refresh_from_db()
    assert (article.status, article.published_at) == (Status.PUBLISHED, at("2026-04-05 18:00"))
    assert article.is_scheduled
    assert not article.is_published


@pytest.mark.parametrize(
    ("name", "start", "message"),
    [
        ("request_changes", Status.IN_REVIEW, "What should change is required."),
        ("unpublish", Status.PUBLISHED, "Reason for withdrawing it is required."),
    ],
)
@pytest.mark.parametrize("comment", ["", "   \n "])
def test_steps_that_need_a_comment_are_refused_without_one(
    clock, reporter, editor, name, start, message, comment
):
    article = make_story(reporter, start)
    before = state_of(article)

    with pytest.raises(ValidationError) as refusal:
        workflow.apply(article, name, editor, comment=comment)

    assert refusal.value.messages == [message]
    assert state_of(article) == before


@pytest.mark.parametrize(
    ("name", "start"), [("request_changes", Status.IN_REVIEW), ("unpublish", Status.PUBLISHED)]
)
def test_the_comment_of_a_step_becomes_a_review_comment(clock, reporter, editor, name, start):
    article = make_story(reporter, start)

    workflow.apply(article, name, editor, comment="  Please add a second source.  ")

    comment = ReviewComment.objects.get(article=article)
    assert (comment.author, comment.text) == (editor, "Please add a second source.")
    assert StatusChange.objects.get(article=article).comment == "Please add a second source."


@pytest.mark.parametrize("moment", [None, "2026-04-05 11:59", "2026-04-05 12:00"])
def test_scheduling_needs_a_time_in_the_future(clock, reporter, editor, moment):
    article = make_story(reporter, Status.IN_REVIEW)
    before = state_of(article)

    with pytest.raises(ValidationError) as refusal:
        workflow.apply(article, "schedule", editor, at=at(moment) if moment else None)

    assert refusal.value.messages == ["Choose a publication time in the future to schedule."]
    assert state_of(article) == before


def test_scheduling_before_the_takedown_time_is_refused(clock, reporter, editor):
    article = make_story(reporter, Status.IN_REVIEW, expires_at=at("2026-04-05 17:00"))
    before = state_of(article)

    with pytest.raises(ValidationError, match="takedown time comes before"):
        workflow.apply(article, "schedule", editor, at=at("2026-04-05 18:00"))

    assert state_of(article) == before


@pytest.mark.parametrize(
    ("name", "start", "message"),
    [
        *INVALID_STEPS,
        ("redraft", Status.PUBLISHED, "“Back to draft” is not possible: the article is published."),
        ("unknown", Status.DRAFT, "There is no workflow step called “unknown”."),
    ],
)
def test_invalid_steps_are_refused_with_a_clear_message(
    clock, reporter, editor, name, start, message
):
    article = make_story(reporter, start)
    before = state_of(article)

    with pytest.raises(ValidationError) as refusal:
        workflow.apply(article, name, editor, comment="A reason.")

    assert refusal.value.messages == [message]
    assert state_of(article) == before


@pytest.mark.parametrize(
    ("name", "start"),
    [("publish", Status.IN_REVIEW), ("schedule", Status.DRAFT), ("unpublish", Status.PUBLISHED)],
)
def test_reporter_may_not_take_an_editors_step(clock, reporter, name, start):
    article = make_story(reporter, start)
    before = state_of(article)

    with pytest.raises(PermissionDenied):
        workflow.apply(article, name, reporter, comment="Mine.", at=at("2026-04-06 09:00"))

    assert state_of(article) == before


def test_apply_checks_the_state_in_the_database_not_the_stale_object(clock, reporter, editor):
    article = make_story(reporter, Status.IN_REVIEW)
    Article.objects.filter(pk=article.pk).update(status=Status.DRAFT)

    with pytest.raises(ValidationError, match="the article is draft"):
        workflow.apply(article, "request_changes", editor, comment="Too late.")


AVAILABLE = {
    # (role, state): the steps offered, in order
    ("owner", Status.DRAFT): ["submit"],
    ("owner", Status.IN_REVIEW): [],
    ("owner", Status.CHANGES_REQUESTED): ["submit", "revise"],
    ("owner", Status.PUBLISHED): [],
    ("owner", Status.UNPUBLISHED): [],
    ("other", Status.DRAFT): [],
    ("other", Status.CHANGES_REQUESTED): [],
    ("editor", Status.DRAFT): ["submit", "publish", "schedule"],
    ("editor", Status.IN_REVIEW): ["publish", "schedule", "request_changes"],
    ("editor", Status.CHANGES_REQUESTED): ["submit", "publish", "schedule", "revise"],
    ("editor", Status.PUBLISHED): ["unpublish"],
    ("editor", Status.UNPUBLISHED): ["redraft"],
    ("admin", Status.IN_REVIEW): ["publish", "schedule", "request_changes"],
    ("admin", Status.UNPUBLISHED): ["redraft"],
}


@pytest.mark.parametrize(("role", "state"), AVAILABLE)
def test_available_transitions_match_role_and_state(clock, reporter, editor, role, state):
    article = make_story(reporter, state)
    user = {
        "owner": reporter,
        "other": make_staff("Reporter"),
        "editor": editor,
        "admin": make_staff("Admin"),
    }[role]

    names = [step.name for step in workflow.available_transitions(article, user)]

    assert names == AVAILABLE[role, state]


# Steps through the admin's buttons

BUTTON = re.compile(r'name="_transition" value="(\w+)"')


@pytest.mark.parametrize(
    ("role", "state", "buttons"),
    [
        ("owner", Status.DRAFT, ["submit"]),
        ("owner", Status.IN_REVIEW, []),
        ("owner", Status.CHANGES_REQUESTED, ["submit", "revise"]),
        ("editor", Status.IN_REVIEW, ["publish", "schedule", "request_changes"]),
        ("editor", Status.PUBLISHED, ["unpublish"]),
    ],
)
def test_form_shows_the_buttons_of_the_users_role_and_the_articles_state(
    client, clock, reporter, editor, role, state, buttons
):
    article = make_story(reporter, state)
    client.force_login(reporter if role == "owner" else editor)

    response = client.get(admin_url(article))

    assert response.status_code == 200
    assert BUTTON.findall(response.content.decode()) == buttons


def test_add_form_offers_save_and_submit(client, reporter):
    client.force_login(reporter)

    response = client.get(f"{CHANGELIST}add/")

    assertContains(response, "Save and submit for review")
    assert BUTTON.findall(response.content.decode()) == ["submit"]


def test_save_and_submit_button_saves_the_edits_then_submits(client, clock, reporter):
    article = make_story(reporter, Status.DRAFT, headline="Defector reaches Berlin")
    client.force_login(reporter)

    response = client.post(
        admin_url(article),
        edit_form(article, headline="Defector arrives in Berlin", _transition="submit"),
    )

    assertRedirects(response, admin_url(article), fetch_redirect_response=False)
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Defector arrives in Berlin", Status.IN_REVIEW)
    assert article.revisions.get().content["headline"] == "Defector arrives in Berlin"
    assert StatusChange.objects.get(article=article).changed_by == reporter
    assert message_texts(response, messages.SUCCESS)[-1] == (
        "“Defector arrives in Berlin” is now in review."
    )


@pytest.mark.parametrize(
    ("name", "start", "field"),
    [
        ("schedule", Status.IN_REVIEW, 'name="publish_at_0"'),
        ("request_changes", Status.IN_REVIEW, 'name="comment"'),
        ("unpublish", Status.PUBLISHED, 'name="comment"'),
    ],
)
def test_steps_with_details_lead_from_the_form_to_their_own_page(
    client, clock, reporter, editor, name, start, field
):
    article = make_story(reporter, start, headline="Defector reaches Berlin")
    client.force_login(editor)

    response = client.post(
        admin_url(article), edit_form(article, headline="Edited first", _transition=name)
    )
    page = client.get(admin_url(article, f"transition/{name}/"))

    assertRedirects(
        response, admin_url(article, f"transition/{name}/"), fetch_redirect_response=False
    )
    assert Article.objects.get(pk=article.pk).headline == "Edited first"
    assert Article.objects.get(pk=article.pk).status == start
    assert page.status_code == 200
    assertContains(page, field)
    assertContains(page, "“Edited first” is")


@pytest.mark.parametrize(
    ("name", "start", "details", "target"),
    [
        (
            "schedule",
            Status.IN_REVIEW,
            {"publish_at_0": "2026-04-05", "publish_at_1": "18:00"},
            Status.PUBLISHED,
        ),
        ("request_changes", Status.IN_REVIEW, {"comment": "Add a source."}, "changes_requested"),
        ("unpublish", Status.PUBLISHED, {"comment": "Retracted."}, Status.UNPUBLISHED),
    ],
)
def test_posting_a_steps_page_applies_it(
    client, clock, reporter, editor, name, start, details, target
):
    article = make_story(reporter, start)
    client.force_login(editor)

    response = client.post(admin_url(article, f"transition/{name}/"), details)

    assertRedirects(response, admin_url(article), fetch_redirect_response=False)
    assert Article.objects.get(pk=article.pk).status == target
    change = StatusChange.objects.get(article=article)
    assert (change.from_status, change.to_status, change.changed_by) == (start, target, editor)
    assert change.comment == details.get("comment", "")


@pytest.mark.parametrize(
    ("name", "start"), [("request_changes", Status.IN_REVIEW), ("unpublish", Status.PUBLISHED)]
)
def test_steps_page_refuses_a_missing_comment_and_changes_nothing(
    client, clock, reporter, editor, name, start
):
    article = make_story(reporter, start)
    client.force_login(editor)
    before = state_of(article)

    response = client.post(admin_url(article, f"transition/{name}/"), {"comment": "  "})

    assert response.status_code == 200
    assertContains(response, "This field is required.")
    assert state_of(article) == before


def test_steps_page_refuses_a_past_schedule_time_and_changes_nothing(
    client, clock, reporter, editor
):
    article = make_story(reporter, Status.IN_REVIEW)
    client.force_login(editor)
    before = state_of(article)

    response = client.post(
        admin_url(article, "transition/schedule/"),
        {"publish_at_0": "2026-04-05", "publish_at_1": "11:00"},
    )

    assert response.status_code == 200
    assertContains(response, "Choose a time in the future.")
    assert state_of(article) == before


@pytest.mark.parametrize(("name", "start", "message"), INVALID_STEPS)
def test_invalid_step_in_the_admin_is_refused_with_a_message(
    client, clock, reporter, editor, name, start, message
):
    article = make_story(reporter, start)
    client.force_login(editor)
    before = state_of(article)

    response = client.post(admin_url(article, f"transition/{name}/"), {"comment": "A reason."})

    assertRedirects(response, admin_url(article), fetch_redirect_response=False)
    assert message_texts(response) == [message]
    assert state_of(article) == before


# Steps taken by the system: commands and scripts, recorded as by no one


def test_the_system_takes_a_step_recorded_without_a_user(clock, reporter):
    article = make_story(reporter, Status.IN_REVIEW)

    change = workflow.apply(article, "publish", workflow.SYSTEM)

    assert (change.from_status, change.to_status, change.changed_by) == (
        Status.IN_REVIEW,
        Status.PUBLISHED,
        None,
    )
    assert Article.objects.get(pk=article.pk).published_at == clock.now


def test_publishing_keeps_a_past_publication_time_given_and_refuses_a_future_one(clock, reporter):
    backdated, early = make_story(reporter), make_story(reporter)

    workflow.apply(backdated, "publish", workflow.SYSTEM, at=at("2026-04-01 08:00"))
    with pytest.raises(ValidationError):
        workflow.apply(early, "publish", workflow.SYSTEM, at=at("2026-04-06 08:00"))

    assert Article.objects.get(pk=backdated.pk).published_at == at("2026-04-01 08:00")
    assert state_of(early) == (Status.DRAFT, None, 0, 0)
