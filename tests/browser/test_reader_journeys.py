"""What readers do, in a real browser: read, follow links, search, switch language."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ..conftest import make_article, make_author, make_section, make_source
from ..images_support import make_image

pytestmark = [pytest.mark.django_db(transaction=True)]

HEADLINE = "Loss of control in the Kremlin: top officials are fleeing Russia"


@pytest.fixture
def story():
    """A story with a picture, a source and tags, and its German original, in a newsroom with
    a story in each section of the navigation."""
    now = timezone.now()
    politics = make_section(name="Politics", slug="politics")
    shared = {
        "section": politics,
        "authors": [make_author(name="Jens Kiffmeier", slug="jens-kiffmeier", initials="jkf")],
        "sources": [make_source(name="Dossier Center", slug="dossier-center")],
        "tags": ["Russia", "Kremlin"],
        "lead_picture": make_image(alt_text="The Kremlin's towers at dawn"),
    }
    original = make_article(
        headline="Kontrollverlust im Kreml: Top-Beamte fliehen aus Russland",
        slug="kontrollverlust-im-kreml",
        language="de",
        dateline="Moskau",
        body="<p>Gleb Karakulow, Ingenieur der Kreml-Garde, ist ins Ausland geflohen.</p>",
        published_at=now - timedelta(hours=2),
        **shared,
    )
    story = make_article(
        headline=HEADLINE,
        slug="loss-of-control-in-the-kremlin",
        language="en",
        translation_of=original,
        dateline="Moscow",
        body="<p>Gleb Karakulov, an engineer of the Kremlin Guard, has fled abroad.</p>",
        published_at=now - timedelta(hours=1),
        **shared,
    )
    for hours, name in enumerate(["World", "Business", "Science", "Culture", "Sport"], start=3):
        make_article(
            section=make_section(name=name, slug=name.lower()),
            published_at=now - timedelta(hours=hours),
        )
    return story


def test_reader_follows_a_story_to_its_author_and_topic(story, visit, accessibility):
    page = visit()

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The Courier")
    expect(page.locator(".front__lead")).to_contain_text(HEADLINE)
    accessibility(page)

    page.get_by_role("link", name=re.compile(HEADLINE)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(HEADLINE)
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("Home page")
    expect(page.locator(".story__body .dateline")).to_have_text("Moscow")
    expect(page.locator(".sources-box")).to_contain_text("Dossier Center")
    expect(page.locator(".story__lead-picture img")).to_have_attribute("loading", "eager")
    # decode() waits for the picture, which is made on this first request for it.
    loaded_width = "img => img.decode().then(() => img.naturalWidth, () => 0)"
    assert page.locator(".story__lead-picture img").evaluate(loaded_width) > 0
    accessibility(page)

    page.locator(".byline").get_by_role("link", name="Jens Kiffmeier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jens Kiffmeier")
    accessibility(page)

    page.go_back()
    page.locator(".tags").get_by_role("link", name="Russia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Russia")
    expect(page.locator(".teaser")).to_have_count(2)  # the story and its German original
    accessibility(page)


def test_reader_switches_to_the_german_original(story, visit, accessibility):
    page = visit()
    page.goto(story.get_absolute_url())

    page.get_by_role("link", name="Deutsch").click()

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kontrollverlust im Kreml")
    expect(page.locator(".byline")).to_contain_text("Von")
    expect(page.locator(".sources-box h2")).to_have_text("Quellen")
    accessibility(page)


def test_reader_searches_and_sees_the_match_highlighted(story, visit, accessibility):
    page = visit()
    page.goto("/")

    page.get_by_text("Search", exact=True).first.click()
    page.get_by_role("searchbox", name="Search stories").fill("Karakulov")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=Karakulov"))
    expect(page.locator(".search-result")).to_have_count(1)
    expect(page.locator(".search-result mark").first).to_have_text(re.compile("Karakulov"))
    accessibility(page)


def test_pages_read_without_javascript_on_a_phone(story, visit):
    page = visit(viewport=(375, 740), javascript=False)

    for path in ["/", story.get_absolute_url(), story.section.get_absolute_url()]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"


def test_unknown_address_shows_a_helpful_404(story, visit, accessibility):
    page = visit()

    response = page.goto("/politics/no-such-story/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    accessibility(page)
