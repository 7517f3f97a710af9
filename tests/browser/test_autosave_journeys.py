"""Never lose a word, and see it before it is saved: the article form's autosave and live
preview in a real browser."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from articles.models import Article, Author, Autosave

from ..conftest import make_article
from .test_editor_journeys import HEADLINE, log_in, newsroom  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db(transaction=True)]

SAVED_AT = re.compile(r"^Saved at \d\d:\d\d$")
OFFLINE = "Not saved — offline, retrying"


@pytest.fixture
def story(newsroom):  # noqa: F811 - the fixture imported above
    """The reporter's draft, saved once."""
    article = make_article(
        headline=HEADLINE,
        standfirst="He says the offices look the same.",
        body="<p>Identical offices hide where the president really is.</p>",
        status=Article.Status.DRAFT,
        published_at=None,
        authors=[Author.objects.get(slug="jens-kiffmeier")],
        created_by=User.objects.get(username="jkiffmeier"),
    )
    article.record_revision()
    return article


def status_line(page):
    return page.locator("[data-autosave-status]")


def body_editor(page):
    return page.locator(".ProseMirror[contenteditable=true]")


def type_at_the_end_of_the_body(page, text: str) -> None:
    """A new paragraph after the body's last one, typed as a writer would."""
    editor = body_editor(page)
    # The editor's own command puts its caret at the end: a click and Control+End move the
    # browser's caret, which ProseMirror on a loaded machine sometimes reads too late or not
    # at all, and Enter then splits the paragraph where the click landed.
    editor.evaluate("element => element.editor.commands.focus('end')")
    expect(editor).to_be_focused()
    editor.press("Enter")
    editor.type(text)


def open_form(page, article: Article) -> None:
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    expect(body_editor(page)).to_be_visible()
    # The toolbar's icon font is fetched once the toolbar is drawn: loaded before a test
    # takes the browser offline, not reported as a file the page could not load.
    page.wait_for_function("() => document.fonts.check('24px \"Material Icons\"')")


def wait_until_kept(page, field: str, value: str) -> None:
    """Wait until the server's autosave holds `value` in `field` (an autosave made earlier,
    before the last keystrokes, may say "Saved at" already)."""
    for _ in range(100):
        autosave = Autosave.objects.first()
        if autosave and value in "".join(autosave.content["fields"].get(field, [])):
            expect(status_line(page)).to_have_text(SAVED_AT)
            return
        page.wait_for_timeout(100)
    pytest.fail(f"No autosave holds {value!r} in {field}")


def test_a_new_story_survives_a_closed_tab_and_is_offered_back_from_the_desk(newsroom, visit):  # noqa: F811
    reporter = log_in(visit, "jkiffmeier")
    reporter.goto("/admin/articles/article/add/")
    reporter.get_by_label("Headline:").fill(HEADLINE)
    reporter.get_by_label("Standfirst:").fill("He says the offices look the same.")
    body_editor(reporter).click()
    body_editor(reporter).type("Identical offices hide where the president really is.")
    reporter.get_by_label("Section:").select_option(label="Politics")
    reporter.locator("#bylines-group .select2-selection").first.click()
    reporter.locator(".select2-search__field").fill("Kiff")
    reporter.get_by_role("option", name="Jens Kiffmeier").click()
    author = Author.objects.get(slug="jens-kiffmeier")
    wait_until_kept(reporter, "bylines-0-author", str(author.pk))
    reporter.context.close()  # the tab is closed without saving

    # Back the next day: the desk lists the story, and its link offers it back.
    reporter = log_in(visit, "jkiffmeier")
    drafts = reporter.locator("#unsaved-drafts")
    expect(drafts).to_contain_text("a new story, never saved")
    drafts.get_by_role("link", name=HEADLINE).click()
    offer = reporter.locator(".autosave-offer")
    expect(offer).to_contain_text("You started a story and did not save it")
    expect(offer.locator(".comparison-fields ins").first).to_contain_text("Kremlin guard")
    offer.get_by_role("button", name="Restore them").click()

    expect(reporter.get_by_label("Headline:")).to_have_value(HEADLINE)
    expect(reporter.get_by_label("Section:").locator("option:checked")).to_have_text("Politics")
    expect(body_editor(reporter)).to_have_text(
        "Identical offices hide where the president really is."
    )
    expect(reporter.locator("#bylines-group .select2-selection__rendered").first).to_have_text(
        re.compile("Jens Kiffmeier")
    )
    reporter.get_by_role("button", name="Save", exact=True).click()

    expect(reporter.locator(".messagelist")).to_contain_text("was added successfully")
    article = Article.objects.get(headline=HEADLINE)
    assert "Identical offices hide" in article.body
    assert [author.name for author in article.ordered_authors()] == ["Jens Kiffmeier"]
    assert not Autosave.objects.exists()


def test_changes_to_a_story_survive_a_closed_tab_with_the_differences_shown(story, visit):
    reporter = log_in(visit, "jkiffmeier")
    open_form(reporter, story)
    reporter.get_by_label("Standfirst:").fill(
        "He says the offices look the same, FSO staff confirm."
    )
    type_at_the_end_of_the_body(reporter, "A second guard confirms it.")
    wait_until_kept(reporter, "body", "A second guard confirms it.")
    reporter.context.close()

    reporter = log_in(visit, "jkiffmeier")
    open_form(reporter, story)
    offer = reporter.locator(".autosave-offer")
    expect(offer).to_contain_text("You have unsaved changes to this story")
    expect(offer.locator(".comparison-fields ins")).to_have_text(re.compile("FSO staff confirm"))
    expect(offer.locator(".comparison-body__row--added")).to_contain_text(
        "A second guard confirms it."
    )
    # The story itself is as it was saved until the changes are restored and saved.
    expect(reporter.get_by_label("Standfirst:")).to_have_value("He says the offices look the same.")
    offer.get_by_role("button", name="Restore them").click()

    expect(offer).to_be_hidden()
    expect(reporter.get_by_label("Standfirst:")).to_have_value(
        "He says the offices look the same, FSO staff confirm."
    )
    expect(body_editor(reporter)).to_contain_text("A second guard confirms it.")
    reporter.get_by_role("button", name="Save", exact=True).click()

    expect(reporter.locator(".messagelist")).to_contain_text("was changed successfully")
    story.refresh_from_db()
    assert story.standfirst == "He says the offices look the same, FSO staff confirm."
    assert "<p>A second guard confirms it.</p>" in story.body
    assert not Autosave.objects.exists()


def test_offline_the_form_says_so_retries_and_saves_once_back(story, visit):
    reporter = log_in(visit, "jkiffmeier")
    open_form(reporter, story)
    reporter.context.set_offline(True)
    reporter.get_by_label("Dateline:").fill("Moscow")

    expect(status_line(reporter)).to_have_text(OFFLINE)
    assert not Autosave.objects.exists()
    reporter.context.set_offline(False)

    expect(status_line(reporter)).to_have_text(SAVED_AT)
    assert Autosave.objects.get().content["fields"]["dateline"] == ["Moscow"]


def test_words_typed_offline_survive_a_crash(story, visit):
    reporter = log_in(visit, "jkiffmeier")
    open_form(reporter, story)
    reporter.context.set_offline(True)
    reporter.get_by_label("Dateline:").fill("Moscow")
    expect(status_line(reporter)).to_have_text(OFFLINE)
    context = reporter.context
    reporter.close()  # the browser gives up on the page; only the browser's copy is left
    context.set_offline(False)

    reporter = context.new_page()
    open_form(reporter, story)

    offer = reporter.locator(".autosave-offer")
    expect(offer).to_contain_text("You have unsaved changes to this story")
    expect(offer.locator(".comparison-fields ins")).to_have_text("Moscow")
    offer.get_by_role("button", name="Restore them").click()
    expect(reporter.get_by_label("Dateline:")).to_have_value("Moscow")


def test_leaving_the_form_with_unsaved_changes_asks_first(story, visit):
    reporter = log_in(visit, "jkiffmeier")
    open_form(reporter, story)
    reporter.get_by_label("Kicker:").fill("Exclusive")
    dialogs = []

    def stay(dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    reporter.once("dialog", stay)
    reporter.get_by_role("link", name="Home").click()

    expect(reporter.get_by_label("Kicker:")).to_have_value("Exclusive")
    assert dialogs == ["beforeunload"]
    assert reporter.url.endswith(f"/{story.pk}/change/")

    # Saving leaves without asking.
    reporter.on("dialog", lambda dialog: dialogs.append(dialog.type))
    reporter.get_by_role("button", name="Save", exact=True).click()
    expect(reporter.locator(".messagelist")).to_contain_text("was changed successfully")
    assert dialogs == ["beforeunload"]


def test_autosave_runs_at_least_every_30_seconds_while_typing_goes_on(story, visit):
    reporter = log_in(visit, "jkiffmeier")
    reporter.clock.install()
    open_form(reporter, story)
    # From here the page's time moves only when the test moves it: on a busy machine the
    # real seconds that typing takes would otherwise count too.
    reporter.clock.pause_at(reporter.evaluate("Date.now()") + 1000)
    sent = []
    reporter.on("request", lambda request: "/autosave/" in request.url and sent.append(request))
    dateline = reporter.get_by_label("Dateline:")
    letters = "Moscow, by the Kremlin's Borovitsky gate"

    for letter in letters[:29]:  # a keystroke a second: never the pause that saves at once
        dateline.press_sequentially(letter)
        reporter.clock.run_for(1000)
    reporter.wait_for_timeout(500)
    assert sent == []
    dateline.press_sequentially(letters[29])
    with reporter.expect_request(lambda request: "/autosave/" in request.url) as request:
        reporter.clock.run_for(1000)  # 30 seconds since the first keystroke

    assert f'"dateline":["{letters[:30]}"]' in request.value.post_data


def test_the_live_preview_shows_unsaved_text_at_desktop_and_mobile_width(
    story, visit, accessibility
):
    reporter = log_in(visit, "jkiffmeier")
    open_form(reporter, story)
    reporter.get_by_role("button", name="Live preview").click()
    preview = reporter.frame_locator(".live-preview__frame")
    expect(preview.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    accessibility(reporter, impact=("serious", "critical"))

    reporter.get_by_label("Headline:").fill("Kremlin guard: the president's offices are copies")
    body_editor(reporter).press("End")
    body_editor(reporter).type(" Nobody knows which one he uses.")

    expect(preview.get_by_role("heading", level=1)).to_have_text(
        "Kremlin guard: the president's offices are copies"
    )
    expect(preview.locator(".story__body")).to_contain_text("Nobody knows which one he uses.")
    expect(preview.locator(".preview-banner")).to_contain_text("Preview – not published.")
    frame = reporter.locator(".live-preview__frame")
    assert frame.evaluate("frame => frame.contentWindow.innerWidth") == 1280

    reporter.get_by_role("button", name="Mobile").click()
    expect(reporter.get_by_role("button", name="Mobile")).to_have_attribute("aria-pressed", "true")
    assert frame.evaluate("frame => frame.contentWindow.innerWidth") == 390
    expect(preview.get_by_role("heading", level=1)).to_have_text(
        "Kremlin guard: the president's offices are copies"
    )

    story.refresh_from_db()
    assert story.headline == HEADLINE  # nothing was saved

    # The saved story's own preview, as the editor opens it from the form.
    reporter.goto(f"/admin/articles/article/{story.pk}/preview/")
    expect(reporter.locator(".preview-banner")).to_be_visible()
    accessibility(reporter, impact=("serious", "critical"))
