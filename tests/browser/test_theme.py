"""The newspaper theme on the demo newsroom, in a real browser: accessible, nothing moves while
fonts and pictures load, no sideways scrolling on a phone, headlines within three lines, a
compact phone header whose search works without JavaScript. Screenshots of each page at each
width go to build/screenshots/ (ignored by git) for people to look at."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from articles.demo import DEMO_STORY_ID
from articles.models import Article

pytestmark = [pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "build" / "screenshots"
PHONE, DESKTOP = (375, 740), (1280, 900)

# The sum of the page's layout shifts so far (https://web.dev/articles/cls), read once the
# fonts are in and every picture on the screen has loaded.
LAYOUT_SHIFT = """
async () => {
  await document.fonts.ready;
  await Promise.all([...document.images].filter((img) => img.loading !== "lazy")
    .map((img) => img.decode().catch(() => null)));
  return new Promise((resolve) => {
    let total = 0;
    new PerformanceObserver((list) => {
      for (const shift of list.getEntries()) if (!shift.hadRecentInput) total += shift.value;
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve(total), 300);
  });
}
"""

# Scrolls to the foot of the page and back, so that lazy pictures load before a screenshot.
LOAD_EVERY_PICTURE = """
async () => {
  for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
    scrollTo(0, y);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
  scrollTo(0, 0);
}
"""


@pytest.fixture
def demo(settings, tmp_path) -> dict[str, str]:
    """The demo newsroom; the addresses of its home, a section and an article page."""
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", articles=30, stdout=StringIO())
    story = Article.objects.get(external_id=DEMO_STORY_ID)
    return {
        "home": "/",
        "section": story.section.get_absolute_url(),
        "article": story.get_absolute_url(),
    }


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_demo_pages_are_accessible_stable_and_photographed(demo, visit, accessibility, viewport):
    page = visit(viewport=viewport)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    for name, address in demo.items():
        page.goto(address)

        shift = page.evaluate(LAYOUT_SHIFT)
        assert shift < 0.01, f"{address} shifts its layout by {shift:.3f} while loading"
        assert page.evaluate("document.fonts.check('700 1rem \"Source Serif 4\"')")
        assert page.evaluate("document.fonts.check('400 1rem \"Source Sans 3\"')")
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"{address} scrolls sideways by {overflow}px at {viewport[0]}px"
        accessibility(page)
        page.evaluate(LOAD_EVERY_PICTURE)
        page.screenshot(path=SCREENSHOTS / f"{name}-{viewport[0]}.png", full_page=True)


def test_the_longest_demo_headline_takes_at_most_three_lines(demo, visit):
    longest = max(Article.objects.published(), key=lambda story: len(story.headline))
    page = visit(viewport=DESKTOP)

    page.goto(longest.get_absolute_url())

    lines = page.locator("h1.story__headline").evaluate(
        "h1 => h1.getBoundingClientRect().height / parseFloat(getComputedStyle(h1).lineHeight)"
    )
    assert round(lines) <= 3, f"“{longest.headline}” takes {lines:.1f} lines"


def test_the_phone_header_is_compact_and_its_search_works_without_javascript(demo, visit):
    page = visit(viewport=PHONE, javascript=False)
    page.goto("/")

    header = page.locator(".masthead").bounding_box()
    assert header["height"] <= 110, f"the header takes {header['height']}px of a phone screen"
    navigation = page.get_by_role("navigation", name="Sections")
    assert navigation.evaluate("nav => nav.querySelector('ul').scrollWidth > nav.clientWidth")
    search = page.get_by_role("searchbox", name="Search stories")
    expect(search).to_be_hidden()

    page.locator(".search-toggle__button").click()
    search.fill("Kremlin")
    search.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.locator(".search-result").first).to_be_visible()
