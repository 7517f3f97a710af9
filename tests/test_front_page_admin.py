"""Arranging the front page in the admin (editors only), previewing a layout, and a section's
pinned lead story."""

import json

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from articles import workflow
from articles.models import Article, FrontPage, Section

from .admin_forms import inline
from .conftest import at, make_article, make_section, make_staff

pytestmark = pytest.mark.django_db

LAYOUTS = "/admin/articles/frontpage/"


def layout_form(top_stories: list[Article], blocks: list[tuple[Section, int]], **fields) -> dict:
    """POST data of the layout add form."""
    data = {
        "name": "Election night",
        "goes_live_at_0": "2026-04-05",
        "goes_live_at_1": "18:00:00",
        "top_story_count": "6",
        "commentary_count": "4",
        "latest_count": "8",
    } | fields
    stories = [{"position": n, "article": story.pk} for n, story in enumerate(top_stories)]
    sections = [
        {"position": n, "section": section.pk, "story_count": count}
        for n, (section, count) in enumerate(blocks)
    ]
    return data | inline("top_stories", stories) | inline("section_blocks", sections)


@pytest.fixture
def newsroom(clock):
    politics = make_section(name="Politics", slug="politics")
    return {
        "section": politics,
        "published": make_article(headline="Published story", section=politics),
        "scheduled": make_article(
            headline="Scheduled story", section=politics, published_at=at("2026-04-05 18:00")
        ),
        "draft": make_article(
            headline="Draft story", section=politics, status="draft", published_at=None
        ),
        "expired": make_article(
            headline="Expired story",
            section=politics,
            published_at=at("2026-04-01 09:00"),
            expires_at=at("2026-04-02 09:00"),
        ),
    }


def test_an_editor_arranges_and_schedules_a_front_page(client, newsroom):
    client.force_login(make_staff("Editor"))
    placed = [newsroom["scheduled"], newsroom["published"]]

    response = client.post(f"{LAYOUTS}add/", layout_form(placed, [(newsroom["section"], 3)]))

    assert response.status_code == 302, response.context["errors"]
    layout = FrontPage.objects.get()
    assert (layout.name, layout.goes_live_at) == ("Election night", at("2026-04-05 18:00"))
    assert layout.placed_story_ids() == [story.pk for story in placed]
    assert [(b.section, b.story_count) for b in layout.section_blocks.all()] == [
        (newsroom["section"], 3)
    ]
    assert layout.is_scheduled


@pytest.mark.parametrize("story", ["draft", "expired"])
def test_a_story_readers_cannot_see_is_refused_and_nothing_is_saved(client, newsroom, story):
    client.force_login(make_staff("Editor"))

    response = client.post(f"{LAYOUTS}add/", layout_form([newsroom[story]], []))

    assert response.status_code == 200
    assertContains(response, "Select a valid choice")
    assert not FrontPage.objects.exists()


def test_too_many_stories_in_a_block_is_refused(client, newsroom):
    client.force_login(make_staff("Editor"))

    response = client.post(f"{LAYOUTS}add/", layout_form([], [(newsroom["section"], 13)]))

    assert response.status_code == 200
    assert not FrontPage.objects.exists()


def test_the_story_autocomplete_offers_published_and_scheduled_stories_only(client, newsroom):
    client.force_login(make_staff("Editor"))

    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "topstory", "field_name": "article", "term": ""},
    )

    offered = {result["text"] for result in json.loads(response.content)["results"]}
    assert offered == {"Published story", "Scheduled story"}


@pytest.mark.parametrize("address", [LAYOUTS, f"{LAYOUTS}add/"])
def test_reporters_may_not_arrange_the_front_page(client, address):
    client.force_login(make_staff("Reporter"))

    assert client.get(address).status_code == 403


def test_a_reporters_forged_layout_is_refused(client, newsroom):
    client.force_login(make_staff("Reporter"))

    response = client.post(f"{LAYOUTS}add/", layout_form([newsroom["published"]], []))

    assert response.status_code == 403
    assert not FrontPage.objects.exists()


def test_the_layout_list_says_which_layout_is_live(client, newsroom):
    FrontPage.objects.create(name="Yesterday", goes_live_at=at("2026-04-04 06:00"))
    FrontPage.objects.create(name="This morning", goes_live_at=at("2026-04-05 06:00"))
    FrontPage.objects.create(name="Tonight", goes_live_at=at("2026-04-05 20:00"))
    FrontPage.objects.create(name="Ideas", goes_live_at=None)
    client.force_login(make_staff("Editor"))

    response = client.get(LAYOUTS)

    states = {
        layout.name: response.context["cl"].model_admin.state(layout)
        for layout in response.context["cl"].result_list
    }
    assert states == {
        "Yesterday": "Replaced",
        "This morning": "Live",
        "Tonight": "Scheduled",
        "Ideas": "Draft",
    }


# Previewing a layout


def test_editors_preview_a_scheduled_layout_before_it_goes_live(client, newsroom):
    layout = FrontPage.objects.create(name="Tonight", goes_live_at=at("2026-04-05 20:00"))
    layout.top_stories.create(article=newsroom["published"], position=0)
    client.force_login(make_staff("Editor"))

    response = client.get(f"{LAYOUTS}{layout.pk}/preview/")

    assert response.status_code == 200
    assertContains(response, "Preview of the front page layout “Tonight”.")
    assertContains(response, '<meta name="robots" content="noindex, nofollow">')
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assertContains(response, "Published story")


def test_the_layout_form_links_to_its_preview(client):
    layout = FrontPage.objects.create(name="Tonight", goes_live_at=at("2026-04-05 20:00"))
    client.force_login(make_staff("Editor"))

    response = client.get(f"{LAYOUTS}{layout.pk}/change/")

    assertContains(response, f'href="{LAYOUTS}{layout.pk}/preview/"')


def test_reporters_may_not_preview_a_layout(client):
    layout = FrontPage.objects.create(name="Tonight", goes_live_at=at("2026-04-05 20:00"))
    client.force_login(make_staff("Reporter"))

    assert client.get(f"{LAYOUTS}{layout.pk}/preview/").status_code == 403


def test_previewing_a_layout_that_does_not_exist_is_404(client):
    client.force_login(make_staff("Editor"))

    assert client.get(f"{LAYOUTS}999/preview/").status_code == 404


# A section's pinned lead story


def test_a_section_page_leads_with_its_pinned_story_until_it_is_withdrawn(client, clock):
    section = make_section(name="Politics", slug="politics")
    pinned = make_article(
        headline="Pinned story", section=section, published_at=at("2026-04-01 09:00")
    )
    make_article(headline="Newest story", section=section, published_at=at("2026-04-05 09:00"))
    section.lead_story = pinned
    section.save()

    content = client.get("/politics/").content.decode()
    assert content.index("Pinned story") < content.index("Newest story")

    workflow.apply(pinned, "unpublish", workflow.SYSTEM, comment="Legal concerns")

    response = client.get("/politics/")
    assertNotContains(response, "Pinned story")
    assertContains(response, "Newest story")


def test_a_section_may_pin_only_a_story_of_its_own(client, clock):
    politics, sport = make_section(slug="politics"), make_section(slug="sport")
    story = make_article(section=sport)
    client.force_login(make_staff("Editor"))

    response = client.post(
        f"/admin/articles/section/{politics.pk}/change/",
        {"name": politics.name, "slug": "politics", "position": "0", "lead_story": story.pk},
    )

    assert response.status_code == 200
    assertContains(response, "Pin a story of this section")
    assert Section.objects.get(pk=politics.pk).lead_story is None
