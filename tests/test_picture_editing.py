"""Pictures in the newsroom's admin: a picture in use can't be deleted, reporters upload a
picture and lead their draft with it, and the article form and its revisions keep the lead
picture. (Who may change which picture: test_picture_permissions.py.)"""

import re

import pytest
from django.db.models import ProtectedError
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from images.models import Image

from .admin_forms import CHANGELIST, admin_url, article_form, edit_form
from .conftest import make_article, make_author, make_section, make_staff
from .images_support import (
    border_crossing,
    make_image,
    open_served,
    picture_bytes,
    rendition_path,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

IMAGES = "/admin/images/image/"


@pytest.fixture
def picture():
    return border_crossing()


@pytest.fixture
def story(picture):
    """A story the admin lists, leading with `picture`."""
    return make_article(headline="Defector reaches Berlin", lead_picture=picture)


# Deleting a picture in use


def test_picture_an_article_leads_with_cannot_be_deleted(
    story, picture, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ProtectedError) as refusal:
            picture.delete()
        with pytest.raises(ProtectedError):
            Image.objects.filter(pk=picture.pk).delete()

    assert list(refusal.value.protected_objects) == [story]
    assert Image.objects.filter(pk=picture.pk).exists()
    assert picture.file.storage.exists(picture.file.name)


def test_author_photo_cannot_be_deleted():
    photo = make_image()
    author = make_author(name="Nina Rossi", photo=photo)

    with pytest.raises(ProtectedError) as refusal:
        photo.delete()

    assert list(refusal.value.protected_objects) == [author]
    assert Image.objects.filter(pk=photo.pk).exists()


@pytest.fixture
def editor(client):
    user = make_staff("Editor")
    client.force_login(user)
    return user


def test_admin_names_the_articles_and_authors_keeping_a_picture_in_use(
    client, editor, story, picture, django_capture_on_commit_callbacks
):
    other = make_article(headline="Karakulov speaks", lead_picture=picture)
    make_author(name="Nina Rossi", photo=picture)
    delete_url = f"{IMAGES}{picture.pk}/delete/"

    page = client.get(delete_url)
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(delete_url, {"post": "yes"})

    for response in (page, refused):
        assert response.status_code == 200
        assertContains(response, "protected")
        assertContains(response, admin_url(story))
        assertContains(response, "Defector reaches Berlin")
        assertContains(response, other.headline)
        assertContains(response, "Nina Rossi")
    assertNotContains(page, 'name="post"')  # no button to confirm
    assert Image.objects.filter(pk=picture.pk).exists()
    assert picture.file.storage.exists(picture.file.name)


def test_editor_deletes_a_picture_no_one_uses(client, editor, django_capture_on_commit_callbacks):
    unused = make_image()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{IMAGES}{unused.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Image.objects.filter(pk=unused.pk).exists()
    assert not unused.file.storage.exists(unused.file.name)


# Reporters: upload a picture and lead their draft with it


@pytest.fixture
def reporter(client):
    user = make_staff("Reporter", author_name="Olga Owner")
    client.force_login(user)
    return user


@pytest.fixture
def draft(reporter):
    return make_article(
        headline="Defector reaches Berlin",
        status=Article.Status.DRAFT,
        published_at=None,
        authors=[reporter.author_profile],
        created_by=reporter,
    )


def upload_through_the_admin(client) -> Image:
    """Upload a 1600 × 900 PNG through the image library's add form, as a browser does."""
    response = client.post(
        f"{IMAGES}add/",
        {
            "file": upload(picture_bytes((1600, 900), file_format="PNG"), "narva.png"),
            "alt_text": "Gleb Karakulov at the border crossing.",
            "caption": "The border crossing at Narva.",
            "credit": "Olga Owner",
            "focal_x": "0.3",
            "focal_y": "0.4",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    return Image.objects.latest("pk")


def test_reporter_uploads_a_picture_in_the_image_library(client, reporter):
    image = upload_through_the_admin(client)

    assert (image.uploaded_by, image.width, image.height) == (reporter, 1600, 900)
    assert (image.alt_text, image.caption, image.credit, image.focal_x, image.focal_y) == (
        "Gleb Karakulov at the border crossing.",
        "The border crossing at Narva.",
        "Olga Owner",
        0.3,
        0.4,
    )
    assert image.file.storage.exists(image.file.name)


def test_reporter_finds_their_upload_with_the_lead_picture_autocomplete(client, reporter):
    image = upload_through_the_admin(client)
    make_image(caption="Parliament in session.")

    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "lead_picture",
            "term": "Narva",
        },
    )

    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": str(image.pk), "text": "The border crossing at Narva."}
    ]


def test_reporter_leads_their_draft_with_their_upload(client, reporter, draft):
    image = upload_through_the_admin(client)
    form = client.get(admin_url(draft))
    select = re.search(r'<select name="lead_picture"[^>]*>', form.content.decode())[0]
    assert 'class="admin-autocomplete"' in select
    assert 'data-field-name="lead_picture"' in select

    response = client.post(
        admin_url(draft),
        edit_form(
            draft, lead_picture=str(image.pk), lead_picture_caption="Karakulov crossed here."
        ),
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.lead_picture, draft.lead_picture_caption) == (image, "Karakulov crossed here.")
    assert draft.revisions.first().content["lead_picture"] == {
        "id": image.pk,
        "name": "The border crossing at Narva.",
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_reporter_cannot_delete_a_picture(client, reporter, method):
    image = make_image()

    response = getattr(client, method)(f"{IMAGES}{image.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Image.objects.filter(pk=image.pk).exists()


# The article form and revisions


def test_article_form_previews_the_lead_picture(client, editor, story, picture):
    response = client.get(admin_url(story))

    preview = rendition_path(picture, "16x9", 320)
    assertContains(
        response,
        f'<img src="{preview}" width="320" alt="Gleb Karakulov at the border crossing." '
        'class="picture-preview">',
        html=True,
    )
    assert open_served(client.get(preview)).size == (320, 180)


@pytest.fixture
def repictured(client, editor, picture):
    """An article added with `picture` in the admin, then saved with another picture."""
    section, author = make_section(), make_author()
    response = client.post(
        f"{CHANGELIST}add/",
        article_form(
            section, bylines=[{"position": "0", "author": author.pk}], lead_picture=str(picture.pk)
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    replacement = make_image(caption="Karakulov in Berlin.")
    response = client.post(admin_url(article), edit_form(article, lead_picture=str(replacement.pk)))
    assert response.status_code == 302
    return article, replacement


def test_revisions_record_the_lead_picture(repictured, picture):
    article, replacement = repictured

    recorded = [revision.content["lead_picture"] for revision in article.revisions.all()]

    assert recorded == [
        {"id": replacement.pk, "name": "Karakulov in Berlin."},
        {"id": picture.pk, "name": "The border crossing at Narva."},
    ]


def test_comparison_shows_the_lead_picture_change(client, repictured):
    article, _ = repictured

    response = client.get(admin_url(article, "history/compare/"), {"from": 1, "to": 2})

    assert response.status_code == 200
    row = re.search(
        r'<th scope="row">Lead picture</th><td>(.*?)</td>', response.content.decode(), re.S
    )
    assert row is not None
    assert re.search(r"<del>[^<]*Narva[^<]*</del>", row[1])
    assert re.search(r"<ins>[^<]*Berlin[^<]*</ins>", row[1])


def test_restoring_a_revision_brings_its_lead_picture_back(client, repictured, picture):
    article, _ = repictured

    response = client.post(admin_url(article, "history/1/restore/"))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.lead_picture == picture
    assert article.revisions.first().content["lead_picture"]["id"] == picture.pk
