"""What readers do, in a real browser: read, follow links, search, switch language."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article

pytestmark = [pytest.mark.django_db(transaction=True)]

DEMO_HEADLINE = "Loss of control in the Kremlin"


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", articles=6, stdout=StringIO())


def test_reader_follows_the_demo_story_to_its_author_and_topic(demo, visit, accessibility):
    page = visit()

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Latest news")
    accessibility(page)

    page.get_by_role("link", name=re.compile(DEMO_HEADLINE)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(DEMO_HEADLINE)
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("Home page")
    expect(page.locator(".story__body .dateline")).to_have_text("Moscow")
    expect(page.locator(".sources-box")).to_contain_text("Dossier Center")
    expect(page.locator(".story__hero img")).to_have_attribute("loading", "eager")
    assert page.locator(".story__hero img").evaluate("img => img.naturalWidth") > 0
    accessibility(page)

    page.locator(".byline").get_by_role("link", name="Jens Kiffmeier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jens Kiffmeier")
    accessibility(page)

    page.go_back()
    page.locator(".tags").get_by_role("link", name="Russia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Russia")
    expect(page.locator(".teaser")).to_have_count(2)  # the story and its German original
    accessibility(page)


def test_reader_switches_to_the_german_original(demo, visit, accessibility):
    page = visit()
    page.goto(Article.objects.get(external_id="kremlin-defection").get_absolute_url())

    page.get_by_role("link", name="Deutsch").click()

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kontrollverlust im Kreml")
    expect(page.locator(".byline")).to_contain_text("Von")
    expect(page.locator(".sources-box h2")).to_have_text("Quellen")
    accessibility(page)


def test_reader_searches_and_sees_the_match_highlighted(demo, visit, accessibility):
    page = visit()
    page.goto("/")

    page.get_by_role("searchbox", name="Search stories").first.fill("Karakulov")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=Karakulov"))
    expect(page.locator(".search-result")).to_have_count(1)
    expect(page.locator(".search-result mark").first).to_have_text(re.compile("Karakulov"))
    accessibility(page)


def test_pages_read_without_javascript_on_a_phone(demo, visit):
    page = visit(viewport=(375, 740), javascript=False)
    story = Article.objects.get(external_id="kremlin-defection")

    for path in ["/", story.get_absolute_url(), story.section.get_absolute_url()]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"


def test_unknown_address_shows_a_helpful_404(demo, visit, accessibility):
    page = visit()

    response = page.goto("/politics/no-such-story/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    accessibility(page)
