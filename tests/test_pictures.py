"""Pictures in the newsroom: lead pictures and author photos on the pages readers see, in
sharing metadata and structured data, in the article admin and its revisions."""

import json
import re

import pytest
from django.db.models import ProtectedError
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from articles.models import Article
from images.models import Image

from .admin_forms import CHANGELIST, admin_url, article_form, edit_form
from .conftest import (
    at,
    count_queries,
    make_article,
    make_author,
    make_section,
    make_staff,
    warm_sitewide_cache,
)
from .images_support import make_image, open_served, picture_bytes, upload

pytestmark = pytest.mark.django_db

IMAGES = "/admin/images/image/"
WIDTHS = [320, 640, 960, 1280, 1920]
HERO_SIZES = "(min-width: 50rem) 48rem, 100vw"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def frozen_clock(clock):
    """Every test runs at 2026-04-05 12:00."""
    return clock


def srcset(image: Image, ratio: str, file_format: str, widths: list[int]) -> str:
    key = image.content_key
    return ", ".join(f"/images/{image.pk}/{key}/{ratio}/{w}.{file_format} {w}w" for w in widths)


def rendition_path(image: Image, ratio: str, width: int, file_format: str = "jpg") -> str:
    return f"/images/{image.pk}/{image.content_key}/{ratio}/{width}.{file_format}"


def teasers(response) -> list[str]:
    return re.findall(r'<article class="teaser">.*?</article>', response.content.decode(), re.S)


def attribute(html: str, name: str) -> str:
    return re.search(rf'<img [^>]*\b{name}="([^"]*)"', html)[1]


@pytest.fixture
def picture():
    """A 2400 × 1600 picture with its own caption and a credit."""
    return make_image(
        alt_text="Gleb Karakulov at the border crossing.",
        caption="The border crossing at Narva.",
        credit="Jane Doe/Reuters",
    )


@pytest.fixture
def story(picture):
    """A published story leading with `picture`, without a caption of its own."""
    return make_article(
        section=make_section(name="Politics", slug="politics"),
        slug="defector-reaches-berlin",
        headline="Defector reaches Berlin",
        published_at=at("2026-04-05 09:00"),
        lead_picture=picture,
    )


# The article page


def test_article_page_shows_the_lead_picture_as_a_figure_of_the_16_9_crop(client, story, picture):
    response = client.get(story.get_absolute_url())

    assertInHTML(
        f"""
        <figure class="figure story__lead-picture">
          <picture>
            <source type="image/webp" srcset="{srcset(picture, "16x9", "webp", WIDTHS)}"
                    sizes="{HERO_SIZES}">
            <img src="{rendition_path(picture, "16x9", 960)}"
                 srcset="{srcset(picture, "16x9", "jpg", WIDTHS)}" sizes="{HERO_SIZES}"
                 width="960" height="540" alt="Gleb Karakulov at the border crossing."
                 loading="eager" decoding="async" fetchpriority="high">
          </picture>
          <figcaption class="figure__caption">The border crossing at Narva.
            <span class="credit">Photo: Jane Doe/Reuters</span></figcaption>
        </figure>
        """,
        response.content.decode(),
    )


def test_article_page_offers_no_width_beyond_the_original(client):
    small = make_image(picture_bytes((1000, 800)))  # its 16:9 crop is 1000 × 562
    article = make_article(lead_picture=small, published_at=at("2026-04-05 09:00"))

    response = client.get(article.get_absolute_url())

    figure = re.search(
        r'<figure class="figure story__lead-picture">.*?</figure>', response.content.decode(), re.S
    )[0]
    assert re.findall(r"/16x9/(\d+)\.webp", figure) == ["320", "640", "960", "1000"]
    assert re.findall(r"/16x9/(\d+)\.jpg \d+w", figure) == ["320", "640", "960", "1000"]
    assert client.get(rendition_path(small, "16x9", 1280)).status_code == 404
    assert open_served(client.get(rendition_path(small, "16x9", 1000))).size == (1000, 562)


def test_article_caption_replaces_the_pictures_own(client, story):
    story.lead_picture_caption = "Karakulov crossed here in October."
    story.save()

    response = client.get(story.get_absolute_url())

    assertContains(
        response,
        '<figcaption class="figure__caption">Karakulov crossed here in October. '
        '<span class="credit">Photo: Jane Doe/Reuters</span></figcaption>',
        html=True,
    )
    assertNotContains(response, "The border crossing at Narva.")


def test_german_article_labels_the_credit_in_german(client, picture):
    article = make_article(
        language="de",
        headline="Überläufer erreicht Berlin",
        lead_picture=picture,
        lead_picture_caption="Hier überquerte Karakulow im Oktober die Grenze.",
        published_at=at("2026-04-05 09:00"),
    )

    response = client.get(article.get_absolute_url())

    assertContains(response, '<span class="credit">Foto: Jane Doe/Reuters</span>', html=True)
    assertNotContains(response, "Photo:")


@pytest.mark.parametrize(
    "kind, language, label",
    [
        ("illustration", "en", "Illustration"),
        ("illustration", "de", "Illustration"),
        ("graphic", "en", "Graphic"),
        ("graphic", "de", "Grafik"),
    ],
)
def test_the_credit_says_what_kind_of_picture_it_is(client, picture, kind, language, label):
    picture.credit_kind = kind
    picture.save()
    article = make_article(language=language, lead_picture=picture)

    response = client.get(article.get_absolute_url())

    assertContains(response, f'<span class="credit">{label}: Jane Doe/Reuters</span>', html=True)
    assertNotContains(response, "Photo:")
    assertNotContains(response, "Foto:")


def test_article_without_a_picture_has_no_figure_or_sharing_image(client):
    article = make_article(published_at=at("2026-04-05 09:00"))

    response = client.get(article.get_absolute_url())

    assertNotContains(response, "<figure")
    assertNotContains(response, 'property="og:image"')
    assertContains(response, '<meta name="twitter:card" content="summary">', html=True)


def structured_data(response) -> dict:
    script = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(script[1])[0]


def test_structured_data_and_sharing_meta_use_the_crops(client, story, picture):
    response = client.get(story.get_absolute_url())

    base = f"http://testserver/images/{picture.pk}/{picture.content_key}"
    assert structured_data(response)["image"] == [
        {"@type": "ImageObject", "url": f"{base}/16x9/1280.jpg", "width": 1280, "height": 720},
        {"@type": "ImageObject", "url": f"{base}/4x3/1280.jpg", "width": 1280, "height": 960},
        {"@type": "ImageObject", "url": f"{base}/1x1/1280.jpg", "width": 1280, "height": 1280},
    ]
    for meta in [
        f'<meta property="og:image" content="{base}/16x9/1280.jpg">',
        '<meta property="og:image:width" content="1280">',
        '<meta property="og:image:height" content="720">',
        '<meta property="og:image:alt" content="Gleb Karakulov at the border crossing.">',
        f'<meta name="twitter:image" content="{base}/16x9/1280.jpg">',
        '<meta name="twitter:card" content="summary_large_image">',
    ]:
        assertContains(response, meta, html=True)


def test_renditions_named_on_the_page_answer_with_pictures_of_the_stated_size(client, story):
    content = client.get(story.get_absolute_url()).content.decode()
    lead_picture = re.search(
        r'<figure class="figure story__lead-picture">.*?</figure>', content, re.S
    )[0]
    src, width, height = (attribute(lead_picture, name) for name in ["src", "width", "height"])
    webp_320 = re.search(r'srcset="(\S+) 320w', lead_picture)[1]
    shared = [
        (image["url"].removeprefix("http://testserver"), image["width"], image["height"])
        for image in structured_data(client.get(story.get_absolute_url()))["image"]
    ]

    served = open_served(client.get(src))
    assert (served.format, served.size) == ("JPEG", (int(width), int(height)))
    served = open_served(client.get(webp_320))
    assert (served.format, served.size) == ("WEBP", (320, 180))
    for path, crop_width, crop_height in shared:
        served = open_served(client.get(path))
        assert (served.format, served.size) == ("JPEG", (crop_width, crop_height))


# Teasers and author pages


def pictured_stories(section, count: int) -> list[Article]:
    """`count` stories in `section`, an hour apart, each with a picture of its own."""
    return [
        make_article(
            section=section,
            headline=f"Story {number}",
            published_at=at(f"2026-04-05 0{number}:00"),
            lead_picture=make_image(picture_bytes((1600, 900))),
        )
        for number in range(1, count + 1)
    ]


@pytest.mark.parametrize("page", ["latest", "section"])
def test_teasers_load_only_the_first_picture_eagerly(client, page):
    section = make_section(slug="politics")
    stories = pictured_stories(section, 3)

    response = client.get("/latest/" if page == "latest" else section.get_absolute_url())

    shown = teasers(response)
    assert [re.search(r'href="([^"]+)"', teaser)[1] for teaser in shown] == [
        story.get_absolute_url() for story in reversed(stories)
    ]
    assert [attribute(teaser, "loading") for teaser in shown] == ["eager", "lazy", "lazy"]
    newest = stories[-1].lead_picture
    assert attribute(shown[0], "src") == rendition_path(newest, "16x9", 960)
    assert (attribute(shown[0], "width"), attribute(shown[0], "height")) == ("960", "540")
    assert 'fetchpriority="high"' not in shown[1]


def test_teaser_without_a_picture_has_none(client):
    make_article(headline="Without a picture", published_at=at("2026-04-05 09:00"))

    [teaser] = teasers(client.get("/latest/"))

    assert "<picture" not in teaser


def test_author_page_shows_the_photo_as_a_square_crop(client):
    photo = make_image(picture_bytes((900, 1200)), alt_text="Portrait of Nina Rossi.")
    author = make_author(name="Nina Rossi", slug="nina-rossi", photo=photo)

    response = client.get(author.get_absolute_url())

    assertInHTML(
        f"""
        <picture class="profile__photo">
          <source type="image/webp" srcset="{srcset(photo, "1x1", "webp", [320, 640, 900])}"
                  sizes="8rem">
          <img src="{rendition_path(photo, "1x1", 900)}"
               srcset="{srcset(photo, "1x1", "jpg", [320, 640, 900])}" sizes="8rem"
               width="900" height="900" alt="Portrait of Nina Rossi." loading="eager"
               decoding="async">
        </picture>
        """,
        response.content.decode(),
    )
    served = open_served(client.get(rendition_path(photo, "1x1", 320, "webp")))
    assert served.size == (320, 320)


# Query budgets


@pytest.mark.parametrize("address", ["/", "/latest/"])
def test_list_query_count_is_the_same_for_3_or_20_pictured_teasers_or_none(client, address):
    section = make_section()
    plain = [
        make_article(section=section, published_at=at(f"2026-04-04 0{n}:00")) for n in range(3)
    ]
    without_pictures = count_queries(client, address)
    for article in plain:
        article.lead_picture = make_image(picture_bytes((1600, 900)))
        article.save()
    three = count_queries(client, address)
    for _ in range(17):
        make_article(
            section=section,
            published_at=at("2026-04-03 09:00"),
            lead_picture=make_image(picture_bytes((1600, 900))),
        )

    response = client.get("/latest/")
    twenty = count_queries(client, address)

    assert response.content.decode().count("<picture>") == 20
    assert three == without_pictures
    assert twenty == three


def test_article_page_with_a_picture_needs_at_most_8_queries(
    client, story, django_assert_max_num_queries
):
    make_article(tags=["Putin"], lead_picture=make_image(picture_bytes((1600, 900))))
    story.tags.set(["Putin"])

    warm_sitewide_cache()
    with django_assert_max_num_queries(8):
        response = client.get(story.get_absolute_url())

    assertContains(response, '<figure class="figure story__lead-picture">')


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
