"""Who is told what: editors of submissions, authors of what happens to their story, everyone
of a mention; in the same transaction as the action, by email once it commits."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import transaction
from pytest_django.asserts import assertContains

from articles import notifications, workflow
from articles.models import Article, Correction
from inbox.models import EmailDelivery, EmailOptOut, Notification

from .admin_forms import admin_url, edit_form
from .conftest import at, make_article, make_staff

pytestmark = pytest.mark.django_db

Status = Article.Status
Kind = Notification.Kind


@pytest.fixture
def newsroom():
    """A story of two reporters (one created it), two editors, a reporter and an editor it is
    none of their business to hear of, each with an email address."""
    people = {
        "jens": make_staff("Reporter", "jens", author_name="Jens Kiffmeier"),
        "anna": make_staff("Reporter", "anna", author_name="Anna Brandt"),
        "other": make_staff("Reporter", "other", author_name="Someone Else"),
        "dora": make_staff("Editor", "dora"),
        "emil": make_staff("Editor", "emil"),
        "gone": make_staff("Editor", "gone"),
    }
    people["gone"].is_active = False
    for user in people.values():
        user.email = f"{user.username}@newsroom.test"
        user.save()
    return people


def story_of(newsroom, status=Status.DRAFT, **fields) -> Article:
    fields.setdefault("published_at", None)
    return make_article(
        status=status,
        created_by=newsroom["jens"],
        authors=[newsroom["jens"].author_profile, newsroom["anna"].author_profile],
        **fields,
    )


def told(kind: str | None = None) -> set[str]:
    notes = Notification.objects.all() if kind is None else Notification.objects.filter(kind=kind)
    return {note.recipient.username for note in notes}


# Who is told of each workflow step

AUTHORS = {"jens", "anna"}
STEPS = [
    # step, from status, by, told, kind
    ("submit", Status.DRAFT, "jens", {"dora", "emil"}, Kind.SUBMITTED),
    ("submit", Status.CHANGES_REQUESTED, "anna", {"dora", "emil"}, Kind.SUBMITTED),
    ("submit", Status.DRAFT, "dora", {"emil"}, Kind.SUBMITTED),
    ("request_changes", Status.IN_REVIEW, "dora", AUTHORS, Kind.CHANGES_REQUESTED),
    ("publish", Status.IN_REVIEW, "dora", AUTHORS, Kind.PUBLISHED),
    ("schedule", Status.IN_REVIEW, "dora", AUTHORS, Kind.SCHEDULED),
    ("unpublish", Status.PUBLISHED, "emil", AUTHORS, Kind.UNPUBLISHED),
    ("revise", Status.CHANGES_REQUESTED, "jens", set(), None),
    ("redraft", Status.UNPUBLISHED, "dora", set(), None),
]


@pytest.mark.parametrize(
    ("step", "start", "actor", "expected", "kind"), STEPS, ids=[f"{s[0]}-by-{s[2]}" for s in STEPS]
)
def test_each_step_tells_those_who_need_to_know_and_nobody_else(
    clock, newsroom, step, start, actor, expected, kind
):
    published_at = at("2026-04-05 10:00") if start == Status.PUBLISHED else None
    article = story_of(newsroom, start, published_at=published_at)
    moment = at("2026-04-06 09:00") if step == "schedule" else None

    workflow.apply(article, step, newsroom[actor], comment="A reason.", at=moment)

    assert told() == expected
    assert all(note.kind == kind for note in Notification.objects.all())


def test_a_notification_says_who_did_what_to_which_story_and_leads_to_it(clock, newsroom):
    newsroom["dora"].first_name, newsroom["dora"].last_name = "Dora", "Okafor"
    newsroom["dora"].save()
    article = story_of(newsroom, Status.IN_REVIEW, headline="Defector reaches Berlin")

    workflow.apply(article, "request_changes", newsroom["dora"], comment="Name the source.")

    note = Notification.objects.get(recipient=newsroom["jens"])
    assert note.actor == newsroom["dora"]
    assert note.subject == "Defector reaches Berlin"
    assert (
        note.message
        == "Dora Okafor asked for changes to “Defector reaches Berlin”: Name the source."
    )
    assert note.url == admin_url(article)
    assert note.read_at is None


def test_a_scheduled_story_says_when(clock, newsroom):
    article = story_of(newsroom, Status.IN_REVIEW, headline="Defector reaches Berlin")

    workflow.apply(article, "schedule", newsroom["dora"], at=at("2026-04-06 09:00"))

    assert Notification.objects.filter(kind=Kind.SCHEDULED).first().message == (
        "dora scheduled “Defector reaches Berlin” for 6 April 2026, 09:00 CEST."
    )


def test_a_step_the_system_takes_is_told_as_the_systems(clock, newsroom):
    article = story_of(newsroom, Status.IN_REVIEW)

    workflow.apply(article, "publish", workflow.SYSTEM)

    assert told() == AUTHORS
    assert Notification.objects.first().message.startswith("The system published")


def test_a_refused_step_tells_nobody(clock, newsroom):
    article = story_of(newsroom, Status.DRAFT)

    with pytest.raises(Exception):  # noqa: B017 - which refusal is test_workflow's business
        workflow.apply(article, "publish", newsroom["jens"])

    assert Notification.objects.count() == 0


def test_authors_are_told_of_a_correction(client, clock, newsroom):
    article = story_of(newsroom, Status.PUBLISHED, published_at=at("2026-04-05 10:00"))
    client.force_login(newsroom["dora"])

    response = client.post(
        admin_url(article),
        edit_form(
            article,
            corrections=[
                {
                    "kind": "correction",
                    "text": "The colonel's name is Karakulov.",
                    "created_at_0": "2026-04-05",
                    "created_at_1": "12:00",
                }
            ],
        ),
    )

    assert response.status_code == 302
    assert Correction.objects.filter(article=article).count() == 1
    assert told(Kind.CORRECTED) == AUTHORS
    assert "added a correction" in Notification.objects.first().message


# Comments and mentions


def comment(client, article, user, text: str):
    client.force_login(user)
    return client.post(admin_url(article, "comments/"), {"text": text}, follow=True)


def test_a_comment_tells_the_authors_and_those_who_took_part_before(client, clock, newsroom):
    article = story_of(newsroom, Status.IN_REVIEW)
    comment(client, article, newsroom["dora"], "Is the second source on the record?")
    assert told(Kind.COMMENTED) == AUTHORS

    Notification.objects.all().delete()
    comment(client, article, newsroom["jens"], "Yes, by name.")

    assert told(Kind.COMMENTED) == {"anna", "dora"}


def test_a_mention_tells_that_user_once_and_everyone_else_of_the_comment(client, clock, newsroom):
    article = story_of(newsroom, Status.IN_REVIEW)

    comment(client, article, newsroom["dora"], "@emil and @anna, please read it too.")

    assert told(Kind.MENTIONED) == {"emil", "anna"}
    assert told(Kind.COMMENTED) == {"jens"}
    assert Notification.objects.filter(recipient=newsroom["anna"]).count() == 1


@pytest.mark.parametrize(
    "text",
    ["Thanks, @emil.", "@emil: look", "(cc @emil)", "@emil, @emil!"],
    ids=["full-stop", "colon", "brackets", "twice"],
)
def test_a_mention_is_found_wherever_it_stands_in_the_text(client, clock, newsroom, text):
    article = story_of(newsroom, Status.IN_REVIEW)

    comment(client, article, newsroom["dora"], text)

    assert Notification.objects.filter(recipient=newsroom["emil"], kind=Kind.MENTIONED).count() == 1


def test_an_email_address_is_no_mention(client, clock, newsroom):
    article = story_of(newsroom, Status.IN_REVIEW)

    comment(client, article, newsroom["dora"], "Write to press@emil.example or dora@emil")

    assert told(Kind.MENTIONED) == set()


def test_a_mention_of_someone_who_may_not_open_the_story_tells_nobody_and_says_so(
    client, clock, newsroom
):
    article = story_of(newsroom, Status.IN_REVIEW)

    response = comment(client, article, newsroom["dora"], "@other @gone @nobody have a look")

    assert told(Kind.MENTIONED) == set()
    assert told() == AUTHORS  # of the comment
    assertContains(response, "Nobody was told of @gone, @nobody, @other")


def test_the_page_of_a_step_says_which_mentions_told_nobody(client, clock, newsroom):
    article = story_of(newsroom, Status.IN_REVIEW)
    client.force_login(newsroom["dora"])

    response = client.post(
        admin_url(article, "transition/request_changes/"),
        {"comment": "Ask @emil and @nobody."},
        follow=True,
    )

    assertContains(response, "changes requested")
    assertContains(response, "Nobody was told of @nobody")
    assert told(Kind.MENTIONED) == {"emil"}


def test_a_mention_in_the_comment_of_a_step_adds_nobody_the_step_told(clock, newsroom):
    article = story_of(newsroom, Status.IN_REVIEW)

    workflow.apply(article, "request_changes", newsroom["dora"], comment="@jens and @emil: see")

    assert told(Kind.CHANGES_REQUESTED) == AUTHORS
    assert told(Kind.MENTIONED) == {"emil"}


def test_nobody_is_told_what_they_did_themselves(client, clock, newsroom):
    article = story_of(newsroom, Status.IN_REVIEW)

    comment(client, article, newsroom["jens"], "Note to self, @jens: and to @anna.")

    assert "jens" not in told()


def test_mentions_name_those_it_reaches_and_those_it_does_not(newsroom):
    article = story_of(newsroom, Status.IN_REVIEW)

    reached, missed = notifications.mentions(article, "@emil @other @nobody. @anna")

    assert {user.username for user in reached} == {"emil", "anna"}
    assert missed == ["nobody", "other"]


# Email: queued once the action commits; chosen per kind


def test_the_email_is_queued_when_the_action_commits(
    clock, newsroom, django_capture_on_commit_callbacks
):
    article = story_of(newsroom, Status.DRAFT)

    with django_capture_on_commit_callbacks() as callbacks:
        workflow.apply(article, "submit", newsroom["jens"])
        assert Notification.objects.count() == 2  # in the inbox with the action…
        assert mail.outbox == []  # …but no email while it may still roll back

    for callback in callbacks:
        callback()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "dora@newsroom.test",
        "emil@newsroom.test",
    ]
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_an_action_rolled_back_tells_nobody_and_sends_nothing(
    clock, newsroom, django_capture_on_commit_callbacks
):
    article = story_of(newsroom, Status.DRAFT)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        workflow.apply(article, "submit", newsroom["jens"])
        raise RuntimeError("something later in the same transaction failed")

    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_the_email_names_the_story_and_links_to_it(
    clock, newsroom, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_SITE_URL = "https://news.example.com"
    article = story_of(newsroom, Status.DRAFT, headline="Defector reaches Berlin")

    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(article, "submit", newsroom["jens"])

    email = mail.outbox[0]
    assert email.subject == "Submitted for review: Defector reaches Berlin"
    assert "jens submitted “Defector reaches Berlin” for review." in email.body
    assert f"https://news.example.com{admin_url(article)}" in email.body
    assert "https://news.example.com/admin/inbox/email/" in email.body


def test_who_turned_an_email_off_gets_it_in_the_inbox_only(
    clock, newsroom, django_capture_on_commit_callbacks
):
    EmailOptOut.objects.create(user=newsroom["dora"], kind=Kind.SUBMITTED)
    EmailOptOut.objects.create(user=newsroom["emil"], kind=Kind.PUBLISHED)  # another kind
    article = story_of(newsroom, Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(article, "submit", newsroom["jens"])

    assert told() == {"dora", "emil"}
    assert [message.to for message in mail.outbox] == [["emil@newsroom.test"]]


def test_staff_without_an_email_address_get_no_email(
    clock, newsroom, django_capture_on_commit_callbacks
):
    User.objects.filter(username="emil").update(email="")
    article = story_of(newsroom, Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(article, "submit", newsroom["jens"])

    assert told() == {"dora", "emil"}
    assert EmailDelivery.objects.get().to == "dora@newsroom.test"
