"""Default pictures: a story without a lead picture is shared and found with its section's
default picture, else the site's, in JSON-LD, sharing meta and feeds; editors set them in the
admin, which refuses pictures too small; a picture in use as a default can't be deleted."""

import feedparser
import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Publication, Section
from images.models import Image

from .conftest import ARTICLE_PAGE_QUERIES, count_queries, make_article, make_section, make_staff
from .head_support import article_object
from .images_support import make_image, picture_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

SECTIONS = "/admin/articles/section/"
SETTINGS = "/admin/articles/publication/"
IMAGES = "/admin/images/image/"
SHARED_RATIOS = {"16x9": 16 / 9, "4x3": 4 / 3, "1x1": 1}


@pytest.fixture
def site_default():
    """The site's default picture, 2400 × 1600."""
    picture = make_image(alt_text="The newsroom at night.")
    Publication.objects.create(default_picture=picture)
    return picture


@pytest.fixture
def section_default():
    return make_image(alt_text="A globe on a desk.")


@pytest.fixture
def world(site_default, section_default):
    """A section with a default picture of its own, in a site with one too."""
    return make_section(name="World", slug="world", default_picture=section_default)


@pytest.fixture
def plain(site_default):
    """A section without a default picture."""
    return make_section(name="Sport", slug="sport")


def head_of(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def structured_images(client, article) -> list[dict]:
    """The `image` of the article's JSON-LD."""
    return article_object(client, article.get_absolute_url()).get("image", [])


def assert_large_crops_of(images: list[dict], picture: Image) -> None:
    """`images` are the 16:9, 4:3 and 1:1 crops of `picture`, each at least 1200 px wide."""
    base = f"http://testserver/images/{picture.pk}/{picture.content_key}/"
    assert len(images) == len(SHARED_RATIOS)
    for image, (ratio, proportion) in zip(images, SHARED_RATIOS.items(), strict=True):
        assert image["url"] == f"{base}{ratio}/{image['width']}.jpg"
        assert image["width"] >= 1200
        assert image["width"] / image["height"] == pytest.approx(proportion, rel=0.01)


# Where the default picture appears


def test_story_without_a_picture_is_found_with_its_sections_default_picture(
    client, world, section_default
):
    story = make_article(section=world)

    images = structured_images(client, story)

    assert_large_crops_of(images, section_default)
    for image in images:
        path = image["url"].removeprefix("http://testserver")
        assert client.get(path).status_code == 200


def test_story_in_a_section_without_one_is_found_with_the_sites_default_picture(
    client, plain, site_default
):
    story = make_article(section=plain)

    assert_large_crops_of(structured_images(client, story), site_default)


def test_story_with_a_lead_picture_keeps_its_own(client, world):
    own = make_image()
    story = make_article(section=world, lead_picture=own)

    assert_large_crops_of(structured_images(client, story), own)


def test_site_without_default_pictures_gives_no_image(client):
    story = make_article()

    assert structured_images(client, story) == []


def test_story_without_a_picture_is_shared_as_a_large_card_with_the_default(
    client, world, section_default
):
    story = make_article(section=world)
    crop = f"http://testserver/images/{section_default.pk}/{section_default.content_key}/16x9"

    html = head_of(client, story)

    for meta in [
        f'<meta property="og:image" content="{crop}/1280.jpg">',
        '<meta property="og:image:width" content="1280">',
        '<meta property="og:image:height" content="720">',
        '<meta property="og:image:alt" content="A globe on a desk.">',
        f'<meta name="twitter:image" content="{crop}/1280.jpg">',
        '<meta name="twitter:card" content="summary_large_image">',
    ]:
        assert meta in html
    # The default stands in for search and sharing; the page shows no picture that isn't
    # the story's own.
    assert "<figure" not in html


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feed_entry_without_a_picture_has_the_default_as_media_content(
    client, world, plain, section_default, site_default, kind
):
    make_article(section=world, headline="In World")
    make_article(section=plain, headline="In Sport")
    suffix = "" if kind == "rss" else "_atom"

    feed = feedparser.parse(client.get(reverse(f"articles:feed{suffix}")).content)

    urls = {entry.title: entry.media_content[0]["url"] for entry in feed.entries}
    assert urls == {
        "In World": picture_url(section_default, "16x9", 1280),
        "In Sport": picture_url(site_default, "16x9", 1280),
    }


def picture_url(picture: Image, ratio: str, width: int) -> str:
    return f"http://testserver/images/{picture.pk}/{picture.content_key}/{ratio}/{width}.jpg"


def test_shared_crops_are_at_least_1200_wide_whatever_the_widths_offered(
    client, settings, plain, site_default
):
    settings.NEWSROOM_IMAGE_WIDTHS = [320, 640, 1024, 1600, 2048]
    story = make_article(section=plain)

    images = structured_images(client, story)

    assert [image["width"] for image in images] == [1600, 1600, 1600]
    assert_large_crops_of(images, site_default)


# Changes reach readers at once


def test_a_new_site_default_picture_is_used_at_once(client, plain, site_default):
    story = make_article(section=plain)
    structured_images(client, story)  # fills the site-wide cache
    newer = make_image()

    publication = Publication.objects.get()
    publication.default_picture = newer
    publication.save()

    assert_large_crops_of(structured_images(client, story), newer)


def test_moving_the_focal_point_of_the_site_default_gives_new_addresses_at_once(
    client, plain, site_default
):
    story = make_article(section=plain)
    before = structured_images(client, story)

    site_default.focal_x = 0.2
    site_default.save()

    after = structured_images(client, story)
    assert after != before
    assert_large_crops_of(after, Image.objects.get(pk=site_default.pk))


def test_default_pictures_cost_the_article_page_no_query(client, world, plain):
    own = make_article(section=world, lead_picture=make_image())
    from_section = make_article(section=world)
    from_site = make_article(section=plain)

    for story in [own, from_section, from_site]:
        assert count_queries(client, story.get_absolute_url()) == ARTICLE_PAGE_QUERIES["untagged"]


# Editors set them in the admin


@pytest.fixture
def editor(client):
    user = make_staff("Editor")
    client.force_login(user)
    return user


def section_form(picture: Image | None, **fields) -> dict:
    return {
        "name": "Science",
        "slug": "science",
        "description": "",
        "parent": "",
        "position": "0",
        "default_picture": str(picture.pk) if picture else "",
    } | fields


@pytest.mark.parametrize("size", [(1000, 1000), (1920, 1080), (2400, 1199), (1199, 2400)])
def test_section_form_refuses_a_default_picture_too_small_for_every_crop(client, editor, size):
    small = make_image(picture_bytes(size))

    response = client.post(f"{SECTIONS}add/", section_form(small))

    assert response.status_code == 200
    assertContains(response, "each crop must be at least 1200 pixels wide")
    assertContains(response, f"This one is {size[0]} × {size[1]}.")
    assert not Section.objects.filter(slug="science").exists()


def test_section_form_sets_a_default_picture_of_1200_by_1200(client, editor):
    picture = make_image(picture_bytes((1200, 1200)))

    response = client.post(f"{SECTIONS}add/", section_form(picture))

    assert response.status_code == 302
    assert Section.objects.get(slug="science").default_picture == picture


def test_section_form_previews_the_default_picture(client, editor, world, section_default):
    response = client.get(f"{SECTIONS}{world.pk}/change/")

    assertContains(response, f"/images/{section_default.pk}/{section_default.content_key}/16x9/")


def test_site_settings_open_the_add_form_until_they_exist(client, editor):
    assert client.get(SETTINGS).url == f"{SETTINGS}add/"

    response = client.post(f"{SETTINGS}add/", {"default_picture": str(make_image().pk)})

    assert response.status_code == 302
    publication = Publication.objects.get()
    assert client.get(SETTINGS).url == f"{SETTINGS}{publication.pk}/change/"


def test_site_settings_are_one_row_that_cannot_be_added_again_or_deleted(
    client, editor, site_default
):
    publication = Publication.objects.get()

    assert client.get(f"{SETTINGS}add/").status_code == 403
    assert client.post(f"{SETTINGS}add/", {"default_picture": ""}).status_code == 403
    assert client.post(f"{SETTINGS}{publication.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Publication.objects.get().default_picture == site_default


def test_site_settings_refuse_a_default_picture_too_small(client, editor, site_default):
    publication = Publication.objects.get()
    small = make_image(picture_bytes((1920, 1080)))

    response = client.post(
        f"{SETTINGS}{publication.pk}/change/", {"default_picture": str(small.pk)}
    )

    assert response.status_code == 200
    assertContains(response, "This one is 1920 × 1080.")
    assert Publication.objects.get().default_picture == site_default


def test_site_settings_change_the_default_picture(client, editor, site_default):
    publication = Publication.objects.get()
    newer = make_image()

    response = client.post(
        f"{SETTINGS}{publication.pk}/change/", {"default_picture": str(newer.pk)}
    )

    assert response.status_code == 302
    assert Publication.objects.get().default_picture == newer
    assertContains(client.get(response.url, follow=True), newer.content_key)


@pytest.mark.parametrize("method", ["get", "post"])
def test_reporter_cannot_change_the_site_settings(client, site_default, method):
    client.force_login(make_staff("Reporter"))
    publication = Publication.objects.get()

    response = getattr(client, method)(
        f"{SETTINGS}{publication.pk}/change/", {"default_picture": ""}
    )

    assert response.status_code == 403
    assert client.get(SETTINGS).status_code == 403
    assert Publication.objects.get().default_picture == site_default


# A default picture is in use


def test_default_pictures_cannot_be_deleted(world, site_default, section_default):
    for picture, user in [(section_default, world), (site_default, Publication.objects.get())]:
        with pytest.raises(ProtectedError) as refusal:
            picture.delete()
        assert list(refusal.value.protected_objects) == [user]
        assert Image.objects.filter(pk=picture.pk).exists()


def test_image_delete_page_names_the_section_and_site_settings_using_it(
    client, editor, site_default
):
    make_section(name="Culture", slug="culture", default_picture=site_default)

    response = client.post(f"{IMAGES}{site_default.pk}/delete/", {"post": "yes"})

    assert response.status_code == 200
    assertContains(response, "Culture")
    assertContains(response, "Publication settings")
    assertNotContains(response, 'name="post"')
    assert Image.objects.filter(pk=site_default.pk).exists()
