"""Who may do what with an article: the workflow's permission matrix, enforced in the admin."""

from datetime import timedelta

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import (
    Article,
    Autosave,
    EditingSession,
    PreviewLink,
    ReviewComment,
    Revision,
    StatusChange,
)

from .admin_forms import admin_url, article_form, autosaved, edit_form
from .conftest import ARTICLE_STATES, NOW, at, make_article, make_section, make_staff

pytestmark = pytest.mark.django_db

Status = Article.Status
ADD = "/admin/articles/article/add/"

# The states of the matrix, by its column headings.
STATES = {
    "draft": ARTICLE_STATES["draft"],
    "review": ARTICLE_STATES["in_review"],
    "changes": ARTICLE_STATES["changes_requested"],
    "published": ARTICLE_STATES["published"],
    "scheduled": ARTICLE_STATES["scheduled"],
    "unpublished": ARTICLE_STATES["unpublished"],
}

# What each role may do with an article in each state. The owner is the reporter who wrote
# it; "other" is another reporter. ok: allowed, and it happens. 403: forbidden (403 or 404),
# and nothing changes. bad: a step the role may take, but not from this state: refused with
# a message, and nothing changes.
MATRIX = """
action          role    draft  review  changes  published  scheduled  unpublished
open            owner   ok     ok      ok       ok         ok         ok
open            other   403    403     403      403        403        403
open            editor  ok     ok      ok       ok         ok         ok
open            admin   ok     ok      ok       ok         ok         ok
save            owner   ok     403     ok       403        403        403
save            other   403    403     403      403        403        403
save            editor  ok     ok      ok       ok         ok         ok
save            admin   ok     ok      ok       ok         ok         ok
submit          owner   ok     403     ok       403        403        403
submit          other   403    403     403      403        403        403
submit          editor  ok     bad     ok       bad        bad        bad
submit          admin   ok     bad     ok       bad        bad        bad
publish         owner   403    403     403      403        403        403
publish         other   403    403     403      403        403        403
publish         editor  ok     ok      ok       bad        bad        bad
publish         admin   ok     ok      ok       bad        bad        bad
schedule        owner   403    403     403      403        403        403
schedule        other   403    403     403      403        403        403
schedule        editor  ok     ok      ok       bad        bad        bad
schedule        admin   ok     ok      ok       bad        bad        bad
request_changes owner   403    403     403      403        403        403
request_changes other   403    403     403      403        403        403
request_changes editor  bad    ok      bad      bad        bad        bad
request_changes admin   bad    ok      bad      bad        bad        bad
revise          owner   bad    403     ok       403        403        403
revise          other   403    403     403      403        403        403
revise          editor  bad    bad     ok       bad        bad        bad
revise          admin   bad    bad     ok       bad        bad        bad
unpublish       owner   403    403     403      403        403        403
unpublish       other   403    403     403      403        403        403
unpublish       editor  bad    bad     bad      ok         ok         bad
unpublish       admin   bad    bad     bad      ok         ok         bad
redraft         owner   403    403     403      403        403        403
redraft         other   403    403     403      403        403        403
redraft         editor  bad    bad     bad      bad        bad        ok
redraft         admin   bad    bad     bad      bad        bad        ok
history         owner   ok     ok      ok       ok         ok         ok
history         other   403    403     403      403        403        403
history         editor  ok     ok      ok       ok         ok         ok
history         admin   ok     ok      ok       ok         ok         ok
compare         owner   ok     ok      ok       ok         ok         ok
compare         other   403    403     403      403        403        403
compare         editor  ok     ok      ok       ok         ok         ok
compare         admin   ok     ok      ok       ok         ok         ok
restore         owner   ok     403     ok       403        403        403
restore         other   403    403     403      403        403        403
restore         editor  ok     ok      ok       ok         ok         ok
restore         admin   ok     ok      ok       ok         ok         ok
preview         owner   ok     ok      ok       ok         ok         ok
preview         other   403    403     403      403        403        403
preview         editor  ok     ok      ok       ok         ok         ok
preview         admin   ok     ok      ok       ok         ok         ok
comment         owner   ok     ok      ok       ok         ok         ok
comment         other   403    403     403      403        403        403
comment         editor  ok     ok      ok       ok         ok         ok
comment         admin   ok     ok      ok       ok         ok         ok
share           owner   ok     ok      ok       ok         ok         bad
share           other   403    403     403      403        403        403
share           editor  ok     ok      ok       ok         ok         bad
share           admin   ok     ok      ok       ok         ok         bad
revoke          owner   ok     ok      ok       ok         ok         ok
revoke          other   403    403     403      403        403        403
revoke          editor  ok     ok      ok       ok         ok         ok
revoke          admin   ok     ok      ok       ok         ok         ok
presence        owner   ok     403     ok       403        403        403
presence        other   403    403     403      403        403        403
presence        editor  ok     ok      ok       ok         ok         ok
presence        admin   ok     ok      ok       ok         ok         ok
autosave        owner   ok     403     ok       403        403        403
autosave        other   403    403     403      403        403        403
autosave        editor  ok     ok      ok       ok         ok         ok
autosave        admin   ok     ok      ok       ok         ok         ok
live_preview    owner   ok     403     ok       403        403        403
live_preview    other   403    403     403      403        403        403
live_preview    editor  ok     ok      ok       ok         ok         ok
live_preview    admin   ok     ok      ok       ok         ok         ok
delete          owner   403    403     403      403        403        403
delete          other   403    403     403      403        403        403
delete          editor  403    403     403      403        403        403
delete          admin   ok     ok      ok       ok         ok         ok
"""


def read_matrix() -> dict[tuple[str, str, str], str]:
    """MATRIX as {(action, role, state): expected}."""
    header, *rows = [line.split() for line in MATRIX.strip().splitlines()]
    return {
        (action, role, state): expected
        for action, role, *outcomes in rows
        for state, expected in zip(header[2:], outcomes, strict=True)
    }


OUTCOMES = read_matrix()


STEP_DETAILS = {
    "schedule": {"publish_at_0": "2026-04-07", "publish_at_1": "10:00"},
    "request_changes": {"comment": "Please add a second source."},
    "unpublish": {"comment": "The main source withdrew the claim."},
}


def step(name: str):
    return lambda client, article: client.post(
        admin_url(article, f"transition/{name}/"), STEP_DETAILS.get(name, {"comment": ""})
    )


ACTIONS = {
    "open": lambda client, article: client.get(admin_url(article)),
    "save": lambda client, article: client.post(
        admin_url(article), edit_form(article, headline="Edited headline")
    ),
    **{
        name: step(name)
        for name in [
            "submit",
            "publish",
            "schedule",
            "request_changes",
            "revise",
            "unpublish",
            "redraft",
        ]
    },
    "history": lambda client, article: client.get(admin_url(article, "history/")),
    "compare": lambda client, article: client.get(
        admin_url(article, "history/compare/"), {"from": "1", "to": "2"}
    ),
    "restore": lambda client, article: client.post(admin_url(article, "history/1/restore/")),
    "preview": lambda client, article: client.get(admin_url(article, "preview/")),
    "comment": lambda client, article: client.post(
        admin_url(article, "comments/"), {"text": "Is the second source on the record?"}
    ),
    "share": lambda client, article: client.post(admin_url(article, "preview-links/")),
    "revoke": lambda client, article: client.post(
        admin_url(article, f"preview-links/{article.preview_links.get().pk}/revoke/")
    ),
    "presence": lambda client, article: client.post(admin_url(article, "presence/")),
    "autosave": lambda client, article: client.post(
        admin_url(article, "autosave/"), autosaved(edit_form(article, headline="Edited headline"))
    ),
    "live_preview": lambda client, article: client.post(
        admin_url(article, "live-preview/"), edit_form(article, headline="Edited headline")
    ),
    "delete": lambda client, article: client.post(admin_url(article, "delete/"), {"post": "yes"}),
}


def record(article: Article) -> dict:
    """Everything about `article` that an action could change."""
    stored = Article.objects.filter(pk=article.pk).values("status", "headline", "published_at")
    return {
        "article": stored.first(),
        "status_changes": StatusChange.objects.filter(article_id=article.pk).count(),
        "revisions": Revision.objects.filter(article_id=article.pk).count(),
        "comments": ReviewComment.objects.filter(article_id=article.pk).count(),
        "links": PreviewLink.objects.filter(article_id=article.pk).count(),
        "revoked": PreviewLink.objects.filter(
            article_id=article.pk, revoked_at__isnull=False
        ).count(),
        "sessions": EditingSession.objects.filter(article_id=article.pk).count(),
        "autosaves": Autosave.objects.filter(article_id=article.pk).count(),
    }


def more(before: dict, after: dict, key: str) -> bool:
    return after[key] == before[key] + 1


# Whether an allowed action did its work, from the response and the records around it.
DONE = {
    "open": lambda response, before, after: b"Current headline" in response.content,
    "save": lambda response, before, after: (
        after["article"]["headline"] == "Edited headline" and more(before, after, "revisions")
    ),
    "submit": lambda response, before, after: (
        after["article"]["status"] == Status.IN_REVIEW and more(before, after, "status_changes")
    ),
    "publish": lambda response, before, after: (
        after["article"]
        == {"status": Status.PUBLISHED, "headline": "Current headline", "published_at": NOW}
    ),
    "schedule": lambda response, before, after: (
        after["article"]["published_at"] == at("2026-04-07 10:00")
        and after["article"]["status"] == Status.PUBLISHED
    ),
    "request_changes": lambda response, before, after: (
        after["article"]["status"] == Status.CHANGES_REQUESTED and more(before, after, "comments")
    ),
    "revise": lambda response, before, after: after["article"]["status"] == Status.DRAFT,
    "unpublish": lambda response, before, after: (
        after["article"]["status"] == Status.UNPUBLISHED and more(before, after, "comments")
    ),
    "redraft": lambda response, before, after: after["article"]["status"] == Status.DRAFT,
    "history": lambda response, before, after: b"First headline" in response.content,
    "compare": lambda response, before, after: b"<del>First</del>" in response.content,
    "restore": lambda response, before, after: (
        after["article"]["headline"] == "First headline" and more(before, after, "revisions")
    ),
    "preview": lambda response, before, after: (
        "Preview – not published" in response.content.decode()
    ),
    "comment": lambda response, before, after: more(before, after, "comments"),
    "share": lambda response, before, after: more(before, after, "links"),
    "revoke": lambda response, before, after: more(before, after, "revoked"),
    "presence": lambda response, before, after: (
        "others" in response.json() and more(before, after, "sessions")
    ),
    # Kept aside or only shown: the story itself does not change.
    "autosave": lambda response, before, after: (
        more(before, after, "autosaves") and after | {"autosaves": 0} == before | {"autosaves": 0}
    ),
    "live_preview": lambda response, before, after: (
        b"Edited headline" in response.content and after == before
    ),
    "delete": lambda response, before, after: after["article"] is None,
}


@pytest.fixture
def owner():
    return make_staff("Reporter", author_name="Olga Owner")


def make_story(owner, state: str) -> Article:
    """An article by `owner` in `state`, with two revisions and an open preview link."""
    article = make_article(
        headline="First headline", authors=[owner.author_profile], created_by=owner, **STATES[state]
    )
    article.record_revision(by=owner)
    Article.objects.filter(pk=article.pk).update(headline="Current headline")
    article.refresh_from_db()
    article.record_revision(by=owner)
    article.preview_links.create(created_by=owner, expires_at=NOW + timedelta(hours=48))
    return article


def acting_user(role: str, owner):
    if role == "owner":
        return owner
    return make_staff({"other": "Reporter", "editor": "Editor", "admin": "Admin"}[role])


def error_messages(response) -> list[str]:
    return [
        str(message)
        for message in get_messages(response.wsgi_request)
        if message.level == messages.ERROR
    ]


@pytest.mark.parametrize(
    ("action", "role", "state", "expected"),
    [
        pytest.param(*case, expected, id="-".join((case[1], case[0], case[2])))
        for case, expected in OUTCOMES.items()
    ],
)
def test_each_role_may_do_in_each_state_what_the_matrix_says(
    client, clock, owner, action, role, state, expected
):
    article = make_story(owner, state)
    client.force_login(acting_user(role, owner))
    before = record(article)

    response = ACTIONS[action](client, article)

    after = record(article)
    if expected == "ok":
        assert response.status_code in {200, 302}
        assert "/login/" not in response.get("Location", "")
        assert not error_messages(response)
        assert DONE[action](response, before, after)
    elif expected == "403":
        assert response.status_code in {403, 404}
        assert after == before
    else:
        assert response.status_code == 302
        assert response["Location"] == admin_url(article)
        assert any("is not possible" in message for message in error_messages(response))
        assert after == before


def test_matrix_covers_every_role_state_and_action():
    assert set(OUTCOMES) == {
        (action, role, state)
        for action in ACTIONS
        for role in ["owner", "other", "editor", "admin"]
        for state in STATES
    }


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ["owner", "other", "editor", "admin"])
def test_model_permission_checks_agree_with_the_matrix(owner, role, state):
    article = make_story(owner, state)
    user = acting_user(role, owner)

    assert article.can_be_viewed_by(user) == (OUTCOMES["open", role, state] == "ok")
    assert article.can_be_edited_by(user) == (OUTCOMES["save", role, state] == "ok")
    assert Article.objects.editable_by(user).contains(article) == article.can_be_edited_by(user)


# Forged requests: what the buttons would not offer, sent anyway


@pytest.mark.parametrize(
    ("name", "state"),
    [
        ("publish", "review"),
        ("schedule", "review"),
        ("request_changes", "review"),
        ("unpublish", "published"),
        ("redraft", "unpublished"),
    ],
)
def test_reporter_forging_an_editors_step_gets_403_and_nothing_changes(
    client, clock, owner, name, state
):
    article = make_story(owner, state)
    client.force_login(owner)
    before = record(article)

    response = client.post(
        admin_url(article, f"transition/{name}/"),
        {"comment": "Looks fine to me.", "publish_at_0": "2026-04-07", "publish_at_1": "10:00"},
    )

    assert response.status_code == 403
    assert record(article) == before


def test_reporter_forging_the_publish_button_on_the_form_saves_nothing(client, clock, owner):
    article = make_story(owner, "draft")
    client.force_login(owner)
    before = record(article)

    response = client.post(
        admin_url(article), edit_form(article, headline="Edited headline", _transition="publish")
    )

    assert response.status_code == 403
    assert record(article) == before


@pytest.mark.parametrize(
    ("whose", "state"),
    [("someone else's", "draft"), ("own", "review"), ("own", "published")],
)
def test_reporter_cannot_save_the_form_of_an_article_not_theirs_to_edit(
    client, clock, owner, whose, state
):
    writer = owner if whose == "own" else make_staff("Reporter", author_name="Pia Other")
    article = make_story(writer, state)
    client.force_login(owner)
    before = record(article)

    response = client.post(admin_url(article), edit_form(article, headline="Edited headline"))

    assert response.status_code == 403
    assert record(article) == before


def test_reporter_posting_published_status_on_the_add_form_gets_a_draft(client, clock, owner):
    client.force_login(owner)

    response = client.post(
        ADD,
        article_form(
            make_section(),
            bylines=[{"position": "0", "author": owner.author_profile.pk}],
            status="published",
            published_at_0="2026-04-05",
            published_at_1="09:00",
        ),
    )

    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.status, article.published_at, article.created_by) == (
        Status.DRAFT,
        None,
        owner,
    )


def test_reporter_posting_published_status_on_the_change_form_keeps_the_draft(client, clock, owner):
    article = make_story(owner, "draft")
    client.force_login(owner)

    response = client.post(
        admin_url(article),
        edit_form(
            article,
            headline="Edited headline",
            status="published",
            published_at_0="2026-04-05",
            published_at_1="09:00",
            expires_at_0="2026-04-09",
            expires_at_1="09:00",
        ),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Edited headline"
    assert (article.status, article.published_at, article.expires_at) == (Status.DRAFT, None, None)
    assert not article.status_changes.exists()


@pytest.mark.parametrize("state", ["review", "published"])
def test_reporter_sees_their_article_read_only_once_it_left_their_hands(
    client, clock, owner, state
):
    article = make_story(owner, state)
    client.force_login(owner)

    response = client.get(admin_url(article))

    assert response.status_code == 200
    assertContains(response, "Current headline")
    assertNotContains(response, 'name="headline"')
    assertNotContains(response, 'name="_save"')
    assertNotContains(response, 'name="_transition"')


# Object-level checks on every admin view that shows an article

OBJECT_VIEWS = [
    ("get", "change/"),
    ("post", "change/"),
    ("get", "history/"),
    ("get", "history/compare/?from=1&to=2"),
    ("post", "history/1/restore/"),
    ("get", "preview/"),
    ("post", "comments/"),
    ("get", "transition/submit/"),
    ("post", "transition/submit/"),
    ("post", "preview-links/"),
    ("post", "preview-links/{link}/revoke/"),
    ("post", "presence/"),
    ("post", "presence/end/"),
    ("get", "delete/"),
]


@pytest.mark.parametrize(("method", "path"), OBJECT_VIEWS)
def test_reporter_opening_another_reporters_draft_by_url_is_refused(
    client, clock, owner, method, path
):
    article = make_story(owner, "draft")
    client.force_login(make_staff("Reporter", author_name="Pia Other"))
    before = record(article)
    address = admin_url(article, path.format(link=article.preview_links.get().pk))

    response = getattr(client, method)(address, {"text": "x"} if method == "post" else None)

    assert response.status_code in {403, 404}
    assertNotContains(response, "Current headline", status_code=response.status_code)
    assert record(article) == before
