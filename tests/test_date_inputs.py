"""The newsroom's date and time inputs (articles/widgets.py): typed in the formats of the
user's language or as ISO, named with the newsroom's time zone, with a hint of the formats,
and the same on every screen that asks for a time."""

import re

import pytest
from django.contrib import admin
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.forms import TransitionForm
from articles.models import Article, Correction
from articles.widgets import NewsroomDateTimeWidget
from articles.workflow import TRANSITIONS

from .admin_forms import admin_url, edit_form
from .conftest import at, make_article, make_staff

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def editor_client(client):
    client.force_login(make_staff("Editor"))
    return client


@pytest.fixture
def in_review(clock):
    return make_article(status=Status.IN_REVIEW, published_at=None)


def schedule(client, article: Article, date: str, time: str = "14:30"):
    return client.post(
        admin_url(article, "transition/schedule/"), {"publish_at_0": date, "publish_at_1": time}
    )


# Formats of the user's language


@pytest.mark.parametrize(
    ("language", "date"),
    [
        ("en", "26/11/2026"),
        ("de", "26.11.2026"),
        ("en", "26.11.2026"),
        ("de", "26/11/2026"),
        ("en", "2026-11-26"),
        ("de", "2026-11-26"),
    ],
)
def test_schedule_accepts_day_first_dates_and_iso_in_either_language(
    editor_client, in_review, settings, language, date
):
    settings.LANGUAGE_CODE = language

    response = schedule(editor_client, in_review, date)

    assertRedirects(response, admin_url(in_review), fetch_redirect_response=False)
    assert Article.objects.get(pk=in_review.pk).published_at == at("2026-11-26 14:30")


@pytest.mark.parametrize(
    ("language", "date"), [("en", "11/26/2026"), ("de", "11/26/2026"), ("de", "26-11-2026")]
)
def test_schedule_refuses_a_date_in_another_format_and_changes_nothing(
    editor_client, in_review, settings, language, date
):
    settings.LANGUAGE_CODE = language

    response = schedule(editor_client, in_review, date)

    assert response.status_code == 200
    assert response.context["form"].errors["publish_at"]
    assert Article.objects.get(pk=in_review.pk).status == Status.IN_REVIEW


@pytest.mark.parametrize(("language", "shown"), [("en", "26/11/2026"), ("de", "26.11.2026")])
def test_article_form_shows_dates_in_the_languages_format(
    editor_client, clock, settings, language, shown
):
    settings.LANGUAGE_CODE = language
    article = make_article(published_at=at("2026-11-26 14:30"))

    response = editor_client.get(admin_url(article))

    assertContains(response, f'value="{shown}"')
    assertContains(response, 'value="14:30:00"')


def test_correction_accepts_a_day_first_date(editor_client, clock):
    article = make_article(published_at=at("2026-04-05 09:00"))
    clock.now = at("2026-04-06 12:00")
    correction = {"kind": "correction", "text": "The name was misspelled."}
    data = edit_form(
        article,
        corrections=[correction | {"created_at_0": "06/04/2026", "created_at_1": "10:15"}],
    )

    response = editor_client.post(admin_url(article), data)

    assert response.status_code == 302
    assert Correction.objects.get(article=article).created_at == at("2026-04-06 10:15")


@pytest.mark.parametrize(
    ("language", "hint"),
    [
        ("en", "Date as 26/11/2026, 26.11.2026 or 2026-11-26, time as 14:30:00 or 14:30."),
        (
            "de",
            "Datum als 26.11.2026, 26/11/2026 oder 2026-11-26, Uhrzeit als 14:30:00 oder 14:30.",
        ),
    ],
)
def test_date_inputs_come_with_a_hint_of_the_formats(
    editor_client, in_review, settings, language, hint
):
    settings.LANGUAGE_CODE = language

    response = editor_client.get(admin_url(in_review, "transition/schedule/"))

    assertContains(response, hint)


# The time zone beside every time


@pytest.mark.parametrize(
    ("moment", "zone"),
    [("2026-11-26 14:30", "Europe/Berlin, CET"), ("2026-07-01 09:00", "Europe/Berlin, CEST")],
)
def test_a_time_is_shown_with_the_zone_in_force_on_its_date(editor_client, clock, moment, zone):
    article = make_article(published_at=at(moment))

    response = editor_client.get(admin_url(article))

    assertContains(response, zone, count=2)  # the publication time and the empty takedown
    assertNotContains(response, "server time")


def test_an_empty_time_is_shown_with_the_zone_in_force_now(editor_client, in_review, clock):
    clock.now = at("2026-01-10 12:00")

    response = editor_client.get(admin_url(in_review, "transition/schedule/"))

    assertContains(response, "Europe/Berlin, CET")


def test_zone_comes_with_its_abbreviations_for_the_browser_to_follow_a_picked_date(
    editor_client, in_review
):
    response = editor_client.get(admin_url(in_review, "transition/schedule/"))

    found = re.search(r'data-abbreviations="([^"]+)"', response.content.decode())
    assert found[1] == "{&quot;3600&quot;: &quot;CET&quot;, &quot;7200&quot;: &quot;CEST&quot;}"


def test_a_typed_time_with_an_error_is_shown_with_its_zone(editor_client, in_review):
    response = schedule(editor_client, in_review, "26/07/2025", "10:00")  # in the past

    assertContains(response, "Choose a time in the future.")
    assertContains(response, "Europe/Berlin, CEST")


def test_status_and_messages_name_the_zone(editor_client, in_review):
    schedule(editor_client, in_review, "26/11/2026")

    response = editor_client.get(admin_url(in_review))

    assertContains(response, "Scheduled for 26 November 2026, 14:30 CET")
    assert (
        "scheduled for 26 Nov 2026, 14:30 CET."
        in [str(message) for message in response.context["messages"]][0]
    )


# One widget on every screen


def test_every_date_field_of_the_article_and_its_corrections_uses_the_newsroom_widget(rf):
    request = rf.get("/")
    request.user = make_staff("Editor")
    article_admin = admin.site.get_model_admin(Article)
    article = make_article()
    form = article_admin.get_form(request, article)()
    (correction_inline,) = [
        inline
        for inline in article_admin.get_inline_instances(request, article)
        if inline.model is Correction
    ]
    correction_form = correction_inline.get_formset(request, article)().empty_form
    schedule_form = TransitionForm(TRANSITIONS["schedule"])

    widgets = [
        form.fields["published_at"].widget,
        form.fields["expires_at"].widget,
        correction_form.fields["created_at"].widget,
        schedule_form.fields["publish_at"].widget,
    ]

    assert all(isinstance(widget, NewsroomDateTimeWidget) for widget in widgets)


def test_schedule_page_loads_the_scripts_its_calendar_needs_in_order(editor_client, in_review):
    response = editor_client.get(admin_url(in_review, "transition/schedule/"))

    scripts = re.findall(r'<script src="([^"]+)"', response.content.decode())
    needed = [
        "/admin/jsi18n/",
        "/static/admin/js/core.js",
        "/static/admin/js/calendar.js",
        "/static/admin/js/admin/DateTimeShortcuts.js",
        "/static/admin/articles/time_zone.js",
    ]
    assert [script for script in scripts if script in needed] == needed


def test_each_input_has_a_label_and_is_described_by_the_zone_and_hint(editor_client, in_review):
    response = editor_client.get(admin_url(in_review, "transition/schedule/"))

    assertContains(response, '<label for="id_publish_at_0">Publication time:</label>', html=True)
    assertContains(response, '<label for="id_publish_at_0">Date:</label>', html=True)
    assertContains(response, '<label for="id_publish_at_1">Time:</label>', html=True)
    assertContains(response, 'id="id_publish_at_0" aria-describedby="id_publish_at_hint"')
    assertContains(response, 'aria-describedby="id_publish_at_zone id_publish_at_hint"')
