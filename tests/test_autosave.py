"""Never lose a word: the article form's autosaves, kept per user and story, offered back with
their differences, gone when the story is saved or after NEWSROOM_AUTOSAVE_DAYS."""

import json
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Autosave, Revision

from .admin_forms import CHANGELIST, admin_url, article_form, autosaved, edit_form
from .conftest import at, make_article, make_section, make_staff

pytestmark = pytest.mark.django_db

ADD = f"{CHANGELIST}add/"
NEW_STORY_AUTOSAVE = f"{CHANGELIST}autosave/"
OFFER = "You have unsaved changes to this story"
NEW_STORY_OFFER = "You started a story and did not save it"


@pytest.fixture
def draft(reporter):
    article = make_article(
        headline="Defector reaches Berlin",
        body="<p>He crossed the border at dawn.</p>",
        section=make_section(name="Politics", slug="politics"),
        status=Article.Status.DRAFT,
        published_at=None,
        created_by=reporter,
        authors=[reporter.author_profile],
    )
    article.record_revision(by=reporter)
    return article


def autosave(client, article: Article, **changes):
    """What the form's script sends after `changes` were typed into `article`'s form."""
    return client.post(admin_url(article, "autosave/"), autosaved(edit_form(article, **changes)))


def autosave_new_story(client, key: str, **fields):
    """What the add form's script sends for the story it holds under `key`."""
    section = make_section()
    data = article_form(section, [{"author": ""}], **fields) | {"base_version": ""}
    return client.post(NEW_STORY_AUTOSAVE, autosaved(data) | {"key": key})


# Keeping what is typed


def test_autosave_keeps_what_the_form_holds_for_the_user_and_story(client, clock, reporter, draft):
    client.force_login(reporter)

    response = autosave(client, draft, headline="Defector reaches Berlin by night")

    assert response.status_code == 200
    assert response.json()["saved_at_label"] == "12:00"
    kept = Autosave.objects.get()
    assert (kept.user, kept.article, kept.key) == (reporter, draft, "")
    assert kept.headline == "Defector reaches Berlin by night"
    assert kept.content["fields"]["body"] == ["<p>He crossed the border at dawn.</p>"]
    assert kept.base_version == draft.version


def test_autosaving_again_replaces_the_users_autosave_of_the_story(client, clock, reporter, draft):
    client.force_login(reporter)
    autosave(client, draft, headline="First try")
    clock.advance(seconds=30)

    autosave(client, draft, headline="Second try")

    kept = Autosave.objects.get()
    assert kept.headline == "Second try"
    assert kept.saved_at == at("2026-04-05 12:00:30")


def test_an_autosave_is_not_a_change_to_the_story(client, clock, reporter, draft):
    before = Article.objects.filter(pk=draft.pk).values().get()
    client.force_login(reporter)

    autosave(client, draft, headline="Not saved yet", body="<p>Unsaved words.</p>")

    assert Article.objects.filter(pk=draft.pk).values().get() == before  # version included
    assert Revision.objects.filter(article=draft).count() == 1


def test_each_user_keeps_their_own_autosave_of_a_story(client, clock, reporter, draft):
    editor = make_staff("Editor")
    client.force_login(reporter)
    autosave(client, draft, headline="The reporter's")
    client.force_login(editor)

    autosave(client, draft, headline="The editor's")

    kept = {autosave.user: autosave.headline for autosave in Autosave.objects.all()}
    assert kept == {reporter: "The reporter's", editor: "The editor's"}


def test_a_new_story_is_kept_under_the_key_its_add_form_made_up(client, clock, reporter):
    client.force_login(reporter)
    key = str(uuid.uuid4())

    autosave_new_story(client, key, headline="A story never saved")
    autosave_new_story(client, key, headline="A story never saved, retitled")

    kept = Autosave.objects.get()
    assert (kept.article, kept.key, kept.headline) == (None, key, "A story never saved, retitled")


# Who may autosave, and what is refused


@pytest.mark.parametrize("state", [Article.Status.IN_REVIEW, Article.Status.PUBLISHED])
def test_a_reporter_cannot_autosave_a_story_no_longer_theirs_to_edit(
    client, clock, reporter, draft, state
):
    Article.objects.filter(pk=draft.pk).update(status=state, published_at=at("2026-04-05 09:00"))
    client.force_login(reporter)

    response = autosave(client, draft, headline="Sneaked in")

    assert response.status_code == 403
    assert not Autosave.objects.exists()


def test_a_reporter_cannot_autosave_another_reporters_story(client, clock, draft):
    client.force_login(make_staff("Reporter", author_name="Anna Brandt"))

    response = autosave(client, draft, headline="Sneaked in")

    assert response.status_code == 403
    assert not Autosave.objects.exists()


def test_a_new_storys_autosave_needs_the_right_to_add_stories(client, clock, django_user_model):
    watcher = django_user_model.objects.create_user("watcher", is_staff=True)
    client.force_login(watcher)

    response = autosave_new_story(client, str(uuid.uuid4()), headline="Sneaked in")

    assert response.status_code == 403
    assert not Autosave.objects.exists()


def test_autosave_of_an_unknown_story_is_404(client, reporter):
    client.force_login(reporter)

    response = client.post(f"{CHANGELIST}999999/autosave/", {"content": "{}"})

    assert response.status_code == 404


def test_autosave_is_a_post(client, reporter, draft):
    client.force_login(reporter)

    assert client.get(admin_url(draft, "autosave/")).status_code == 405
    assert not Autosave.objects.exists()


@pytest.mark.parametrize(
    "forged",
    [
        {"content": "not json"},
        {"content": json.dumps(["a", "list"])},
        {"content": json.dumps({"fields": {"headline": "not a list"}})},
        {"content": json.dumps({"fields": {"headline": [1]}})},
        {"content": json.dumps({"fields": {}}), "base_version": "-1"},
    ],
)
def test_a_malformed_autosave_is_refused_and_changes_nothing(
    client, clock, reporter, draft, forged
):
    client.force_login(reporter)
    autosave(client, draft, headline="Kept before")

    response = client.post(admin_url(draft, "autosave/"), forged)

    assert response.status_code == 400
    assert "errors" in response.json()
    assert Autosave.objects.get().headline == "Kept before"


@pytest.mark.parametrize("key", ["", "not-a-uuid"])
def test_a_new_storys_autosave_without_a_proper_key_is_refused(client, clock, reporter, key):
    client.force_login(reporter)

    response = autosave_new_story(client, key, headline="Whose is it?")

    assert response.status_code == 400
    assert not Autosave.objects.exists()


def test_a_new_story_needs_one_autosave_per_key_and_user(reporter):
    key = str(uuid.uuid4())
    Autosave.objects.create(user=reporter, key=key, content={"fields": {}})

    with pytest.raises(IntegrityError), transaction.atomic():
        Autosave.objects.create(user=reporter, key=key, content={"fields": {}})


def test_an_autosave_is_of_a_saved_story_or_of_a_new_one_by_its_key(reporter, draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Autosave.objects.create(user=reporter, article=draft, key="x", content={"fields": {}})
    with pytest.raises(IntegrityError), transaction.atomic():
        Autosave.objects.create(user=reporter, content={"fields": {}})


# Gone once the story is saved


def test_saving_the_form_deletes_the_users_autosave_of_the_story(client, clock, reporter, draft):
    editor = make_staff("Editor")
    client.force_login(editor)
    autosave(client, draft, headline="The editor's unsaved words")
    client.force_login(reporter)
    autosave(client, draft, headline="Defector reaches Berlin at dawn")

    response = client.post(admin_url(draft), edit_form(draft, headline="Defector reaches Berlin"))

    assert response.status_code == 302
    assert list(Autosave.objects.values_list("user__username", flat=True)) == [editor.username]


def test_saving_a_new_story_deletes_the_autosave_of_its_add_form(client, clock, reporter):
    client.force_login(reporter)
    saved_key, other_key = str(uuid.uuid4()), str(uuid.uuid4())
    autosave_new_story(client, saved_key, headline="Defector reaches Berlin")
    autosave_new_story(client, other_key, headline="Another story, in another tab")
    data = article_form(make_section(), [{"author": reporter.author_profile.pk, "position": 0}])

    response = client.post(ADD, data | {"autosave_key": saved_key})

    assert response.status_code == 302
    assert list(Autosave.objects.values_list("key", flat=True)) == [other_key]


def test_a_refused_save_keeps_the_autosave(client, clock, reporter, draft):
    client.force_login(reporter)
    autosave(client, draft, headline="Kept while the save is refused")
    stale = edit_form(draft, headline="Kept while the save is refused")
    draft.record_revision()  # someone saved in between

    response = client.post(admin_url(draft), stale)

    assert response.status_code == 200
    assert Autosave.objects.get().headline == "Kept while the save is refused"


# Expiry


def test_autosaves_expire_after_the_configured_number_of_days(clock, settings, reporter, draft):
    settings.NEWSROOM_AUTOSAVE_DAYS = 2
    old = Autosave.objects.create(
        user=reporter, article=draft, content={"fields": {}}, saved_at=at("2026-04-03 11:59")
    )
    young = Autosave.objects.create(
        user=reporter,
        key=str(uuid.uuid4()),
        content={"fields": {}},
        saved_at=at("2026-04-03 12:01"),
    )

    assert list(Autosave.objects.expired()) == [old]
    assert list(Autosave.objects.unexpired()) == [young]


def test_an_expired_autosave_is_no_longer_offered(client, clock, settings, reporter, draft):
    settings.NEWSROOM_AUTOSAVE_DAYS = 1
    client.force_login(reporter)
    autosave(client, draft, headline="Typed long ago")
    clock.advance(days=1, seconds=1)

    assertNotContains(client.get(admin_url(draft)), OFFER)
    assertNotContains(client.get("/admin/"), "Typed long ago")


def test_autosaving_purges_expired_autosaves(client, clock, settings, reporter, draft):
    settings.NEWSROOM_AUTOSAVE_DAYS = 30
    someone = make_staff("Editor")
    Autosave.objects.create(
        user=someone, article=draft, content={"fields": {}}, saved_at=at("2026-03-01 12:00")
    )
    client.force_login(reporter)

    autosave(client, draft, headline="Fresh")

    assert [autosave.user for autosave in Autosave.objects.all()] == [reporter]


def test_the_purge_command_deletes_expired_autosaves_only(clock, settings, reporter, draft):
    settings.NEWSROOM_AUTOSAVE_DAYS = 30
    Autosave.objects.create(
        user=reporter, article=draft, content={"fields": {}}, saved_at=at("2026-03-01 12:00")
    )
    Autosave.objects.create(user=reporter, key=str(uuid.uuid4()), content={"fields": {}})
    output = StringIO()

    call_command("purge_autosaves", stdout=output)

    assert Autosave.objects.count() == 1
    assert "Deleted 1 autosave(s) older than 30 days." in output.getvalue()


# Offered back on the form


def test_reopening_the_form_offers_the_autosave_with_its_differences(
    client, clock, reporter, draft
):
    client.force_login(reporter)
    autosave(
        client,
        draft,
        headline="Defector reaches Berlin at dawn",
        body="<p>He crossed the border at dawn.</p><p>Nobody stopped him.</p>",
    )

    response = client.get(admin_url(draft))

    assertContains(response, OFFER)
    assertContains(response, "<td>Defector reaches Berlin<ins> at dawn</ins></td>")
    assertContains(response, "Nobody stopped him.")
    assertContains(response, 'id="autosave-offer-content" type="application/json"')
    assertContains(response, f'action="{CHANGELIST}autosaves/{Autosave.objects.get().pk}/discard/"')


def test_opening_a_form_with_an_autosave_writes_nothing(client, clock, reporter, draft):
    client.force_login(reporter)
    autosave(client, draft, headline="Defector reaches Berlin at dawn")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(draft))

    assertContains(response, OFFER)
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def test_an_autosave_with_nothing_the_story_lacks_is_not_offered(client, clock, reporter, draft):
    client.force_login(reporter)
    autosave(client, draft)

    response = client.get(admin_url(draft))

    assert response.status_code == 200
    assertNotContains(response, OFFER)


def test_the_offer_warns_when_the_story_was_saved_since(client, clock, reporter, draft):
    client.force_login(reporter)
    autosave(client, draft, headline="Typed on the version I opened")
    draft.record_revision(by=make_staff("Editor"))  # an editor saved in between

    response = client.get(admin_url(draft))

    assertContains(response, OFFER)
    assertContains(response, "The story has been saved since you opened it")


def test_the_add_form_offers_a_story_never_saved(client, clock, reporter):
    client.force_login(reporter)
    autosave_new_story(client, str(uuid.uuid4()), headline="The older unsaved story")
    clock.advance(minutes=5)
    autosave_new_story(client, str(uuid.uuid4()), headline="The newer unsaved story")
    older = Autosave.objects.get(content__fields__headline=["The older unsaved story"])

    newest = client.get(ADD)
    chosen = client.get(f"{ADD}?autosave={older.pk}")

    assertContains(newest, NEW_STORY_OFFER)
    assertContains(newest, "<ins>The newer unsaved story</ins>")
    assertContains(chosen, "<ins>The older unsaved story</ins>")


def test_the_add_form_offers_nobody_elses_story(client, clock, reporter):
    client.force_login(make_staff("Reporter"))
    autosave_new_story(client, str(uuid.uuid4()), headline="Someone else's story")
    theirs = Autosave.objects.get()
    client.force_login(reporter)

    response = client.get(f"{ADD}?autosave={theirs.pk}")

    assertNotContains(response, NEW_STORY_OFFER)
    assertNotContains(response, "Someone else's story")


def test_a_form_shown_again_after_a_refused_save_keeps_its_key_and_offers_nothing(
    client, clock, reporter
):
    client.force_login(reporter)
    key = str(uuid.uuid4())
    autosave_new_story(client, key, headline="An earlier story")
    data = article_form(make_section(), [{"author": ""}], headline="")

    response = client.post(ADD, data | {"autosave_key": key})

    assert response.status_code == 200
    assertNotContains(response, NEW_STORY_OFFER)
    assertContains(response, f'name="autosave_key" value="{key}"')
    assertContains(response, "data-autosave-unsaved")


def test_a_read_only_form_has_no_autosave(client, clock, reporter, draft):
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.IN_REVIEW)
    client.force_login(reporter)

    response = client.get(admin_url(draft))

    assert response.status_code == 200
    assertNotContains(response, "data-autosave-url")
    assertNotContains(response, "autosave.js")


# Discarding


def test_discarding_deletes_the_autosave_and_returns_to_the_form(client, clock, reporter, draft):
    client.force_login(reporter)
    autosave(client, draft, headline="Not wanted after all")

    response = client.post(f"{CHANGELIST}autosaves/{Autosave.objects.get().pk}/discard/")

    assert response.status_code == 302
    assert response["Location"] == admin_url(draft)
    assert not Autosave.objects.exists()
    assertNotContains(client.get(admin_url(draft)), OFFER)


def test_the_forms_script_discards_without_leaving_the_form(client, clock, reporter):
    client.force_login(reporter)
    autosave_new_story(client, str(uuid.uuid4()), headline="Not wanted after all")

    response = client.post(
        f"{CHANGELIST}autosaves/{Autosave.objects.get().pk}/discard/",
        headers={"Accept": "application/json"},
    )

    assert response.json() == {"discarded": True}
    assert not Autosave.objects.exists()


def test_nobody_discards_someone_elses_autosave(client, clock, reporter, draft):
    client.force_login(reporter)
    autosave(client, draft, headline="Mine")
    client.force_login(make_staff("Editor"))

    response = client.post(f"{CHANGELIST}autosaves/{Autosave.objects.get().pk}/discard/")

    assert response.status_code == 404
    assert Autosave.objects.exists()


# The desk's list of unsaved drafts


def test_the_desk_lists_the_users_unsaved_drafts(client, clock, reporter, draft):
    client.force_login(reporter)
    autosave(client, draft, headline="Defector reaches Berlin at dawn")
    autosave_new_story(client, str(uuid.uuid4()), headline="A story never saved")
    new_story = Autosave.objects.get(article=None)
    client.force_login(make_staff("Reporter"))
    autosave_new_story(client, str(uuid.uuid4()), headline="Someone else's story")
    client.force_login(reporter)

    response = client.get("/admin/")

    assertContains(response, "Your unsaved drafts")
    assertContains(response, f'<a href="{admin_url(draft)}">Defector reaches Berlin at dawn</a>')
    assertContains(response, f'<a href="{ADD}?autosave={new_story.pk}">A story never saved</a>')
    assertNotContains(response, "Someone else's story")


def test_the_desk_leaves_out_drafts_of_stories_the_user_may_no_longer_edit(
    client, clock, reporter, draft
):
    client.force_login(reporter)
    autosave(client, draft, headline="Defector reaches Berlin at dawn")
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.IN_REVIEW)

    response = client.get("/admin/")

    assertNotContains(response, "Your unsaved drafts")
    assertNotContains(response, "at dawn")
