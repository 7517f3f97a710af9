"""Bulk actions on the article list: a confirmation page saying per story what will and won't
change and why; then each story changed as the single actions change it, or not at all."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from articles.models import Article, Revision, StatusChange
from inbox.models import Notification

from .admin_forms import CHANGELIST
from .conftest import make_article, make_section, make_staff

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def jens():
    return make_staff("Reporter", "jens", author_name="Jens Kiffmeier")


@pytest.fixture
def dora():
    return make_staff("Editor", "dora")


def story(owner, status=Status.DRAFT, headline: str = "", **fields) -> Article:
    fields.setdefault("published_at", None)
    return make_article(
        headline=headline or f"A {status} story",
        status=status,
        created_by=owner,
        authors=[owner.author_profile] if hasattr(owner, "author_profile") else [],
        **fields,
    )


def act(client, action: str, articles, **data):
    """POST the article list's action form (or a step of its page) for `articles`."""
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [article.pk for article in articles], **data},
    )


def statuses(*articles) -> list[str]:
    return [Article.objects.get(pk=article.pk).status for article in articles]


# Submitting and publishing


def test_publishing_first_shows_what_will_and_wont_change_and_changes_nothing(
    client, clock, jens, dora
):
    ready = story(jens, Status.IN_REVIEW, "Defector reaches Berlin")
    live = story(jens, Status.PUBLISHED, "Budget talks resume", published_at=clock.now)
    withdrawn = story(jens, Status.UNPUBLISHED, "Retracted", published_at=clock.now)
    client.force_login(dora)

    response = act(client, "publish_selected", [ready, live, withdrawn])

    assertTemplateUsed(response, "admin/articles/article/bulk_action.html")
    content = response.content.decode()
    will, wont = content.split("Won't change")
    assert "Defector reaches Berlin" in will and "In review → Published" in will
    assert "Budget talks resume" in wont and "Already published" in wont
    assert "Retracted" in wont and "It is unpublished" in wont
    assertContains(response, "Publish 1 story</button>")
    assert statuses(ready, live, withdrawn) == ["in_review", "published", "unpublished"]
    assert not StatusChange.objects.exists()


def test_an_editor_publishes_the_stories_the_workflow_allows(client, clock, jens, dora):
    ready = story(jens, Status.IN_REVIEW, "Defector reaches Berlin")
    draft = story(dora, Status.DRAFT, "Budget talks resume")
    live = story(jens, Status.PUBLISHED, "Already out", published_at=clock.now)
    client.force_login(dora)

    response = act(client, "publish_selected", [ready, draft, live], apply="1")

    assert response.status_code == 302
    assert statuses(ready, draft, live) == ["published"] * 3
    steps = StatusChange.objects.filter(changed_by=dora)
    assert sorted(steps.values_list("article__headline", "from_status")) == [
        ("Budget talks resume", "draft"),
        ("Defector reaches Berlin", "in_review"),
    ]
    assert Notification.objects.get().recipient == jens  # as a single publication tells
    messages = [str(m) for m in client.get(CHANGELIST).context["messages"]]
    assert messages == [
        "Publish 2 stories: “Defector reaches Berlin”, “Budget talks resume”.",
        "Not changed: “Already out” (already published).",
    ]


def test_reporters_are_not_offered_bulk_publishing(client, jens):
    story(jens)
    client.force_login(jens)

    response = client.get(CHANGELIST)

    actions = [value for value, label in response.context["action_form"].fields["action"].choices]
    assert "publish_selected" not in actions
    assert {"submit_selected", "add_tag", "remove_tag", "move_to_section"} <= set(actions)


def test_a_reporters_forged_bulk_publish_changes_nothing(client, jens, dora):
    mine = story(jens, Status.DRAFT)
    client.force_login(jens)

    response = act(client, "publish_selected", [mine], apply="1")

    assert response.status_code == 302
    assert statuses(mine) == ["draft"]
    assert not StatusChange.objects.exists()
    assert [str(m) for m in client.get(CHANGELIST).context["messages"]] == ["No action selected."]


def test_a_reporter_submits_their_drafts_and_is_told_what_was_not(client, jens, dora):
    draft = story(jens, Status.DRAFT, "My draft")
    returned = story(jens, Status.CHANGES_REQUESTED, "Returned to me")
    waiting = story(jens, Status.IN_REVIEW, "Waiting")
    client.force_login(jens)

    page = act(client, "submit_selected", [draft, returned, waiting])
    assertContains(page, "Already in review")
    assertContains(page, "Submit 2 stories</button>")
    act(client, "submit_selected", [draft, returned, waiting], apply="1")

    assert statuses(draft, returned, waiting) == ["in_review"] * 3
    assert StatusChange.objects.count() == 2
    assert Notification.objects.filter(recipient=dora, kind="submitted").count() == 2


def test_selecting_a_story_the_user_may_not_open_is_refused_and_changes_nothing(client, jens, dora):
    mine = story(jens, Status.DRAFT)
    someone_elses = story(dora, Status.DRAFT, "Not for reporters")
    client.force_login(jens)

    for step in [{}, {"apply": "1"}]:
        response = act(client, "submit_selected", [mine, someone_elses], **step)
        assert response.status_code == 403
        assertNotContains(response, "Not for reporters", status_code=403)

    assert statuses(mine, someone_elses) == ["draft", "draft"]


def test_a_story_that_changed_meanwhile_is_left_as_it_is(client, jens, dora):
    ready = story(jens, Status.IN_REVIEW, "Defector reaches Berlin")
    client.force_login(dora)
    act(client, "publish_selected", [ready])  # the confirmation page
    Article.objects.filter(pk=ready.pk).update(status=Status.CHANGES_REQUESTED)  # someone else

    act(client, "publish_selected", [ready], apply="1")

    assert statuses(ready) == ["published"]  # the workflow allows it from there too
    act(client, "submit_selected", [ready], apply="1")
    assert statuses(ready) == ["published"]
    assert StatusChange.objects.count() == 1


# Tags and sections


def test_adding_a_tag_asks_which_then_shows_what_will_change(client, jens, dora):
    tagged = story(jens, Status.DRAFT, "Tagged already", tags=["Berlin"])
    plain = story(jens, Status.DRAFT, "Not tagged yet")
    client.force_login(dora)

    asking = act(client, "add_tag", [tagged, plain])
    assertContains(asking, 'name="tag"')
    assertContains(asking, "Show what will change")
    showing = act(client, "add_tag", [tagged, plain], choose="1", tag="  Berlin ")

    will, wont = showing.content.decode().split("Won't change")
    assert "Not tagged yet" in will and "tagged “Berlin”" in will
    assert "Tagged already" in wont and "Already tagged “Berlin”" in wont
    assertContains(showing, '<input type="hidden" name="tag"')  # carried to the last step
    assert list(plain.tags.names()) == []


def test_adding_a_tag_saves_each_story_with_a_revision(client, jens, dora):
    first = story(jens, Status.DRAFT, "First", tags=["Moscow"])
    second = story(jens, Status.PUBLISHED, "Second", published_at=make_article().published_at)
    client.force_login(dora)

    act(client, "add_tag", [first, second], apply="1", tag="Berlin")

    assert sorted(first.tags.names()) == ["Berlin", "Moscow"]
    assert list(second.tags.names()) == ["Berlin"]
    revisions = Revision.objects.filter(created_by=dora)
    assert revisions.count() == 2
    assert sorted(revision.content["tags"] for revision in revisions) == [
        ["Berlin"],
        ["Berlin", "Moscow"],
    ]
    assert Article.objects.get(pk=first.pk).version == 1  # the optimistic lock moved on


def test_a_reporter_adds_a_tag_only_to_stories_still_in_their_hands(client, jens):
    draft = story(jens, Status.DRAFT, "My draft")
    waiting = story(jens, Status.IN_REVIEW, "Waiting")
    client.force_login(jens)

    page = act(client, "add_tag", [draft, waiting], choose="1", tag="Berlin")
    assertContains(page, "It is in review: only editors change it now")
    act(client, "add_tag", [draft, waiting], apply="1", tag="Berlin")

    assert list(draft.tags.names()) == ["Berlin"]
    assert list(waiting.tags.names()) == []


@pytest.mark.parametrize("tag", ["", "   ", "Berlin, Moscow"], ids=["empty", "blank", "comma"])
def test_a_bad_tag_is_refused_and_changes_nothing(client, jens, dora, tag):
    draft = story(jens, Status.DRAFT)
    client.force_login(dora)

    response = act(client, "add_tag", [draft], apply="1", tag=tag)

    assert response.status_code == 200
    assertContains(response, 'class="errorlist"')
    assert list(draft.tags.names()) == []
    assert not Revision.objects.exists()


def test_removing_a_tag_offers_the_tags_the_stories_carry(client, jens, dora):
    first = story(jens, Status.DRAFT, "First", tags=["Berlin", "Moscow"])
    second = story(jens, Status.DRAFT, "Second", tags=["Kyiv"])
    story(jens, Status.DRAFT, "Unselected", tags=["Paris"])
    client.force_login(dora)

    asking = act(client, "remove_tag", [first, second])
    offered = [label for _, label in asking.context["form"].fields["tag"].choices][1:]
    assert offered == ["Berlin", "Kyiv", "Moscow"]
    berlin = first.tags.get(name="Berlin")
    act(client, "remove_tag", [first, second], apply="1", tag=berlin.pk)

    assert sorted(first.tags.names()) == ["Moscow"]
    assert list(second.tags.names()) == ["Kyiv"]
    assert Revision.objects.count() == 1  # the second did not carry it


def test_moving_stories_to_a_section_keeps_their_old_addresses(client, clock, jens, dora):
    politics = make_section(name="Politics", slug="politics")
    world = make_section(name="World", slug="world")
    live = story(
        jens, Status.PUBLISHED, "Live", slug="live", section=politics, published_at=clock.now
    )
    there = story(jens, Status.DRAFT, "There already", section=world)
    clash = story(jens, Status.DRAFT, "Clash", slug="taken", section=politics)
    story(dora, Status.DRAFT, "Holder", slug="taken", section=world)
    client.force_login(dora)

    page = act(client, "move_to_section", [live, there, clash], choose="1", section=world.pk)
    assertContains(page, "Politics → World")
    assertContains(page, "Already in World")
    assertContains(page, "Another story in World has the same address")
    act(client, "move_to_section", [live, there, clash], apply="1", section=world.pk)

    assert Article.objects.get(pk=live.pk).section == world
    assert Article.objects.get(pk=clash.pk).section == politics
    assert client.get("/politics/live/").status_code == 301


def test_an_unknown_section_is_refused_and_changes_nothing(client, jens, dora):
    draft = story(jens, Status.DRAFT)
    client.force_login(dora)

    response = act(client, "move_to_section", [draft], apply="1", section="999999")

    assertContains(response, "Select a valid choice")
    assert Article.objects.get(pk=draft.pk).section == draft.section


@pytest.mark.parametrize("selected", ["abc", "99999999999999999999", "-1"])
@pytest.mark.parametrize("action", ["submit_selected", "delete_selected"])
def test_a_forged_selection_is_a_bad_request_not_a_server_error(client, jens, selected, action):
    mine = story(jens, Status.DRAFT)
    client.force_login(make_staff("Admin", "chief"))

    response = client.post(CHANGELIST, {"action": action, "_selected_action": [mine.pk, selected]})

    assert response.status_code == 400
    assert statuses(mine) == ["draft"]


def test_a_forged_section_is_refused_and_changes_nothing(client, jens, dora):
    draft = story(jens, Status.DRAFT)
    client.force_login(dora)

    response = act(client, "move_to_section", [draft], apply="1", section="99999999999999999999")

    assertContains(response, "Select a valid choice")
    assert Article.objects.get(pk=draft.pk).section == draft.section
