"""Pictures on the pages readers see: lead pictures on article pages and teasers, in sharing
metadata and structured data, author photos, and what they cost. (Pictures in the admin:
test_picture_editing.py.)"""

import re

import pytest
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from articles.models import Article

from .conftest import (
    ARTICLE_PAGE_QUERIES,
    LIST_PAGE_QUERIES,
    at,
    count_queries,
    make_article,
    make_author,
    make_section,
)
from .head_support import article_object
from .images_support import (
    border_crossing,
    make_image,
    open_served,
    picture_bytes,
    rendition_path,
    srcset,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

WIDTHS = [320, 640, 960, 1280, 1920]
HERO_SIZES = "(min-width: 50rem) 48rem, 100vw"


def teasers(response) -> list[str]:
    return re.findall(r'<article class="teaser">.*?</article>', response.content.decode(), re.S)


def attribute(html: str, name: str) -> str:
    return re.search(rf'<img [^>]*\b{name}="([^"]*)"', html)[1]


@pytest.fixture
def picture():
    return border_crossing()


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


def test_structured_data_and_sharing_meta_use_the_crops(client, story, picture):
    response = client.get(story.get_absolute_url())

    base = f"http://testserver/images/{picture.pk}/{picture.content_key}"
    assert article_object(client, story.get_absolute_url())["image"] == [
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
        for image in article_object(client, story.get_absolute_url())["image"]
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
    queries = LIST_PAGE_QUERIES["home" if address == "/" else "latest"]
    assert count_queries(client, address) == queries
    for article in plain:
        article.lead_picture = make_image(picture_bytes((1600, 900)))
        article.save()
    assert count_queries(client, address) == queries
    for _ in range(17):
        make_article(
            section=section,
            published_at=at("2026-04-03 09:00"),
            lead_picture=make_image(picture_bytes((1600, 900))),
        )

    response = client.get("/latest/")

    assert response.content.decode().count("<picture>") == 20
    assert count_queries(client, address) == queries


def test_article_page_with_a_picture_costs_no_query_more(client, story):
    make_article(tags=["Putin"], lead_picture=make_image(picture_bytes((1600, 900))))
    story.tags.set(["Putin"])

    response = client.get(story.get_absolute_url())

    assertContains(response, '<figure class="figure story__lead-picture">')
    assert count_queries(client, story.get_absolute_url()) == ARTICLE_PAGE_QUERIES["tagged"]
