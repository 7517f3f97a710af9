"""Related stories editors pick: shown first, in their order, while they are published; the
automatic choice (shared tags, then the section) fills the places left. Picked on the
article form among published stories only, by editors."""

import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from articles import workflow
from articles.editing import save_story
from articles.models import Article, RelatedStory, Revision
from articles.revisions import compare, restore

from .admin_forms import admin_url, edit_form
from .cache_support import commit
from .conftest import (
    ARTICLE_PAGE_QUERIES,
    at,
    count_queries,
    make_article,
    make_section,
    make_staff,
)

pytestmark = pytest.mark.django_db

Status = Article.Status
AUTOCOMPLETE = "/admin/autocomplete/"
NOT_AVAILABLE = "Select a valid choice. That choice is not one of the available choices."
HIDDEN_STATES = {
    "draft": {"status": Status.DRAFT, "published_at": None},
    "review": {"status": Status.IN_REVIEW, "published_at": None},
    "scheduled": {"status": Status.PUBLISHED, "published_at": at("2026-04-06 09:00")},
    "unpublished": {"status": Status.UNPUBLISHED, "published_at": at("2026-04-04 09:00")},
    "expired": {
        "status": Status.PUBLISHED,
        "published_at": at("2026-04-01 09:00"),
        "expires_at": at("2026-04-05 11:00"),
    },
}


@pytest.fixture(autouse=True)
def frozen_clock(clock):
    """Every test runs at 2026-04-05 12:00."""
    return clock


@pytest.fixture
def newsroom():
    """A story, what the automatic choice finds for it (by tags, then section), and stories
    it would never find, for editors to pick."""
    politics, world, culture = make_section(), make_section(), make_section()

    def story(headline: str, published_at: str, section=politics, **fields) -> Article:
        return make_article(
            headline=headline, section=section, published_at=at(published_at), **fields
        )

    return {
        "article": story("The story", "2026-04-05 09:00", tags=["Putin", "Kremlin"]),
        "two_tags": story("Two tags", "2026-04-01 09:00", section=world, tags=["Putin", "Kremlin"]),
        "one_tag": story("One tag", "2026-04-04 09:00", section=world, tags=["Kremlin"]),
        "same_section": story("Same section", "2026-04-03 09:00"),
        "older_same_section": story("Older, same section", "2026-03-01 09:00"),
        "culture": story("A play about the Kremlin", "2026-03-20 09:00", section=culture),
        "archive": story("From the archive", "2025-01-10 09:00", section=culture),
    }


def pick(article: Article, *stories: Article) -> None:
    save_story(article, related=stories, record_revision=False)


def related(article: Article) -> list[str]:
    return [story.headline for story in Article.objects.published().related_to(article)]


# What readers see


def test_picked_stories_come_first_in_their_order_then_the_automatic_choice_fills(newsroom):
    pick(newsroom["article"], newsroom["archive"], newsroom["culture"])

    assert related(newsroom["article"]) == [
        "From the archive",
        "A play about the Kremlin",
        "Two tags",
        "One tag",
    ]


def test_a_picked_story_the_automatic_choice_would_find_is_not_shown_twice(newsroom):
    pick(newsroom["article"], newsroom["one_tag"], newsroom["older_same_section"])

    assert related(newsroom["article"]) == [
        "One tag",
        "Older, same section",
        "Two tags",
        "Same section",
    ]


def test_picks_fill_every_place_before_the_automatic_choice(newsroom):
    stories = ["archive", "older_same_section", "culture", "same_section"]
    pick(newsroom["article"], *(newsroom[name] for name in stories))

    assert related(newsroom["article"]) == [newsroom[name].headline for name in stories]


def test_picks_come_first_for_a_story_without_tags():
    section = make_section()
    article = make_article(section=section, published_at=at("2026-04-05 09:00"))
    newer = make_article(section=section, published_at=at("2026-04-04 09:00"))
    older = make_article(section=section, published_at=at("2026-04-01 09:00"))
    elsewhere = make_article(published_at=at("2026-01-01 09:00"))
    pick(article, elsewhere, older)

    assert Article.objects.published().related_to(article) == [elsewhere, older, newer]


def test_a_withdrawn_pick_drops_out_and_the_next_automatic_story_fills_its_place(newsroom):
    article, culture = newsroom["article"], newsroom["culture"]
    pick(article, culture)
    assert related(article)[0] == "A play about the Kremlin"

    workflow.apply(culture, "unpublish", workflow.SYSTEM, comment="Legal")

    assert related(article) == ["Two tags", "One tag", "Same section", "Older, same section"]
    assert RelatedStory.objects.filter(article=article, related=culture).exists()

    workflow.apply(culture, "redraft", workflow.SYSTEM)
    workflow.apply(culture, "publish", workflow.SYSTEM)
    assert related(article)[0] == "A play about the Kremlin"  # back, in its place


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_a_pick_readers_cannot_see_is_never_shown(newsroom, state):
    hidden = make_article(headline="Hidden pick", **HIDDEN_STATES[state])
    pick(newsroom["article"], hidden, newsroom["archive"])

    assert related(newsroom["article"])[:2] == ["From the archive", "Two tags"]


def test_article_page_shows_the_picks_first(client, newsroom):
    pick(newsroom["article"], newsroom["archive"], newsroom["culture"])

    response = client.get(newsroom["article"].get_absolute_url())

    content = response.content.decode()
    headlines = ["From the archive", "A play about the Kremlin", "Two tags", "One tag"]
    places = [content.index(f">{headline}</a>") for headline in headlines]
    assert places == sorted(places)
    assertNotContains(response, "Same section")


@pytest.mark.parametrize("has_tags", [True, False], ids=["with-tags", "without-tags"])
def test_picks_cost_the_article_page_one_query_and_no_picks_none(client, newsroom, has_tags):
    # Both pages still need the section's stories to fill their places.
    section = newsroom["article"].section
    plain = make_article(section=section, tags=["Sanctions"] if has_tags else None)
    picked = make_article(section=section, tags=["Embargo"] if has_tags else None)
    pick(picked, newsroom["archive"])

    assert count_queries(client, picked.get_absolute_url()) == 1 + count_queries(
        client, plain.get_absolute_url()
    )


def test_the_query_count_does_not_grow_with_the_picks(client, newsroom):
    one, four = make_article(tags=["Embargo"]), make_article(tags=["Embargo"])
    pick(one, newsroom["archive"])
    pick(four, *(newsroom[name] for name in ["archive", "culture", "one_tag", "two_tags"]))

    assert count_queries(client, four.get_absolute_url()) <= count_queries(
        client, one.get_absolute_url()
    )


def test_deleting_a_picked_story_removes_the_pick(newsroom):
    pick(newsroom["article"], newsroom["archive"])

    newsroom["archive"].delete()

    assert not RelatedStory.objects.exists()


# Picking them on the form


@pytest.fixture
def editor(client):
    user = make_staff("Editor")
    client.force_login(user)
    return user


def rows(article: Article, *stories: Article) -> list[dict]:
    """New rows of the related stories' inline, one per story, in order."""
    return [
        {"article": article.pk, "position": str(position), "related": str(story.pk)}
        for position, story in enumerate(stories)
    ]


def picks_of(article: Article) -> list[Article]:
    return [pick.related for pick in article.related_stories.all()]


def test_editor_picks_related_stories_in_order(client, editor, newsroom):
    article = newsroom["article"]
    chosen = rows(article, newsroom["culture"], newsroom["archive"])
    chosen[0]["position"], chosen[1]["position"] = "5", "1"

    response = client.post(admin_url(article), edit_form(article, related=chosen))

    assert response.status_code == 302
    assert picks_of(article) == [newsroom["archive"], newsroom["culture"]]
    assert article.revisions.get().content["related"] == [
        {"id": newsroom["archive"].pk, "name": "From the archive"},
        {"id": newsroom["culture"].pk, "name": "A play about the Kremlin"},
    ]


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_a_forged_pick_of_a_story_readers_cannot_see_is_refused(client, editor, newsroom, state):
    article = newsroom["article"]
    hidden = make_article(headline="Secret scoop about the minister", **HIDDEN_STATES[state])

    response = client.post(admin_url(article), edit_form(article, related=rows(article, hidden)))

    assert response.status_code == 200
    [errors] = response.context["inline_admin_formsets"][2].formset.errors
    assert errors == {"related": [NOT_AVAILABLE]}
    assertNotContains(response, "Secret scoop")
    assert picks_of(article) == []
    assert not article.revisions.exists()


def formset_errors(response) -> list:
    [related] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is RelatedStory
    ]
    return [*related.non_form_errors(), *(e for form in related.errors for e in form.values())]


def test_picking_the_story_itself_is_refused(client, editor, newsroom):
    article = newsroom["article"]

    response = client.post(admin_url(article), edit_form(article, related=rows(article, article)))

    assert response.status_code == 200
    assert "A story cannot be related to itself." in str(formset_errors(response))
    assert picks_of(article) == []


def test_picking_a_story_twice_is_refused(client, editor, newsroom):
    article, twice = newsroom["article"], newsroom["culture"]

    response = client.post(
        admin_url(article), edit_form(article, related=rows(article, twice, twice))
    )

    assert response.status_code == 200
    assert formset_errors(response)
    assert picks_of(article) == []


def test_more_picks_than_places_are_refused(client, editor, newsroom):
    article = newsroom["article"]
    five = [newsroom[name] for name in newsroom if name != "article"][:5]

    response = client.post(admin_url(article), edit_form(article, related=rows(article, *five)))

    assert response.status_code == 200
    assert "Please submit at most 4 forms." in str(formset_errors(response))
    assert picks_of(article) == []


def test_autocomplete_offers_editors_only_published_stories(client, editor, newsroom):
    for state, fields in HIDDEN_STATES.items():
        make_article(headline=f"Kremlin {state}", **fields)

    response = client.get(
        AUTOCOMPLETE,
        {
            "app_label": "articles",
            "model_name": "relatedstory",
            "field_name": "related",
            "term": "Kremlin",
        },
    )

    assert response.status_code == 200
    assert {result["text"] for result in response.json()["results"]} == {"A play about the Kremlin"}


def test_a_withdrawn_pick_stays_on_the_form_until_an_editor_removes_it(client, editor, newsroom):
    article, culture = newsroom["article"], newsroom["culture"]
    pick(article, culture)
    workflow.apply(culture, "unpublish", workflow.SYSTEM, comment="Legal")

    response = client.get(admin_url(article))
    assertContains(response, "A play about the Kremlin")
    assertContains(response, 'alt="False"')  # not shown to readers

    response = client.post(admin_url(article), edit_form(article, headline="The story, updated"))
    assert response.status_code == 302
    assert picks_of(article) == [culture]

    removed = edit_form(article) | {"related_stories-0-DELETE": "on"}
    assert client.post(admin_url(article), removed).status_code == 302
    assert picks_of(article) == []


@pytest.fixture
def reporters_draft(newsroom):
    reporter = make_staff("Reporter", author_name="Olga Owner")
    draft = make_article(
        headline="Own draft",
        status=Status.DRAFT,
        published_at=None,
        authors=[reporter.author_profile],
        created_by=reporter,
    )
    pick(draft, newsroom["archive"])
    return reporter, draft


def test_reporters_see_the_picks_but_cannot_change_them(client, newsroom, reporters_draft):
    reporter, draft = reporters_draft
    client.force_login(reporter)

    response = client.get(admin_url(draft))
    assertContains(response, "From the archive")
    assertNotContains(response, 'name="related_stories-0-related"')

    response = client.post(admin_url(draft), edit_form(draft, headline="Own draft, revised"))
    assert response.status_code == 302
    assert Article.objects.get(pk=draft.pk).headline == "Own draft, revised"
    assert picks_of(draft) == [newsroom["archive"]]

    forged = rows(draft, newsroom["culture"])  # and no row for the editor's pick
    response = client.post(admin_url(draft), edit_form(draft, related=forged))
    assert response.status_code == 302
    assert picks_of(draft) == [newsroom["archive"]]


# Revisions


def test_compare_lists_changed_picks_and_restore_brings_them_back(newsroom):
    article = newsroom["article"]
    pick(article, newsroom["archive"])
    first = article.record_revision()
    pick(article, newsroom["culture"], newsroom["archive"])
    second = article.record_revision()

    [change] = compare(first.content, second.content).fields
    assert (change.label, change.html) == (
        "Related stories",
        "<ins>A play about the Kremlin, </ins>From the archive",
    )

    restore(article, first, by=None)
    assert picks_of(article) == [newsroom["archive"]]


def test_revisions_from_before_picks_compare_and_restore(newsroom):
    article = newsroom["article"]
    pick(article, newsroom["archive"])
    current = article.record_revision()
    old_content = {key: value for key, value in current.content.items() if key != "related"}
    old = Revision.objects.create(article=article, number=99, version=99, content=old_content)

    assert [change.label for change in compare(old.content, current.content).fields] == [
        "Related stories"
    ]
    restore(article, old, by=None)
    assert picks_of(article) == [newsroom["archive"]]  # left as they are


# The choice remembered for readers' pages


def related_on_the_page(client, article: Article) -> list[str]:
    """The headlines of the page's related box, in order."""
    box = client.get(article.get_absolute_url()).content.decode().partition('class="related"')[2]
    return re.findall(r'class="related__headline" href="[^"]*">([^<]*)<', box)


@pytest.fixture
def pages_made_every_time(settings):
    """The page cache keeps nothing: each request makes the page, and its related box."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0


@pytest.mark.usefixtures("pages_made_every_time")
def test_an_article_page_remembers_its_related_stories_and_costs_fewer_queries(client, newsroom):
    commit()
    url = newsroom["article"].get_absolute_url()
    client.get(url)

    # Two queries fewer (shared tags, then the section), one more (the remembered stories).
    assert count_queries(client, url) == ARTICLE_PAGE_QUERIES["tagged"] - 1
    assert related_on_the_page(client, newsroom["article"]) == [
        "Two tags",
        "One tag",
        "Same section",
        "Older, same section",
    ]


@pytest.mark.usefixtures("pages_made_every_time")
def test_a_story_published_on_a_list_the_choice_comes_from_joins_it_at_once(client, newsroom):
    commit()
    related_on_the_page(client, newsroom["article"])

    make_article(
        headline="Latest news", section=newsroom["article"].section, tags=["Kremlin", "Putin"]
    )
    commit()

    assert related_on_the_page(client, newsroom["article"])[0] == "Latest news"


@pytest.mark.usefixtures("pages_made_every_time")
def test_a_story_withdrawn_leaves_the_remembered_choice_at_once(client, newsroom):
    commit()
    related_on_the_page(client, newsroom["article"])

    workflow.apply(newsroom["two_tags"], "unpublish", workflow.SYSTEM, comment="Wrong.")
    commit()

    assert related_on_the_page(client, newsroom["article"]) == [
        "One tag",
        "Same section",
        "Older, same section",
    ]


@pytest.mark.usefixtures("pages_made_every_time")
def test_a_scheduled_story_joins_the_remembered_choice_at_its_time(client, clock, newsroom):
    make_article(
        headline="Latest news",
        section=newsroom["article"].section,
        tags=["Kremlin", "Putin"],
        published_at=at("2026-04-05 13:00"),
    )
    commit()
    assert "Latest news" not in related_on_the_page(client, newsroom["article"])

    clock.now = at("2026-04-05 13:00")

    assert related_on_the_page(client, newsroom["article"])[0] == "Latest news"
