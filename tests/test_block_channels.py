"""The body's blocks in every channel beyond the page: JSON-LD, the content API (ninjs), the
feeds, search and reading time, revision comparisons, and pictures "in use"."""

from xml.etree import ElementTree

import pytest
from django.db.models import ProtectedError
from pytest_django.asserts import assertContains

from articles.editing import save_story
from articles.models import Article
from articles.reading import reading_minutes
from articles.revisions import compare
from images.models import Image

from .admin_forms import admin_url
from .api_support import LIST_URL, get_item
from .cache_support import queries_of
from .conftest import ARTICLE_STATES, HIDDEN_STATES, make_article, make_staff, warm_sitewide_cache
from .embeds_support import VIDEO, embed_block
from .head_support import article_object
from .images_support import make_image, picture_bytes
from .test_block_rendering import picture_block, read_more_block
from .test_body_blocks import FACT_BOX, PULL_QUOTE

pytestmark = pytest.mark.django_db


@pytest.fixture
def picture():
    return make_image(
        picture_bytes((1600, 1200)), caption="Library caption.", credit="Jane Doe/Reuters"
    )


@pytest.fixture
def target():
    return make_article(headline="Defector reaches Berlin")


@pytest.fixture
def story(picture, target):
    body = (
        f"<p>Opening.</p>{picture_block(picture, caption='Our caption.')}{embed_block()}"
        f"{PULL_QUOTE}{FACT_BOX}{read_more_block(target)}<p>Closing.</p>"
    )
    return make_article(headline="Blocks story", body=body, lead_picture=make_image())


# JSON-LD


def test_structured_data_lists_body_pictures_after_the_lead_picture(client, story, picture):
    images = article_object(client, f"http://testserver{story.get_absolute_url()}")["image"]

    assert [image["url"].split("/")[4] for image in images] == [str(story.lead_picture_id)] * 3 + [
        str(picture.pk)
    ]
    assert images[3] == {
        "@type": "ImageObject",
        "url": f"http://testserver/images/{picture.pk}/{picture.content_key}/full/1280.jpg",
        "width": 1280,
        "height": 960,
    }


# The content API


def test_ninjs_associations_carry_the_body_pictures(client, story, picture):
    item = get_item(client, story)

    body_pictures = [a for a in item["associations"] if a["name"].startswith("bodypicture")]
    assert body_pictures == [
        {
            "name": "bodypicture1",
            "rel": "inlineimage",
            "uri": f"http://testserver{picture.get_absolute_url()}",
            "type": "picture",
            "representationType": "partial",
            "by": "Jane Doe/Reuters",
            "descriptions": [
                {"role": "caption", "value": "Our caption."},
                {"role": "alt", "value": "Gleb at the border."},
            ],
            "renditions": [
                {
                    "name": "original",
                    "href": f"http://testserver/images/{picture.pk}/{picture.content_key}"
                    "/full/1280.jpg",
                    "contentType": "image/jpeg",
                    "width": 1280,
                    "height": 960,
                }
            ],
        }
    ]
    assert item["associations"][0]["name"] == "leadpicture"


def test_ninjs_body_has_the_blocks_as_plain_html(client, story, picture, target):
    body = get_item(client, story)["bodies"][0]["value"]

    assert_plain_html(body, picture, target)


def test_api_list_queries_do_not_grow_with_blocks(client, story):
    warm_sitewide_cache()
    with_one, _ = queries_of(client, LIST_URL)
    for _ in range(3):
        make_article(body=story.body)

    with_four, response = queries_of(client, LIST_URL)

    assert with_four == with_one
    items = response.json()["items"]
    assert sum("bodypicture1" in str(item.get("associations")) for item in items) == 4


def assert_plain_html(body: str, picture, target) -> None:
    src = f"http://testserver/images/{picture.pk}/{picture.content_key}/full/960.jpg"
    assert (
        f'<figure><img src="{src}" alt="Gleb at the border." width="960" height="720">'
        "<figcaption>Our caption. Photo: Jane Doe/Reuters</figcaption></figure>"
    ) in body
    assert f'<p><a href="{VIDEO}">Defector speaks at the border</a> (YouTube)</p>' in body
    assert "<figure><blockquote><p>We had no choice.</p></blockquote>" in body
    assert "<aside><h2>Key facts</h2><ul><li>Left in 2022.</li>" in body
    assert (
        f'<p>Read more: <a href="http://testserver{target.get_absolute_url()}">'
        "Defector reaches Berlin</a></p>"
    ) in body
    assert "data-" not in body


@pytest.mark.usefixtures("clock")
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_read_more_to_a_hidden_story_stays_out_of_feeds_and_the_api(client, state):
    hidden = make_article(headline="Hidden target", **HIDDEN_STATES[state])
    story = make_article(body=f"<p>Text.</p>{read_more_block(hidden)}")

    body = get_item(client, story)["bodies"][0]["value"]
    feed = client.get("/feeds/rss/").content.decode()

    assert body == "<p>Text.</p>"
    assert "Hidden target" not in feed and "Headline at insertion" not in feed


# Feeds


@pytest.mark.parametrize("address", ["/feeds/rss/", "/feeds/atom/"])
def test_feeds_carry_the_body_with_blocks_as_plain_html(client, story, picture, target, address):
    feed = ElementTree.fromstring(client.get(address).content)
    contents = [
        element.text
        for element in feed.iter()
        if element.tag
        in (
            "{http://purl.org/rss/1.0/modules/content/}encoded",
            "{http://www.w3.org/2005/Atom}content",
        )
    ]

    (body,) = [content for content in contents if "Opening." in content]
    assert_plain_html(body, picture, target)


def test_feed_queries_do_not_grow_with_blocks(client, story, django_assert_num_queries):
    for _ in range(3):
        make_article(body=story.body)
    warm_sitewide_cache()

    # The site feed's three, and one each for all the pictures and all the stories blocks name.
    with django_assert_num_queries(5):
        client.get("/feeds/rss/")


# Search and reading time


def test_reading_time_and_search_count_quotes_and_fact_boxes():
    words = " ".join(["word"] * 400)
    quote = f'<figure data-block="pull-quote"><blockquote><p>{words}</p></blockquote></figure>'
    facts = f'<aside data-block="fact-box"><h2>Key facts</h2><ul><li>{words}</li></ul></aside>'
    story = make_article(body=f"<p>Short.</p>{quote}{facts}", headline="Plain headline")

    assert reading_minutes(story.body) == reading_minutes(f"<p>Short. {words} {words}</p>")
    assert list(Article.objects.published().search("Key facts")) == [story]


# Revisions


def test_revision_comparison_names_what_happened_to_each_block(picture, target):
    old = f"<p>Intro.</p>{picture_block(picture, caption='Old caption')}{PULL_QUOTE}"
    new = (
        f"<p>Intro.</p>{picture_block(picture, caption='New caption')}{FACT_BOX}"
        f"{embed_block()}{read_more_block(target)}"
    )
    content = {"body": old, "authors": [], "citations": []}

    rows = compare(content, content | {"body": new}).body

    assert [(row.change, row.label) for row in rows] == [
        ("same", ""),
        ("changed", "Picture: caption changed"),
        ("removed", "Pull quote removed"),
        ("added", "Fact box added"),
        ("added", "Embed added"),
        ("added", "“Read more” added"),
    ]
    assert "<del>Old</del><ins>New</ins> caption" in rows[1].html
    assert "data-" not in "".join(row.html for row in rows)


def test_history_comparison_shows_picture_added(client, picture):
    editor = make_staff("Editor")
    story = make_article(body="<p>Intro.</p>", created_by=editor)
    story.record_revision(by=editor)
    story.body = f"<p>Intro.</p>{picture_block(picture)}"
    save_story(story, by=editor)
    client.force_login(editor)

    response = client.get(admin_url(story, "history/compare/"), {"from": 1, "to": 2})

    assertContains(response, "Picture added")


# Pictures in use


@pytest.mark.usefixtures("clock")
@pytest.mark.parametrize(
    ("state", "in_use"),
    [("published", True), ("scheduled", True), ("draft", False), ("unpublished", False)],
)
def test_a_body_picture_is_in_use_while_its_story_is_published_or_scheduled(picture, state, in_use):
    make_article(body=picture_block(picture), **ARTICLE_STATES[state])

    assert picture.is_in_use is in_use
    assert (picture in Image.objects.in_use()) is in_use


def test_a_body_picture_cannot_be_deleted_and_the_admin_names_the_story(client, picture):
    story = make_article(headline="Defector reaches Berlin", body=picture_block(picture))
    client.force_login(make_staff("Editor"))

    with pytest.raises(ProtectedError):
        picture.delete()
    page = client.get(f"/admin/images/image/{picture.pk}/delete/")

    assertContains(page, "Defector reaches Berlin")
    assert Image.objects.filter(pk=picture.pk).exists()
    assert story.body_pictures.get().image == picture


def test_a_reporter_may_not_change_their_upload_once_a_published_body_shows_it(client):
    reporter = make_staff("Reporter", author_name="Rita Reporter")
    upload = make_image(picture_bytes((400, 300)), uploaded_by=reporter)
    assert upload.can_be_changed_by(reporter)

    make_article(body=picture_block(upload))

    assert not upload.can_be_changed_by(reporter)
    client.force_login(reporter)
    response = client.post(
        f"/admin/images/image/{upload.pk}/change/", {"alt_text": "Changed", "caption": ""}
    )
    assert response.status_code == 403
