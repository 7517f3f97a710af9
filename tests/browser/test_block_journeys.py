"""A reader meets the body's blocks in a real browser: a picture, an embed that loads nothing
from its provider until asked (then a sandboxed frame the CSP allows), a pull quote, a fact box
and a "Read more" link, at desktop and phone widths, without JavaScript too.

The provider's player never comes from the internet: the browser's requests to it are answered
by the test (Playwright's routing), and any other request off the live server fails the test.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from ..conftest import make_article, make_section
from ..embeds_support import FRAME, VIDEO, embed_block
from ..images_support import make_image, picture_bytes
from ..test_block_rendering import picture_block, read_more_block
from ..test_body_blocks import FACT_BOX, PULL_QUOTE

pytestmark = [pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "build" / "screenshots"
PLAYER = "<!doctype html><title>Fake player</title><p>The provider's player</p>"


@pytest.fixture
def story():
    now = timezone.now()
    politics = make_section(name="Politics", slug="politics")
    target = make_article(
        headline="Defector reaches Berlin", section=politics, published_at=now - timedelta(days=1)
    )
    picture = make_image(picture_bytes((1600, 1200)), credit="Jane Doe/Reuters")
    body = (
        "<p>Gleb Karakulov, an engineer of the Kremlin Guard, has fled abroad.</p>"
        f"{picture_block(picture, 'wide', caption='At the border crossing.')}"
        "<p>He served 13 years in the Federal Guard Service.</p>"
        f"{PULL_QUOTE}<p>He now lives in Turkey.</p>{embed_block()}{FACT_BOX}"
        f"<p>More to come.</p>{read_more_block(target)}"
    )
    return make_article(
        headline="Loss of control in the Kremlin", section=politics, body=body, dateline="Moscow"
    )


def open_story(visit, live_server, story, viewport, javascript=True):
    page = visit(viewport=viewport, javascript=javascript)
    elsewhere = []
    page.context.route(
        f"{FRAME}**", lambda route: route.fulfill(body=PLAYER, content_type="text/html")
    )
    page.context.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if urlsplit(request.url).netloc != urlsplit(live_server.url).netloc
            else None
        ),
    )
    page.goto(story.get_absolute_url())
    return page, elsewhere


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_reader_sees_the_blocks_and_loads_the_embed_only_when_asking(
    story, visit, live_server, accessibility, viewport
):
    page, elsewhere = open_story(visit, live_server, story, viewport)

    expect(page.locator(".figure--wide img")).to_be_visible()
    expect(page.locator(".pull-quote")).to_contain_text("We had no choice.")
    expect(page.get_by_role("heading", name="Key facts")).to_be_visible()
    expect(page.locator(".read-more").get_by_role("link")).to_have_text("Defector reaches Berlin")
    expect(page.get_by_role("link", name="Defector speaks at the border")).to_have_attribute(
        "href", VIDEO
    )
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    assert elsewhere == [], "the page loaded something from elsewhere before any click"
    assert page.locator("iframe").count() == 0
    overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0, f"the story scrolls sideways by {overflow}px"
    accessibility(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"body-blocks-{viewport[0]}.png", full_page=True)

    button = page.get_by_role("button", name="Show the YouTube content here")
    button.focus()
    page.keyboard.press("Enter")

    frame = page.locator("iframe.embed__frame")
    expect(frame).to_be_visible()
    assert frame.get_attribute("src") == FRAME
    assert "allow-scripts" in frame.get_attribute("sandbox")
    assert frame.get_attribute("title") == "Defector speaks at the border"
    expect(page.frame_locator("iframe.embed__frame").locator("p")).to_have_text(
        "The provider's player"
    )
    assert [urlsplit(url).netloc for url in elsewhere] == ["www.youtube-nocookie.com"]
    accessibility(page)


def test_without_javascript_the_embed_is_a_plain_link(story, visit, live_server):
    page, elsewhere = open_story(visit, live_server, story, (390, 844), javascript=False)

    expect(page.get_by_role("link", name="Defector speaks at the border")).to_be_visible()
    expect(page.get_by_role("button", name="Show the YouTube content here")).to_be_hidden()
    assert elsewhere == []
