"""Tag addresses: every tag gets a slug a link can hold, and every channel showing tags works."""

import importlib
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.apps import apps
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.models import Tag

from .admin_forms import admin_url, edit_form
from .api_support import get_item, get_list, item_uri
from .conftest import HIDDEN_STATES, at, make_article

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

# Names with nothing a slug keeps: taggit made their slug "".
NAMES_WITHOUT_LETTERS = ["🔥", ">", "---"]


def feed_categories(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return sorted(tag.term for entry in feed.entries for tag in entry.get("tags", []))


# Slugs


@pytest.mark.parametrize("name", NAMES_WITHOUT_LETTERS)
def test_tag_without_letters_or_digits_gets_the_fallback_slug(name):
    article = make_article(tags=[name])

    assert article.tags.get().slug == "tag"


def test_tags_without_letters_get_numbered_slugs():
    make_article(tags=NAMES_WITHOUT_LETTERS)

    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["tag", "tag-2", "tag-3"]


def test_fallback_slug_steps_around_a_tag_named_tag():
    make_article(tags=["Tag"])

    make_article(tags=["🔥"])

    assert Tag.objects.get(name="🔥").slug == "tag-2"


@pytest.mark.parametrize(
    ("name", "slug"),
    [("München", "münchen"), ("Straße & Verkehr", "straße-verkehr"), ("#Putin!", "putin")],
)
def test_tag_slug_keeps_letters_of_any_script(name, slug):
    make_article(tags=[name])

    assert Tag.objects.get(name=name).slug == slug


def test_same_slug_of_two_names_is_numbered():
    make_article(tags=["Putin", "#Putin!"])

    assert dict(Tag.objects.values_list("name", "slug")) == {"Putin": "putin", "#Putin!": "putin-2"}


def test_long_name_gets_a_numbered_slug_that_fits_the_field():
    name = "x" * 100
    make_article(tags=[name, name.upper()])

    slugs = sorted(Tag.objects.values_list("slug", flat=True))
    assert slugs == ["x" * 94, "x" * 94 + "-2"]


def test_tag_typed_in_the_article_form_gets_a_slug(editor_client):
    article = make_article()

    response = editor_client.post(admin_url(article), edit_form(article, tags="🔥, Kremlin"))

    assert response.status_code == 302
    assert dict(Tag.objects.values_list("name", "slug")) == {"🔥": "tag", "Kremlin": "kremlin"}


def test_tag_admin_makes_a_slug_when_it_is_left_empty(admin_client):
    response = admin_client.post("/admin/articles/tag/add/", {"name": "🔥", "slug": ""})

    assert response.status_code == 302
    assert Tag.objects.get(name="🔥").slug == "tag"


def test_tag_admin_keeps_a_typed_slug(admin_client):
    response = admin_client.post("/admin/articles/tag/add/", {"name": "🔥", "slug": "fire"})

    assert response.status_code == 302
    assert Tag.objects.get(name="🔥").slug == "fire"


# The data migration


def repair_tag_slugs() -> None:
    migration = importlib.import_module("articles.migrations.0011_repair_tag_slugs")
    migration.repair_tag_slugs(apps, schema_editor=None)


def test_migration_gives_an_empty_slug_a_free_one():
    make_article(tags=["Tag"])
    Tag.objects.bulk_create([Tag(name="🔥", slug="")])  # as taggit stored it

    repair_tag_slugs()

    assert dict(Tag.objects.values_list("name", "slug")) == {"Tag": "tag", "🔥": "tag-2"}


def test_migration_repairs_a_slug_no_address_can_hold():
    Tag.objects.bulk_create([Tag(name="Kreml & Putin", slug="kreml & putin")])

    repair_tag_slugs()

    assert Tag.objects.get().slug == "kreml-putin"


def test_migration_keeps_working_slugs():
    Tag.objects.bulk_create([Tag(name="💧", slug="_1"), Tag(name="München", slug="münchen")])

    repair_tag_slugs()

    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["_1", "münchen"]


# Which tags readers may see


def test_public_tags_are_those_on_a_published_story(clock):
    make_article(tags=["Live", "Shared"])
    for state, fields in HIDDEN_STATES.items():
        make_article(tags=[f"Hidden {state}", "Shared"], **fields)

    assert [tag.name for tag in Tag.objects.public()] == ["Live", "Shared"]


def test_tag_of_a_story_going_live_becomes_public_by_itself(clock):
    make_article(published_at=at("2026-04-05 18:00"), tags=["Embargoed"])
    assert not Tag.objects.public().exists()

    clock.now = at("2026-04-05 18:00")

    assert [tag.name for tag in Tag.objects.public()] == ["Embargoed"]


# Every channel that shows tags


@pytest.fixture(params=NAMES_WITHOUT_LETTERS)
def story(request):
    """A published story tagged with a name without letters or digits, and a plain tag."""
    return make_article(headline="Kremlin on fire", tags=[request.param, "Kremlin"])


def tag_of(story) -> Tag:
    return story.tags.exclude(name="Kremlin").get()


def test_article_page_links_the_tag(client, story):
    tag = tag_of(story)

    response = client.get(story.get_absolute_url())

    assertContains(response, f'<a href="/tag/{tag.slug}/" rel="tag">{tag.name}</a>', html=True)


def test_tag_page_lists_the_story(client, story):
    response = client.get(tag_of(story).get_absolute_url())

    assertContains(response, "Kremlin on fire")


@pytest.mark.parametrize("name", ["articles:tag_feed", "articles:tag_feed_atom"])
def test_tag_feeds_list_the_story(client, story, name):
    tag = tag_of(story)

    url = reverse(name, kwargs={"slug": tag.slug})

    assert feed_categories(client, url) == sorted(["Kremlin", tag.name])


@pytest.mark.parametrize("name", ["articles:feed", "articles:feed_atom"])
def test_site_feeds_carry_the_tag_as_category(client, story, name):
    assert feed_categories(client, reverse(name)) == sorted(["Kremlin", tag_of(story).name])


def test_content_api_list_and_item_carry_the_tag(client, story):
    tag = tag_of(story)
    subject = {
        "name": tag.name,
        "rel": "tag",
        "uri": f"http://testserver/tag/{tag.slug}/",
        "literal": tag.slug,
    }

    assert subject in get_list(client)["items"][0]["subjects"]
    assert subject in get_item(client, story)["subjects"]


def test_content_api_filters_by_the_tag(client, story):
    make_article(headline="Untagged story")

    page = get_list(client, f"tag={tag_of(story).slug}")

    assert [item["uri"] for item in page["items"]] == [item_uri(story)]


def test_tag_sitemap_lists_the_tag(client, story):
    response = client.get("/sitemap-tags.xml")

    assert response.status_code == 200
    locations = {loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")}
    assert locations == {
        f"http://testserver/tag/{tag_of(story).slug}/",
        "http://testserver/tag/kremlin/",
    }
