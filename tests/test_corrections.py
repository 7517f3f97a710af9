"""Corrections on published stories, and stories taken off the site (410 Gone)."""

import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from articles.models import Article, Correction

from .admin_forms import admin_url, edit_form
from .conftest import (
    ARTICLE_PAGE_QUERIES,
    at,
    count_queries,
    make_article,
    make_section,
    make_staff,
)

pytestmark = pytest.mark.django_db

Status = Article.Status
ADDRESS = "/politics/defector-reaches-berlin/"


@pytest.fixture
def editor(client):
    user = make_staff("Editor", username="dokafor")
    client.force_login(user)
    return user


@pytest.fixture
def article(clock, reporter):
    """A story published and last saved at 09:00 on 5 April 2026."""
    clock.now = at("2026-04-05 09:00")
    article = make_article(
        headline="Defector reaches Berlin",
        section=make_section(name="Politics", slug="politics"),
        slug="defector-reaches-berlin",
        body="<p>He crossed the border at dawn.</p>",
        published_at=at("2026-04-05 09:00"),
        created_by=reporter,
        authors=[reporter.author_profile],
    )
    article.record_revision()
    clock.now = at("2026-04-05 12:00")
    return article


def correction_row(kind: str, text: str, date: str = "2026-04-05", time: str = "14:00") -> dict:
    return {"kind": kind, "text": text, "created_at_0": date, "created_at_1": time}


# Adding corrections in the admin


def test_editor_adds_a_correction_through_the_inline(client, clock, editor, article):
    clock.now = at("2026-04-05 14:00")

    response = client.post(
        admin_url(article),
        edit_form(
            article,
            corrections=[correction_row("correction", "He crossed at night, not at dawn.")],
        ),
    )

    assert response.status_code == 302
    correction = article.corrections.get()
    assert (correction.kind, correction.text) == ("correction", "He crossed at night, not at dawn.")
    assert (correction.created_at, correction.created_by) == (at("2026-04-05 14:00"), editor)


def test_form_of_a_published_story_has_the_corrections_inline(client, editor, article):
    response = client.get(admin_url(article))

    assertContains(response, 'name="corrections-TOTAL_FORMS"')
    assertContains(response, "Corrections, updates and clarifications")


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED])
def test_form_of_an_unpublished_story_has_no_corrections_inline(client, editor, status):
    article = make_article(status=status, published_at=None)

    response = client.get(admin_url(article))

    assert response.status_code == 200
    assertNotContains(response, 'name="corrections-TOTAL_FORMS"')


def test_correction_posted_on_a_draft_is_ignored(client, editor):
    article = make_article(status=Status.DRAFT, published_at=None)
    article.record_revision()

    response = client.post(
        admin_url(article),
        edit_form(article, corrections=[correction_row("correction", "Not yet published.")]),
    )

    assert response.status_code == 302
    assert not Correction.objects.exists()


def test_reporter_sees_no_corrections_inline_on_their_published_story(client, reporter, article):
    client.force_login(reporter)

    response = client.get(admin_url(article))

    assert response.status_code == 200
    assertNotContains(response, 'name="corrections-TOTAL_FORMS"')


def test_reporter_forging_a_correction_gets_403_and_adds_nothing(client, reporter, article):
    client.force_login(reporter)

    response = client.post(
        admin_url(article),
        edit_form(article, corrections=[correction_row("update", "My own update.")]),
    )

    assert response.status_code == 403
    assert not Correction.objects.exists()


def test_reporter_cannot_slip_a_correction_into_their_draft(client, reporter):
    draft = make_article(
        status=Status.DRAFT,
        published_at=None,
        created_by=reporter,
        authors=[reporter.author_profile],
    )
    draft.record_revision()
    client.force_login(reporter)

    response = client.post(
        admin_url(draft),
        edit_form(draft, corrections=[correction_row("update", "Sneaked in.")]),
    )

    assert response.status_code == 302
    assert not Correction.objects.exists()


def test_corrections_cannot_be_deleted_from_the_form(client, editor, article):
    correction = Correction.objects.create(
        article=article, text="He crossed at night.", created_at=at("2026-04-05 10:00")
    )
    row = correction_row("correction", "He crossed at night.", time="10:00")
    row |= {"id": correction.pk, "article": article.pk, "DELETE": "on"}

    client.post(admin_url(article), edit_form(article, corrections=[row]))

    assert Correction.objects.filter(pk=correction.pk).exists()


# Corrections on the article page


CORRECTION_ITEM = re.compile(
    r'corrections__item--(\w+)">\s*<strong>(\w+)</strong>,\s*<time datetime="([^"]+)">[^<]*</time>'
    r"\s*:\s*([^<]+?)\s*</li>"
)


def test_corrections_show_at_the_foot_newest_first_with_kind_and_time(client, article):
    Correction.objects.create(
        article=article,
        kind=Correction.Kind.UPDATE,
        text="Police confirmed the crossing.",
        created_at=at("2026-04-05 10:30"),
    )
    Correction.objects.create(
        article=article,
        kind=Correction.Kind.CORRECTION,
        text="He crossed at night, not at dawn.",
        created_at=at("2026-04-05 11:15"),
    )

    response = client.get(ADDRESS)

    assert response.status_code == 200
    content = response.content.decode()
    items = CORRECTION_ITEM.findall(content)
    assert items == [
        (
            "correction",
            "Correction",
            "2026-04-05T11:15:00+02:00",
            "He crossed at night, not at dawn.",
        ),
        ("update", "Update", "2026-04-05T10:30:00+02:00", "Police confirmed the crossing."),
    ]
    assert content.index("He crossed the border at dawn.") < content.index(
        "Corrections and updates"
    )


def test_page_without_corrections_has_no_corrections_box(client, article):
    assertNotContains(client.get(ADDRESS), "Corrections and updates")


def test_adding_a_correction_sets_the_articles_updated_time(client, clock, article):
    clock.now = at("2026-04-05 14:00")

    Correction.objects.create(
        article=article, text="He crossed at night.", created_at=at("2026-04-05 14:00")
    )

    article.refresh_from_db()
    assert article.updated_at == at("2026-04-05 14:00")
    response = client.get(ADDRESS)
    assertContains(
        response, '<span class="story__updated">Updated <time datetime="2026-04-05T14:00:00+02:00">'
    )


def test_backdated_correction_does_not_move_the_updated_time_back(clock, article):
    Article.objects.filter(pk=article.pk).update(updated_at=at("2026-04-05 13:00"))

    Correction.objects.create(article=article, text="Typo.", created_at=at("2026-04-05 10:00"))

    article.refresh_from_db()
    assert article.updated_at == at("2026-04-05 13:00")


def test_correction_added_in_the_admin_shows_the_updated_time(client, clock, editor, article):
    clock.now = at("2026-04-05 14:00")
    client.post(
        admin_url(article),
        edit_form(article, corrections=[correction_row("correction", "At night, not at dawn.")]),
    )
    client.logout()

    response = client.get(ADDRESS)

    assertContains(response, "At night, not at dawn.")
    assertContains(response, "Updated <time")


# Stories taken off the site


def test_unpublished_story_is_gone_with_a_short_notice(client, clock, editor, article):
    response = client.post(
        admin_url(article, "transition/unpublish/"), {"comment": "The source retracted."}
    )
    assert response.status_code == 302
    client.logout()

    response = client.get(ADDRESS)

    assert response.status_code == 410
    assertTemplateUsed(response, "articles/article_gone.html")
    assertContains(response, "This article has been withdrawn", status_code=410)
    assertNotContains(response, "Defector reaches Berlin", status_code=410)
    assertNotContains(response, "He crossed the border", status_code=410)


def test_expired_story_is_gone_too(client, clock, article):
    Article.objects.filter(pk=article.pk).update(expires_at=at("2026-04-05 20:00"))
    clock.now = at("2026-04-05 20:00")

    response = client.get(ADDRESS)

    assert response.status_code == 410
    assertContains(response, "This article has been withdrawn", status_code=410)
    assertNotContains(response, "He crossed the border", status_code=410)


def test_draft_that_was_never_published_is_404_not_410(client):
    make_article(
        section=make_section(slug="politics"),
        slug="defector-reaches-berlin",
        status=Status.DRAFT,
        published_at=None,
    )

    assert client.get(ADDRESS).status_code == 404


# Queries


def test_article_page_query_count_does_not_grow_with_corrections(client, article):
    Correction.objects.create(article=article, text="First.", created_at=at("2026-04-05 10:00"))
    assert count_queries(client, ADDRESS) == ARTICLE_PAGE_QUERIES["untagged"]

    for hour in range(11, 15):
        Correction.objects.create(
            article=article, text="More.", created_at=at(f"2026-04-05 {hour}:00")
        )

    assert article.corrections.count() == 5
    assert count_queries(client, ADDRESS) == ARTICLE_PAGE_QUERIES["untagged"]
