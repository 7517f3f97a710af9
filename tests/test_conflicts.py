"""No lost edits: two editors on one article, and who else has its form open."""

import re

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, EditingSession, Revision

from .admin_forms import admin_url, edit_form
from .conftest import at, make_article, make_staff

pytestmark = pytest.mark.django_db

BASE_VERSION = re.compile(r'name="base_version" value="(\d+)"')


def staff_client(role: str, username: str, full_name: str = "") -> tuple[Client, object]:
    user = make_staff(role, username=username)
    user.first_name, _, user.last_name = full_name.partition(" ")
    user.save()
    client = Client()
    client.force_login(user)
    return client, user


@pytest.fixture
def article():
    article = make_article(
        headline="Defector reaches Berlin",
        body="<p>He crossed at dawn.</p>",
        status=Article.Status.DRAFT,
        published_at=None,
    )
    article.record_revision()
    return article


def open_form(client: Client, article: Article) -> int:
    """Open the change form and return the version it carries."""
    response = client.get(admin_url(article))
    assert response.status_code == 200
    return int(BASE_VERSION.search(response.content.decode())[1])


@pytest.fixture
def conflict(article):
    """Editor A opens the form, editor B saves a change, then A saves theirs."""
    alice, alice_user = staff_client("Editor", "alice")
    bob, bob_user = staff_client("Editor", "bob", "Bob Berger")
    opened_at = open_form(alice, article)
    bob_opened_at = open_form(bob, article)
    saved = bob.post(
        admin_url(article),
        edit_form(
            article,
            headline="Defector arrives in Berlin",
            body="<p>He crossed at night.</p>",
            base_version=str(bob_opened_at),
        ),
    )
    assert saved.status_code == 302
    response = alice.post(
        admin_url(article),
        edit_form(
            article,
            headline="Defector lands in Berlin",
            body="<p>He crossed at noon.</p>",
            base_version=str(opened_at),
        ),
    )
    return {"response": response, "alice": alice, "alice_user": alice_user, "bob_user": bob_user}


def test_saving_over_a_newer_version_is_refused_naming_who_saved_and_when(article, conflict):
    response = conflict["response"]
    bobs = article.revisions.get(kind=Revision.Kind.SAVE, created_by=conflict["bob_user"])
    when = date_format(timezone.localtime(bobs.created_at), "DATETIME_FORMAT")

    assert response.status_code == 200
    assertContains(response, f"Bob Berger saved this article at {when}, after you opened it.")


def test_conflict_message_names_who_saved_by_username_without_a_full_name(article):
    alice, _ = staff_client("Editor", "alice")
    bob, _ = staff_client("Editor", "bob")
    opened_at = open_form(alice, article)
    bob.post(admin_url(article), edit_form(article, headline="Bob's headline"))

    response = alice.post(
        admin_url(article), edit_form(article, headline="Alice's", base_version=str(opened_at))
    )

    assertContains(response, "bob saved this article at ")


def test_refused_save_keeps_the_newer_text_in_the_article(article, conflict):
    article.refresh_from_db()

    assert (article.headline, article.body) == (
        "Defector arrives in Berlin",
        "<p>He crossed at night.</p>",
    )
    assert article.version == 2


def test_refused_text_is_kept_as_a_conflict_revision(article, conflict):
    kept = article.revisions.first()

    assert (kept.number, kept.kind, kept.created_by) == (3, "conflict", conflict["alice_user"])
    assert kept.content["headline"] == "Defector lands in Berlin"
    assert kept.content["body"] == "<p>He crossed at noon.</p>"
    assert kept.note == "Refused: opened at version 1"
    assertContains(conflict["response"], f'{admin_url(article, "history/")}">revision 3</a>')


def test_refused_save_shows_how_the_text_differs_from_the_newer_version(article, conflict):
    content = conflict["response"].content.decode()
    shown = re.search(r'<div class="edit-conflict">.*?<div class="comparison-body">', content, re.S)

    assert shown, "the conflict box has no comparison"
    assert "Defector <del>arrives</del><ins>lands</ins> in Berlin" in shown[0]
    assert "He crossed at <del>night.</del><ins>noon.</ins>" in content


def test_refused_form_carries_the_current_version_so_saving_again_works(article, conflict):
    alice = conflict["alice"]
    offered = int(BASE_VERSION.search(conflict["response"].content.decode())[1])

    again = alice.post(
        admin_url(article),
        edit_form(article, headline="Defector lands in Berlin", base_version=str(offered)),
    )

    assert offered == 2
    assert again.status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.version) == ("Defector lands in Berlin", 3)
    assert article.revisions.first().kind == "save"


def test_a_save_without_the_version_it_was_opened_at_is_a_conflict(article):
    editor, _ = staff_client("Editor", "alice")
    data = edit_form(article, headline="Defector lands in Berlin")
    del data["base_version"]

    response = editor.post(admin_url(article), data)

    assert response.status_code == 200
    assertContains(response, "saved this article")
    assert Article.objects.get(pk=article.pk).headline == "Defector reaches Berlin"
    assert article.revisions.first().kind == "conflict"


def test_saves_from_the_same_version_one_after_another_refuse_the_second(article):
    alice, _ = staff_client("Editor", "alice")
    bob, _ = staff_client("Editor", "bob")
    version = open_form(alice, article)
    assert open_form(bob, article) == version

    first = alice.post(admin_url(article), edit_form(article, headline="Alice's"))
    second = bob.post(
        admin_url(article), edit_form(article, headline="Bob's", base_version=str(version))
    )

    assert (first.status_code, second.status_code) == (302, 200)
    assert Article.objects.get(pk=article.pk).headline == "Alice's"


# Who else has the form open: the form's heartbeat (a POST) says so, opening it writes nothing


def heartbeat(client: Client, article: Article):
    """What the form's script sends while the form is open for editing and in view."""
    return client.post(admin_url(article, "presence/"))


def test_opening_the_form_records_no_presence(clock, article):
    alice, _ = staff_client("Editor", "alice")

    response = alice.get(admin_url(article))

    assert response.status_code == 200
    assert not EditingSession.objects.exists()
    assertContains(response, f'data-presence-url="{admin_url(article, "presence/")}"')


def test_form_shows_who_else_has_it_open_for_editing(clock, article):
    alice, _ = staff_client("Editor", "alice")
    bob, _ = staff_client("Editor", "bob", "Bob Berger")
    clock.now = at("2026-04-05 12:00")
    heartbeat(bob, article)

    clock.now = at("2026-04-05 12:00:30")
    response = alice.get(admin_url(article))

    assertContains(response, "<strong>Also open for editing by:</strong>")
    assertContains(response, "Bob Berger (just now)")


def test_form_forgets_an_editor_after_a_few_minutes(clock, article):
    alice, _ = staff_client("Editor", "alice")
    bob, _ = staff_client("Editor", "bob", "Bob Berger")
    clock.now = at("2026-04-05 12:00")
    heartbeat(bob, article)

    clock.now = at("2026-04-05 12:06")
    response = alice.get(admin_url(article))

    assertNotContains(response, "Also open for editing by")
    assertNotContains(response, "Bob Berger")


def test_form_does_not_list_the_user_themself(clock, article):
    alice, _ = staff_client("Editor", "alice", "Alice Adler")
    heartbeat(alice, article)

    response = alice.get(admin_url(article))

    assertNotContains(response, "Also open for editing by")


def test_read_only_viewers_have_no_heartbeat_and_may_not_send_one(clock):
    reporter, reporter_user = staff_client("Reporter", "jkiffmeier")
    article = make_article(
        status=Article.Status.IN_REVIEW, published_at=None, created_by=reporter_user
    )
    editor, _ = staff_client("Editor", "alice")

    read_only = reporter.get(admin_url(article))
    forged = heartbeat(reporter, article)
    response = editor.get(admin_url(article))

    assert read_only.status_code == 200
    assertNotContains(read_only, "data-presence-url")
    assert forged.status_code == 403
    assert not EditingSession.objects.exists()
    assertNotContains(response, "Also open for editing by")


def test_heartbeat_answers_with_the_others_as_json(clock, article):
    alice, alice_user = staff_client("Editor", "alice")
    bob, _ = staff_client("Editor", "bob", "Bob Berger")
    clock.now = at("2026-04-05 12:00")
    heartbeat(bob, article)

    clock.now = at("2026-04-05 12:00:20")
    response = heartbeat(alice, article)

    assert response.status_code == 200
    assert response.json() == {"others": [{"name": "Bob Berger", "seen": "just now"}]}
    session = EditingSession.objects.get(article=article, user=alice_user)
    assert session.last_seen_at == at("2026-04-05 12:00:20")


def test_heartbeat_keeps_a_session_alive(clock, article):
    alice, _ = staff_client("Editor", "alice")
    bob, _ = staff_client("Editor", "bob", "Bob Berger")
    clock.now = at("2026-04-05 12:00")
    heartbeat(bob, article)
    clock.now = at("2026-04-05 12:04")
    heartbeat(bob, article)

    clock.now = at("2026-04-05 12:08")
    response = heartbeat(alice, article)

    assert [other["name"] for other in response.json()["others"]] == ["Bob Berger"]


def test_heartbeat_refuses_get(article):
    alice, _ = staff_client("Editor", "alice")

    assert alice.get(admin_url(article, "presence/")).status_code == 405


# Leaving the form ends the session at once: its script says goodbye as the page goes away


def goodbye(client: Client, article: Article):
    """What the form's script sends as the page goes away (a beacon)."""
    return client.post(admin_url(article, "presence/end/"))


def test_the_form_knows_where_to_say_goodbye(clock, article):
    alice, _ = staff_client("Editor", "alice")

    response = alice.get(admin_url(article))

    assertContains(response, f'data-presence-end-url="{admin_url(article, "presence/end/")}"')


def test_leaving_the_form_ends_ones_own_session_and_others_see_it_at_once(clock, article):
    alice, _ = staff_client("Editor", "alice")
    bob, bob_user = staff_client("Editor", "bob", "Bob Berger")
    heartbeat(alice, article)
    heartbeat(bob, article)

    response = goodbye(bob, article)

    assert response.status_code == 204
    assert [session.user.username for session in EditingSession.objects.all()] == ["alice"]
    assert heartbeat(alice, article).json() == {"others": []}
    assertNotContains(alice.get(admin_url(article)), "Bob Berger")


def test_a_story_that_left_ones_hands_can_still_be_left(clock):
    reporter, reporter_user = staff_client("Reporter", "jkiffmeier")
    article = make_article(status=Article.Status.DRAFT, published_at=None, created_by=reporter_user)
    heartbeat(reporter, article)
    reporter.post(admin_url(article, "transition/submit/"))  # now read-only for the reporter

    assert goodbye(reporter, article).status_code == 204
    assert not EditingSession.objects.exists()


def test_goodbye_refuses_get_and_strangers(clock, article):
    alice, _ = staff_client("Editor", "alice")
    heartbeat(alice, article)
    stranger, _ = staff_client("Reporter", "pia")

    assert alice.get(admin_url(article, "presence/end/")).status_code == 405
    assert goodbye(stranger, article).status_code == 403
    assert EditingSession.objects.count() == 1
