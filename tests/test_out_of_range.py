"""Dates and ids typed into the admin that the database cannot store: an error on the field,
never a server error, and nothing saved. Run on SQLite and PostgreSQL, whose errors differ."""

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article, Author, Correction, Section

from .admin_forms import admin_url, edit_form
from .conftest import at, make_article, make_author, make_section, make_source, make_staff
from .images_support import make_image

pytestmark = pytest.mark.django_db

# Wider than any integer column, so the id can never be stored.
HUGE_ID = "99999999999999999999"
TIME_OUT_OF_RANGE = "Enter a time between the years 2 and 9998."
INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."


@pytest.fixture
def draft():
    return make_article(
        headline="Defector reaches Berlin", status=Article.Status.DRAFT, published_at=None
    )


def form_errors(response) -> dict:
    assert response.status_code == 200, "the form was saved"
    return response.context["adminform"].form.errors


def inline_errors(response, prefix: str) -> list[dict]:
    assert response.status_code == 200, "the form was saved"
    (formset,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    ]
    return formset.errors


def assert_unchanged(article: Article) -> None:
    stored = Article.objects.get(pk=article.pk)
    assert (stored.version, stored.published_at, stored.expires_at) == (
        article.version,
        article.published_at,
        article.expires_at,
    )
    assert (stored.translation_of_id, stored.lead_picture_id) == (None, None)
    assert not stored.revisions.exists()


# Times


@pytest.mark.parametrize(
    ("field", "date", "time"),
    [
        ("published_at", "0001-01-01", "00:00"),
        ("published_at", "9999-12-31", "23:59"),
        ("expires_at", "0001-01-01", "00:00"),
        ("expires_at", "9999-12-31", "23:59"),
    ],
)
def test_article_time_out_of_range_is_an_error_on_its_field(
    editor_client, draft, field, date, time
):
    response = editor_client.post(
        admin_url(draft), edit_form(draft, **{f"{field}_0": date, f"{field}_1": time})
    )

    assert form_errors(response) == {field: [TIME_OUT_OF_RANGE]}
    assert_unchanged(draft)


def test_earliest_and_latest_storable_times_are_accepted(editor_client, draft):
    response = editor_client.post(
        admin_url(draft),
        edit_form(
            draft,
            published_at_0="0002-01-01",
            published_at_1="00:00",
            expires_at_0="9998-12-31",
            expires_at_1="23:59",
        ),
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.published_at, draft.expires_at) == (
        at("0002-01-01 00:00"),
        at("9998-12-31 23:59"),
    )


def test_correction_time_out_of_range_is_an_error_and_adds_nothing(editor_client):
    story = make_article(headline="Defector reaches Berlin")
    correction = {
        "kind": "correction",
        "text": "He crossed at night.",
        "created_at_0": "0001-01-01",
        "created_at_1": "00:00",
    }

    response = editor_client.post(admin_url(story), edit_form(story, corrections=[correction]))

    assert inline_errors(response, "corrections") == [{"created_at": [TIME_OUT_OF_RANGE]}]
    assert not Correction.objects.exists()


def test_scheduling_for_a_time_out_of_range_is_an_error(client, draft):
    client.force_login(make_staff("Editor"))

    response = client.post(
        admin_url(draft, "transition/schedule/"),
        {"publish_at_0": "9999-12-31", "publish_at_1": "23:59"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"publish_at": [TIME_OUT_OF_RANGE]}
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (Article.Status.DRAFT, None)


def test_staff_account_date_out_of_range_is_an_error(admin_client):
    user = make_staff("Reporter", username="jkiffmeier")
    joined = user.date_joined

    response = admin_client.post(
        f"/admin/auth/user/{user.pk}/change/",
        {
            "username": "jkiffmeier",
            "is_active": "on",
            "is_staff": "on",
            "date_joined_0": "0001-01-01",
            "date_joined_1": "00:00",
        },
    )

    assert form_errors(response) == {"date_joined": [TIME_OUT_OF_RANGE]}
    assert get_user_model().objects.get(pk=user.pk).date_joined == joined


# Ids


@pytest.mark.parametrize("field", ["translation_of", "lead_picture", "section"])
def test_article_id_out_of_range_is_an_error_on_its_field(editor_client, draft, field):
    response = editor_client.post(admin_url(draft), edit_form(draft) | {field: HUGE_ID})

    assert form_errors(response) == {field: [INVALID_CHOICE]}
    assert_unchanged(draft)
    assert Article.objects.get(pk=draft.pk).section == draft.section


def test_article_form_with_an_id_out_of_range_shows_the_stored_choice_again(editor_client):
    picture = make_image(alt_text="The Kremlin at dawn")
    story = make_article(status=Article.Status.DRAFT, published_at=None, lead_picture=picture)

    response = editor_client.post(admin_url(story), edit_form(story, lead_picture=HUGE_ID))

    assert form_errors(response) == {"lead_picture": [INVALID_CHOICE]}
    assert response.context["adminform"].form["lead_picture"].value() == picture.pk
    assert Article.objects.get(pk=story.pk).lead_picture == picture


def test_byline_author_id_out_of_range_is_an_error(editor_client, draft):
    authors = draft.ordered_authors()
    data = edit_form(draft) | {"bylines-0-author": HUGE_ID}

    response = editor_client.post(admin_url(draft), data)

    assert inline_errors(response, "bylines") == [{"author": [INVALID_CHOICE]}]
    assert Article.objects.get(pk=draft.pk).ordered_authors() == authors
    assert_unchanged(draft)


def test_citation_source_id_out_of_range_is_an_error(editor_client, draft):
    make_source()
    row = {"position": "0", "source": HUGE_ID, "note": "", "url": ""}

    response = editor_client.post(admin_url(draft), edit_form(draft) | citation_rows([row]))

    assert inline_errors(response, "citations") == [{"source": [INVALID_CHOICE]}]
    assert not draft.citations.exists()
    assert_unchanged(draft)


def citation_rows(rows: list[dict]) -> dict:
    data = {"citations-TOTAL_FORMS": str(len(rows))}
    for index, row in enumerate(rows):
        data |= {f"citations-{index}-{name}": value for name, value in row.items()}
    return data


@pytest.mark.parametrize("field", ["photo", "user"])
def test_author_id_out_of_range_is_an_error_on_its_field(editor_client, field):
    author = make_author(name="Jens Kiffmeier", slug="jens-kiffmeier", initials="jkf")
    data = {
        "name": "Jens Kiffmeier",
        "slug": "jens-kiffmeier",
        "initials": "jkf",
        "job_title": "",
        "bio": "",
        "photo": "",
        "user": "",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    } | {field: HUGE_ID}

    response = editor_client.post(f"/admin/articles/author/{author.pk}/change/", data)

    assert form_errors(response) == {field: [INVALID_CHOICE]}
    stored = Author.objects.get(pk=author.pk)
    assert (stored.photo, stored.user) == (None, None)


def test_section_parent_id_out_of_range_is_an_error(editor_client):
    section = make_section(name="World", slug="world")

    response = editor_client.post(
        f"/admin/articles/section/{section.pk}/change/",
        {"name": "World", "slug": "world", "description": "", "position": "0", "parent": HUGE_ID},
    )

    assert form_errors(response) == {"parent": [INVALID_CHOICE]}
    assert Section.objects.get(pk=section.pk).parent is None


def test_staff_account_group_id_out_of_range_is_an_error(admin_client):
    user = make_staff("Reporter", username="jkiffmeier")

    response = admin_client.post(
        f"/admin/auth/user/{user.pk}/change/",
        {
            "username": "jkiffmeier",
            "is_active": "on",
            "is_staff": "on",
            "groups": [HUGE_ID],
            "date_joined_0": "2026-04-05",
            "date_joined_1": "10:00",
        },
    )

    assert form_errors(response) == {
        "groups": [f"Select a valid choice. {HUGE_ID} is not one of the available choices."]
    }
    assert [group.name for group in user.groups.all()] == ["Reporter"]


@pytest.mark.parametrize("year", ["1", "9999", "0", "99999999999999999999"])
@pytest.mark.parametrize(
    "changelist", ["/admin/articles/article/", "/admin/images/image/"], ids=["articles", "images"]
)
def test_date_drill_down_to_a_year_out_of_range_is_a_bad_filter_not_an_error(
    admin_client, changelist, year
):
    field = "published_at" if "articles" in changelist else "uploaded_at"

    response = admin_client.get(f"{changelist}?{field}__year={year}")

    # The admin's answer to any filter it cannot apply: back to the list, flagged ?e=1.
    assert response.status_code == 302
    assert response.url.endswith("?e=1")
