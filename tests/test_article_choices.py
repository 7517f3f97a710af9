"""What the article form offers a user to choose, in its choice lists and the admin's
autocomplete: only what the user may see. A forged choice is a form error that names
nothing the user may not see."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article

from .admin_forms import admin_url, article_form, edit_form
from .conftest import (
    ARTICLE_STATES,
    HIDDEN_STATES,
    make_article,
    make_author,
    make_section,
    make_staff,
)
from .images_support import make_image, picture_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

Status = Article.Status
AUTOCOMPLETE = "/admin/autocomplete/"
NOT_AVAILABLE = "Select a valid choice. That choice is not one of the available choices."

PUBLISHED = ARTICLE_STATES["published"]


@pytest.fixture
def reporter(client):
    user = make_staff("Reporter", author_name="Olga Owner")
    client.force_login(user)
    return user


@pytest.fixture
def colleague():
    return make_staff("Reporter", author_name="Pia Other")


@pytest.fixture
def draft(reporter):
    return make_article(
        headline="Own draft",
        authors=[reporter.author_profile],
        created_by=reporter,
        **HIDDEN_STATES["draft"],
    )


def story_by(user, headline: str, **fields) -> Article:
    return make_article(headline=headline, authors=[user.author_profile], created_by=user, **fields)


def picture(caption: str, **fields):
    return make_image(
        picture_bytes((400, 300)), caption=caption, alt_text=f"Alt: {caption}", **fields
    )


def stored(article: Article) -> dict:
    return Article.objects.filter(pk=article.pk).values(
        "headline", "translation_of", "lead_picture", "version"
    )[0]


# translation_of


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_forged_original_the_reporter_may_not_see_is_a_form_error_that_names_nothing(
    client, reporter, colleague, draft, state
):
    hidden = story_by(colleague, "Secret scoop about the minister", **HIDDEN_STATES[state])
    before = stored(draft)

    response = client.post(admin_url(draft), edit_form(draft, translation_of=str(hidden.pk)))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["translation_of"] == [NOT_AVAILABLE]
    assertNotContains(response, "Secret scoop")
    assert stored(draft) == before


def test_forged_original_on_the_add_form_saves_nothing(client, reporter, colleague):
    hidden = story_by(colleague, "Secret scoop about the minister", **HIDDEN_STATES["draft"])

    response = client.post(
        "/admin/articles/article/add/",
        article_form(
            make_section(),
            bylines=[{"position": "0", "author": reporter.author_profile.pk}],
            translation_of=str(hidden.pk),
        ),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["translation_of"] == [NOT_AVAILABLE]
    assertNotContains(response, "Secret scoop")
    assert not Article.objects.exclude(pk=hidden.pk).exists()


@pytest.mark.parametrize("whose", ["own", "published"])
def test_reporter_links_a_translation_to_their_own_or_a_published_story(
    client, reporter, colleague, draft, whose
):
    original = (
        story_by(reporter, "Own earlier draft", **HIDDEN_STATES["draft"])
        if whose == "own"
        else story_by(colleague, "Published original", **PUBLISHED)
    )

    response = client.post(admin_url(draft), edit_form(draft, translation_of=str(original.pk)))

    assert response.status_code == 302
    assert stored(draft)["translation_of"] == original.pk


def test_editor_links_a_translation_to_any_story(client, colleague):
    client.force_login(make_staff("Editor"))
    article = story_by(colleague, "Übersetzung", **HIDDEN_STATES["draft"])
    original = story_by(
        make_staff("Reporter", author_name="Third"), "Draft original", **HIDDEN_STATES["in_review"]
    )

    response = client.post(admin_url(article), edit_form(article, translation_of=str(original.pk)))

    assert response.status_code == 302
    assert stored(article)["translation_of"] == original.pk


# The lead picture


@pytest.mark.parametrize("usage", ["unused", "scheduled", "draft"])
def test_forged_lead_picture_the_reporter_may_not_see_is_a_form_error_that_names_nothing(
    client, reporter, colleague, draft, usage
):
    hidden = picture("Secret caption", uploaded_by=colleague)
    if usage != "unused":
        story_by(colleague, "Their story", lead_picture=hidden, **HIDDEN_STATES[usage])
    before = stored(draft)

    response = client.post(admin_url(draft), edit_form(draft, lead_picture=str(hidden.pk)))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["lead_picture"] == [NOT_AVAILABLE]
    assertNotContains(response, "Secret caption")
    assert stored(draft) == before


@pytest.mark.parametrize("usage", ["own upload", "published lead", "author photo"])
def test_reporter_leads_with_their_upload_or_a_picture_readers_see(
    client, reporter, colleague, draft, usage
):
    if usage == "own upload":
        chosen = picture("Own", uploaded_by=reporter)
    else:
        chosen = picture("Seen by readers", uploaded_by=colleague)
    if usage == "published lead":
        story_by(colleague, "Their story", lead_picture=chosen, **PUBLISHED)
    elif usage == "author photo":
        make_author(name="Nina Rossi", photo=chosen)

    response = client.post(admin_url(draft), edit_form(draft, lead_picture=str(chosen.pk)))

    assert response.status_code == 302
    assert stored(draft)["lead_picture"] == chosen.pk


def test_reporter_saving_keeps_the_original_and_picture_an_editor_chose(
    client, reporter, colleague, draft
):
    original = story_by(colleague, "Their draft original", **HIDDEN_STATES["draft"])
    chosen = picture("Editor's pick", uploaded_by=make_staff("Editor"))
    Article.objects.filter(pk=draft.pk).update(translation_of=original, lead_picture=chosen)
    draft.refresh_from_db()

    form = client.get(admin_url(draft))
    response = client.post(admin_url(draft), edit_form(draft, headline="Edited headline"))

    assertContains(form, f'<option value="{original.pk}" selected>Their draft original</option>')
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.headline, draft.translation_of, draft.lead_picture) == (
        "Edited headline",
        original,
        chosen,
    )


# The admin's autocomplete


def autocomplete(client, field_name: str, term: str, model_name: str = "article") -> set[str]:
    response = client.get(
        AUTOCOMPLETE,
        {"app_label": "articles", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return {result["text"] for result in response.json()["results"]}


def test_original_autocomplete_offers_a_reporter_their_own_and_published_stories(
    client, reporter, colleague, draft
):
    story_by(colleague, "Kremlin published", **PUBLISHED)
    for state, fields in HIDDEN_STATES.items():
        story_by(colleague, f"Kremlin {state}", **fields)
    story_by(reporter, "Kremlin own scheduled", **HIDDEN_STATES["scheduled"])

    assert autocomplete(client, "translation_of", "Kremlin") == {
        "Kremlin published",
        "Kremlin own scheduled",
    }


def test_original_autocomplete_offers_editors_every_story(client, colleague):
    for state, fields in HIDDEN_STATES.items():
        story_by(colleague, f"Kremlin {state}", **fields)
    client.force_login(make_staff("Editor"))

    assert autocomplete(client, "translation_of", "Kremlin") == {
        f"Kremlin {state}" for state in HIDDEN_STATES
    }


@pytest.mark.parametrize(
    ("model_name", "field_name"), [("article", "lead_picture"), ("author", "photo")]
)
def test_picture_autocomplete_offers_a_reporter_only_pictures_they_may_see(
    client, reporter, colleague, model_name, field_name
):
    picture("Narva own", uploaded_by=reporter)
    picture("Narva unused", uploaded_by=colleague)
    story_by(
        colleague,
        "Scheduled",
        lead_picture=picture("Narva scheduled"),
        **HIDDEN_STATES["scheduled"],
    )
    story_by(colleague, "Draft", lead_picture=picture("Narva draft"), **HIDDEN_STATES["draft"])
    story_by(colleague, "Published", lead_picture=picture("Narva published"), **PUBLISHED)
    make_author(name="Nina Rossi", photo=picture("Narva portrait"))

    assert autocomplete(client, field_name, "Narva", model_name) == {
        "Narva own",
        "Narva published",
        "Narva portrait",
    }
