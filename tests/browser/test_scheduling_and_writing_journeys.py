"""The editor's working day in a real browser: scheduling with the calendar and the clock,
writing aids, adding and merging sources and tags, and admin pages that fit the window and
pass axe. Every journey also fails on any error in the browser (see `visit`)."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Author, Citation, Correction, Tag

from ..conftest import make_article, make_section, make_source
from .test_editor_journeys import HEADLINE, log_in, newsroom  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("newsroom")]

SERIOUS = ("serious", "critical")


@pytest.fixture
def in_review(request):
    request.getfixturevalue("newsroom")  # the reporter is its author
    return make_article(
        headline=HEADLINE,
        section=make_section(name="World", slug="world"),
        status=Article.Status.IN_REVIEW,
        published_at=None,
        authors=[Author.objects.get(slug="jens-kiffmeier")],
        created_by=User.objects.get(username="jkiffmeier"),
    )


def zone_at(moment: datetime) -> str:
    return f"Europe/Berlin, {timezone.localtime(moment).tzname()}"


def test_editor_schedules_a_story_with_the_calendar_and_the_clock(in_review, visit):
    editor = log_in(visit, "editor")
    editor.goto(f"/admin/articles/article/{in_review.pk}/change/")
    editor.get_by_role("button", name="Schedule…").click()
    date, clock = editor.locator("#id_publish_at_0"), editor.locator("#id_publish_at_1")
    zone = editor.locator(".newsroom-datetime__zone")

    # The zone is named beside the time, for the date typed, in place of Django's note.
    expect(zone).to_have_text(zone_at(timezone.now()))
    date.fill("15/07/2030")
    expect(zone).to_have_text("Europe/Berlin, CEST")
    date.fill("01/15/2030")
    expect(zone).to_have_text("Europe/Berlin, CEST")  # month first is no date: unchanged
    date.fill("15.01.2030")
    expect(zone).to_have_text("Europe/Berlin, CET")
    date.fill("2030-07-15")
    expect(zone).to_have_text("Europe/Berlin, CEST")
    expect(editor.locator(".timezonewarning")).to_have_count(0)
    expect(editor.get_by_text("Date as 26/11/2026, 26.11.2026 or 2026-11-26")).to_be_visible()

    # Tomorrow at noon, picked with the calendar and the clock.
    date.fill("")
    tomorrow = timezone.localdate() + timedelta(days=1)
    editor.locator("#calendarlink0").click()
    calendar = editor.locator("#calendarbox0")
    if tomorrow.month != timezone.localdate().month:
        calendar.locator(".calendarnav-next").click()
    calendar.locator("td a").filter(has_text=re.compile(f"^{tomorrow.day}$")).click()
    editor.locator("#clocklink0").click()
    editor.locator("#clockbox0").get_by_role("link", name="Noon").click()
    expect(date).to_have_value(tomorrow.strftime("%d/%m/%Y"))
    expect(clock).to_have_value("12:00:00")
    noon = timezone.make_aware(datetime.combine(tomorrow, time(12)))
    expect(zone).to_have_text(zone_at(noon))

    editor.get_by_role("button", name="Schedule").click()

    expect(editor.locator(".messagelist")).to_contain_text(
        f"scheduled for {tomorrow:%d %b %Y}, 12:00 {timezone.localtime(noon).tzname()}"
    )
    in_review.refresh_from_db()
    assert (in_review.status, in_review.published_at) == (Article.Status.PUBLISHED, noon)


def test_writer_sees_counts_and_spellchecks_in_the_storys_language(visit, accessibility):
    reporter = log_in(visit, "jkiffmeier")
    reporter.goto("/admin/articles/article/add/")

    # The byline starts with the reporter.
    expect(reporter.locator("#bylines-group .select2-selection__rendered")).to_have_text(
        re.compile("Jens Kiffmeier")
    )

    headline = "Kremlin guard describes the president's secret offices in detail"
    reporter.get_by_label("Headline:").fill(headline)
    expect(reporter.locator("#id_headline_length")).to_have_text(
        f"{len(headline)} characters: search results cut it off after about 60; "
        "social cards show it in full (up to about 70)."
    )
    expect(reporter.locator("#id_headline_length")).to_have_class(re.compile("too-long"))
    reporter.get_by_label("Standfirst:").fill("He says the offices look the same.")
    expect(reporter.locator("#id_standfirst_length")).to_contain_text(
        "34 characters: search results show it in full (up to about 155)"
    )

    body = reporter.locator(".ProseMirror[contenteditable=true]")
    body.click()
    body.type("Identical offices hide where the president is.")
    expect(reporter.locator("#id_body_count")).to_have_text(
        "7 words, 46 characters: about 1 min to read."
    )

    expect(body).to_have_attribute("spellcheck", "true")
    expect(body).to_have_attribute("lang", "en")
    reporter.get_by_label("Language:").select_option(label="German")
    expect(body).to_have_attribute("lang", "de")
    expect(reporter.get_by_label("Headline:")).to_have_attribute("lang", "de")
    accessibility(reporter, impact=SERIOUS)

    reporter.get_by_label("Section:").select_option(label="Politics")
    reporter.get_by_role("button", name="Save", exact=True).click()
    expect(reporter.locator(".messagelist")).to_contain_text("was added successfully")
    article = Article.objects.get(headline=headline)
    assert [author.name for author in article.ordered_authors()] == ["Jens Kiffmeier"]
    assert article.language == "de"


def test_reporter_adds_a_new_source_from_the_citation_row(visit):
    reporter = log_in(visit, "jkiffmeier")
    reporter.goto("/admin/articles/article/add/")
    reporter.get_by_label("Headline:").fill(HEADLINE)
    reporter.get_by_label("Section:").select_option(label="Politics")

    reporter.get_by_role("button", name="Add another Cited source").click()
    with reporter.expect_popup() as opening:
        reporter.locator("#add_id_citations-0-source").click()
    popup = opening.value
    popup.get_by_label("Name:").fill("Meduza")
    popup.get_by_label("Kind:").select_option(label="Newspaper or magazine")
    popup.get_by_role("button", name="Save", exact=True).click()
    popup.wait_for_event("close")
    expect(reporter.locator("#citations-0 .select2-selection__rendered")).to_have_text(
        re.compile("Meduza")
    )
    reporter.locator("#id_citations-0-note").fill("its reporting on the guard")

    reporter.get_by_role("button", name="Save", exact=True).click()

    expect(reporter.locator(".messagelist")).to_contain_text("was added successfully")
    (citation,) = Citation.objects.filter(article__headline=HEADLINE)
    assert (citation.source.name, citation.source.slug) == ("Meduza", "meduza")
    assert citation.note == "its reporting on the guard"


def test_editor_merges_duplicate_tags_from_the_list(visit, accessibility):
    story = make_article(tags=["Kreml"])
    make_article(tags=["Kremlin"])
    editor = log_in(visit, "editor")
    editor.goto("/admin/articles/tag/")

    for name in ["Kreml", "Kremlin"]:
        editor.get_by_label(f"Select this object for an action - {name}", exact=True).check()
    editor.get_by_label("Action:").select_option("merge_selected")
    editor.get_by_role("button", name="Go").click()
    expect(editor.get_by_role("heading", name="Merge tags")).to_be_visible()
    accessibility(editor, impact=SERIOUS)
    editor.get_by_role("radio", name="Kremlin").check()
    editor.get_by_role("button", name="Merge into the one chosen").click()

    expect(editor.locator(".messagelist")).to_contain_text("Merged 1 tag into “Kremlin”")
    assert list(Tag.objects.values_list("name", flat=True)) == ["Kremlin"]
    assert list(story.tags.names()) == ["Kremlin"]


def test_editor_toolbar_draws_every_icon(visit):
    editor = log_in(visit, "editor")
    editor.goto("/admin/articles/article/add/")
    expect(editor.locator(".prose-menubar")).to_be_visible()

    # Each icon is a ligature of the editor's icon font: a word as wide as it is, if missing.
    editor.wait_for_function("() => document.fonts.check('24px \"Material Icons\"')")
    widths = editor.locator(".prose-menubar__button.material-icons:visible").evaluate_all(
        "buttons => buttons.map(button => button.scrollWidth)"
    )
    assert widths and max(widths) <= 40, widths
    # The block-type menu's marker is drawn, not a character few fonts have.
    marker = editor.locator(".prose-menubar__selected").evaluate(
        "element => getComputedStyle(element, '::after').content"
    )
    assert marker == '""'


@pytest.fixture
def desk(in_review):
    """A published story with a linked citation and a correction, besides one in review."""
    published = make_article(
        headline="Defector reaches Berlin",
        section=in_review.section,
        authors=list(in_review.authors.all()),
    )
    Citation.objects.create(
        article=published,
        source=make_source(name="Dossier Center"),
        note="interview with a former officer of the guard, recorded in Riga",
        url="https://www.example.com/investigations/2026/kremlin-guard/offices/full-transcript",
    )
    Correction.objects.create(article=published, text="We misspelled a name.")
    return {"published": published, "in_review": in_review}


@pytest.mark.parametrize("width", [1280, 390])
def test_admin_pages_fit_the_window_and_pass_axe(desk, visit, accessibility, width):
    editor = log_in(visit, "editor")
    editor.set_viewport_size({"width": width, "height": 900})
    published, in_review = desk["published"].pk, desk["in_review"].pk
    pages = {
        "desk": "/admin/",
        "article list": "/admin/articles/article/",
        "review queue": "/admin/articles/article/review/",
        "new story": "/admin/articles/article/add/",
        "story with corrections": f"/admin/articles/article/{published}/change/",
        "story in review": f"/admin/articles/article/{in_review}/change/",
        "schedule": f"/admin/articles/article/{in_review}/transition/schedule/",
        "unpublish": f"/admin/articles/article/{published}/transition/unpublish/",
    }

    for name, address in pages.items():
        editor.goto(address)
        if name == "story with corrections":
            editor.get_by_role("button", name="Add another Correction").click()
            expect(editor.locator("#corrections-1 .newsroom-datetime__zone")).to_be_visible()
        overflow = editor.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
        accessibility(editor, impact=SERIOUS)


def test_every_admin_screen_opens_without_an_error_in_the_browser(desk, visit):
    User.objects.create_superuser("chief", password="pw-staff-123")
    chief = log_in(visit, "chief")
    screens = [
        address
        for model, model_admin in admin.site._registry.items()
        for address in [
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"),
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"),
        ]
    ]
    screens.append(f"/admin/auth/user/{User.objects.get(username='chief').pk}/change/")

    for address in screens:
        response = chief.goto(address)
        # Some admins refuse adding by design (the login lockout's records, for one).
        assert response.ok or response.status == 403, address
        chief.wait_for_load_state("load")
    # `visit` fails the test on any error those pages logged or threw.
