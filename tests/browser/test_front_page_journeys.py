"""The edited front page in a real browser: an editor arranges it, withdraws the lead story,
and readers see the next story move up."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import FrontPage

from ..conftest import make_article, make_section, make_staff
from .test_editor_journeys import log_in

pytestmark = [pytest.mark.django_db(transaction=True)]

LEAD = "Kremlin guard flees to the West"
NEXT = "Berlin offers the defector protection"


@pytest.fixture
def newsroom():
    make_staff("Editor", username="editor")
    politics = make_section(name="Politics", slug="politics")
    world = make_section(name="World", slug="world")
    now = timezone.now()
    # The placed stories are not the newest: an automatic page would lead with another.
    for hours, headline in enumerate(["Newest story", "Second newest story"], start=1):
        make_article(headline=headline, section=world, published_at=now - timedelta(hours=hours))
    make_article(headline=LEAD, section=politics, published_at=now - timedelta(hours=5))
    make_article(headline=NEXT, section=politics, published_at=now - timedelta(hours=6))


def place(page, row: int, headline: str) -> None:
    """Choose `headline` in row `row` of the top stories, through the autocomplete."""
    page.locator("#top_stories-group .select2-selection").nth(row).click()
    page.locator(".select2-search__field").fill(headline.split()[0])
    page.get_by_role("option", name=headline).click()


def test_an_editor_arranges_the_front_page_and_the_next_story_moves_up_when_the_lead_is_withdrawn(
    newsroom, visit, accessibility
):
    # The editor arranges a layout that goes live at once: two placed stories, a block.
    editor = log_in(visit, "editor")
    editor.goto("/admin/articles/frontpage/add/")
    editor.get_by_label("Name:").fill("Defection day")
    editor.get_by_role("link", name="Today").first.click()
    editor.get_by_role("link", name="Now").first.click()
    editor.get_by_label("Top stories:").fill("1")
    editor.get_by_text("Add another Top story").click()
    editor.get_by_text("Add another Top story").click()
    editor.locator("#id_top_stories-0-position").fill("0")
    place(editor, 0, LEAD)
    editor.locator("#id_top_stories-1-position").fill("1")
    place(editor, 1, NEXT)
    editor.get_by_text("Add another Section block").click()
    editor.locator("#id_section_blocks-0-section").select_option(label="World")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("was added successfully")
    assert FrontPage.objects.get().placed_story_ids()

    # Readers see the placed story lead, though newer stories exist.
    reader = visit()
    reader.goto("/")
    expect(reader.locator(".front__lead .teaser__headline")).to_have_text(LEAD)
    expect(reader.locator(".section-block")).to_contain_text("Newest story")
    accessibility(reader)

    # The editor withdraws the lead story.
    editor.goto("/admin/articles/article/")
    editor.get_by_role("link", name=LEAD).click()
    editor.get_by_role("button", name="Unpublish…").click()
    editor.get_by_label("Reason for withdrawing it").fill("A source retracted.")
    editor.get_by_role("button", name="Unpublish").click()
    expect(editor.locator(".messagelist")).to_contain_text("npublished")

    # The next placed story moves up by itself; the withdrawn one is gone from the page.
    reader.reload()
    expect(reader.locator(".front__lead .teaser__headline")).to_have_text(NEXT)
    expect(reader.locator("main")).not_to_contain_text(LEAD)
