"""An editor in a real browser: the search and social fields with their live preview, and
related stories picked with the autocomplete."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article

from ..conftest import make_article, make_section, make_staff
from ..images_support import make_image

pytestmark = [pytest.mark.django_db(transaction=True)]

HEADLINE = "Kremlin guard describes the president's secret offices"
STANDFIRST = "He says the offices look the same, down to the clocks."


@pytest.fixture
def newsroom(settings, tmp_path):
    """A published story with a lead picture, another picture in the library, and stories
    to pick: two old ones the automatic choice would not find, and a draft."""
    settings.MEDIA_ROOT = tmp_path
    make_staff("Editor", username="editor")
    now = timezone.now()
    politics = make_section(name="Politics", slug="politics")
    culture = make_section(name="Culture", slug="culture")
    story = make_article(
        headline=HEADLINE,
        standfirst=STANDFIRST,
        section=politics,
        tags=["Kremlin"],
        lead_picture=make_image(alt_text="The Kremlin's towers at dawn", caption="Towers"),
        published_at=now - timedelta(hours=1),
    )
    make_image(alt_text="A clock on an office wall", caption="Office clock at the Kremlin")
    for hours, headline in enumerate(["Guard changes at the Kremlin", "Kremlin budget"], 2):
        make_article(
            headline=headline,
            section=politics,
            tags=["Kremlin"],
            published_at=now - timedelta(hours=hours),
        )
    make_article(
        headline="Archive: the Kremlin's bunkers",
        section=culture,
        published_at=now - timedelta(days=400),
    )
    make_article(
        headline="Archive: a Kremlin opera", section=culture, published_at=now - timedelta(days=500)
    )
    make_article(
        headline="Archive: Kremlin draft",
        section=culture,
        status=Article.Status.DRAFT,
        published_at=None,
    )
    return story


@pytest.fixture
def editor(visit):
    """The editor's window, logged in (`visit` fails the test on any console error, failed
    request or uncaught exception of its pages)."""
    page = visit()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("pw-staff-123")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="The desk")).to_be_visible()
    return page


def choose(page, select: str, term: str, option: str) -> None:
    """Pick `option` in the admin's autocomplete for the <select> `select`, typing `term`."""
    page.locator(f"{select} + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(term)
    page.get_by_role("option", name=option).click()


def test_editor_writes_search_and_social_fields_and_sees_the_preview_follow(newsroom, editor):
    editor.goto(f"/admin/articles/article/{newsroom.pk}/change/")
    editor.get_by_text("Search and social").click()
    search_title = editor.locator(".search-result-preview__title")
    card_title = editor.locator(".social-card-preview__title")
    picture = editor.locator(".social-card-preview__picture img")

    # Empty fields: the preview falls back as the page does, cut as search engines cut.
    expect(search_title).to_have_text(re.compile(r"^Kremlin guard describes the president's .*…$"))
    expect(editor.locator(".search-result-preview__description")).to_have_text(STANDFIRST)
    expect(editor.locator(".search-result-preview__address")).to_have_text(
        re.compile(rf"^localhost:\d+ › politics › {newsroom.slug}$")
    )
    expect(card_title).to_have_text(HEADLINE)
    expect(picture).to_have_attribute("alt", "The Kremlin's towers at dawn")

    # The preview follows each field as the editor types.
    editor.get_by_label("SEO title:").fill("Kremlin guard on the secret offices")
    expect(search_title).to_have_text("Kremlin guard on the secret offices – The Courier")
    editor.get_by_label("Meta description:").fill("What the guard saw. " * 10)
    expect(editor.locator(".search-result-preview__description")).to_have_text(
        re.compile(r"^What the guard saw\. .*…$")
    )
    expect(editor.locator(".sharing-preview__cuts")).to_contain_text(
        "the description in search results (about 155 characters are shown)"
    )
    editor.get_by_label("Social title:").fill("He guarded the Kremlin. Now he talks.")
    expect(card_title).to_have_text("He guarded the Kremlin. Now he talks.")
    editor.get_by_label("Social description:").fill("The offices, in his words.")
    expect(editor.locator(".social-card-preview__description")).to_have_text(
        "The offices, in his words."
    )
    choose(editor, "#id_social_picture", "clock", "Office clock at the Kremlin")
    expect(picture).to_have_attribute("alt", "A clock on an office wall")
    editor.get_by_label("Headline:").fill("Kremlin guard speaks")
    expect(editor.locator(".search-result-preview__title")).to_have_text(
        "Kremlin guard on the secret offices – The Courier"
    )

    editor.get_by_role("button", name="Save and continue editing").click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    # Readers' tools get the fields; the page itself shows the headline.
    reader = editor.context.new_page()
    reader.goto(Article.objects.get(pk=newsroom.pk).get_absolute_url())
    expect(reader).to_have_title("Kremlin guard on the secret offices – The Courier")
    expect(reader.get_by_role("heading", level=1)).to_have_text("Kremlin guard speaks")
    og_title = reader.locator('meta[property="og:title"]')
    expect(og_title).to_have_attribute("content", "He guarded the Kremlin. Now he talks.")
    social = Article.objects.get(pk=newsroom.pk).social_picture
    expect(reader.locator('meta[property="og:image"]')).to_have_attribute(
        "content", re.compile(rf"/images/{social.pk}/")
    )


def test_editor_picks_two_related_stories_that_readers_see_first(newsroom, editor):
    editor.goto(f"/admin/articles/article/{newsroom.pk}/change/")

    # The autocomplete offers published stories only.
    editor.get_by_role("button", name="Add another Related story").click()
    editor.locator("#related_stories-0 .select2-selection").click()
    editor.locator(".select2-search__field").fill("Archive")
    options = editor.locator(".select2-results__option")
    expect(options).to_have_text(["Archive: the Kremlin's bunkers", "Archive: a Kremlin opera"])
    editor.get_by_role("option", name="Archive: the Kremlin's bunkers").click()
    editor.get_by_role("button", name="Add another Related story").click()
    choose(editor, "#id_related_stories-1-related", "opera", "Archive: a Kremlin opera")
    editor.get_by_role("button", name="Save and continue editing").click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    editor.goto(newsroom.get_absolute_url())
    expect(editor.locator(".related li a")).to_have_text(
        [
            "Archive: the Kremlin's bunkers",
            "Archive: a Kremlin opera",
            "Guard changes at the Kremlin",
            "Kremlin budget",
        ]
    )
