"""Search and social fields: an optional SEO title, meta description, social title, social
description and social picture per story, used in every channel that shows the story to
search engines and social networks, each falling back to what that channel showed before
(headline, standfirst, lead picture); the form previews them."""

import json
import re

import feedparser
import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Publication, Revision, snapshot
from articles.revisions import restore
from images.models import Image

from .admin_forms import CHANGELIST, admin_url, article_form, edit_form
from .conftest import count_queries, make_article, make_section, make_staff
from .images_support import make_image, picture_bytes
from .test_sitemaps import news_entries
from .test_structured_data import HeadParser

pytestmark = pytest.mark.django_db

HEADLINE = "Defector reaches Berlin"
STANDFIRST = "A colonel of the security service has crossed into the EU."
FIELDS = {
    "seo_title": "Kremlin guard colonel defects to Berlin",
    "meta_description": "The colonel tells how he crossed into the EU, and what he brought.",
    "social_title": "He guarded the Kremlin. Now he talks.",
    "social_description": "The colonel on his escape, in his own words.",
}
# The channels each field changes, and what they then show; every other channel shows the
# fall-back. The site's name follows the title.
CHANGES = {
    "seo_title": {
        "title": f"{FIELDS['seo_title']} – The Courier",
        "json-ld alternativeHeadline": FIELDS["seo_title"],
        "news:title": FIELDS["seo_title"],
    },
    "meta_description": {
        "description": FIELDS["meta_description"],
        "json-ld description": FIELDS["meta_description"],
    },
    "social_title": {
        "og:title": FIELDS["social_title"],
        "twitter:title": FIELDS["social_title"],
    },
    "social_description": {
        "og:description": FIELDS["social_description"],
        "twitter:description": FIELDS["social_description"],
    },
}
FALL_BACKS = {
    "title": f"{HEADLINE} – The Courier",
    "description": STANDFIRST,
    "og:title": HEADLINE,
    "twitter:title": HEADLINE,
    "og:description": STANDFIRST,
    "twitter:description": STANDFIRST,
    "json-ld headline": HEADLINE,
    "json-ld alternativeHeadline": None,
    "json-ld description": STANDFIRST,
    "news:title": HEADLINE,
}


@pytest.fixture(autouse=True)
def frozen_clock(clock):
    return clock


def story(**fields) -> Article:
    return make_article(**({"headline": HEADLINE, "standfirst": STANDFIRST} | fields))


def channels(client, article: Article) -> dict:
    """What each channel says of `article`: the page's title, meta tags and JSON-LD, and the
    Google News sitemap."""
    html = client.get(article.get_absolute_url()).content.decode()
    page = HeadParser(html)
    [data] = [data for data in json_ld(page) if data["@type"].endswith("NewsArticle")]
    [news] = [entry for entry in news_entries(client) if entry["loc"].endswith(article.slug + "/")]
    shown = {
        name: (page.property(name) or [None])[0]
        for name in ["description", "og:title", "twitter:title"]
        + ["og:description", "twitter:description"]
    }
    return shown | {
        "title": re.search(r"<title>(.*?)</title>", html)[1],
        "json-ld headline": data["headline"],
        "json-ld alternativeHeadline": data.get("alternativeHeadline"),
        "json-ld description": data.get("description"),
        "news:title": news["title"],
    }


def json_ld(page: HeadParser) -> list[dict]:
    return [item for script in page.scripts for item in json.loads(script)]


# Every channel, every field


def test_empty_fields_fall_back_to_the_headline_and_standfirst_in_every_channel(client):
    assert channels(client, story()) == FALL_BACKS


@pytest.mark.parametrize("field", FIELDS)
def test_each_field_changes_its_own_channels_and_no_other(client, field):
    article = story(**{field: FIELDS[field]})

    assert channels(client, article) == FALL_BACKS | CHANGES[field]


def test_without_a_standfirst_the_descriptions_fall_back_to_the_headline(client):
    article = make_article(headline=HEADLINE, standfirst="")

    shown = channels(client, article)

    for name in ["description", "og:description", "twitter:description"]:
        assert shown[name] == HEADLINE, name
    assert shown["json-ld description"] is None  # left out rather than repeating the headline


def test_seo_title_equal_to_the_headline_adds_no_alternative_headline(client):
    assert channels(client, story(seo_title=HEADLINE)) == FALL_BACKS


def test_fields_are_escaped_in_every_channel(client):
    article = story(seo_title="Spies & <script>lies</script>", social_title='"Quoted" & <b>')

    html = client.get(article.get_absolute_url()).content.decode()
    shown = channels(client, article)

    assert "<title>Spies &amp; &lt;script&gt;lies&lt;/script&gt; – The Courier</title>" in html
    assert "<script>lies" not in html
    assert shown["og:title"] == '"Quoted" & <b>'
    assert shown["news:title"] == "Spies & <script>lies</script>"


# The social picture


def crop_of(picture: Image) -> str:
    return f"http://testserver/images/{picture.pk}/{picture.content_key}/16x9/1280.jpg"


def test_social_picture_is_shared_instead_of_the_lead_picture(client, media_root):
    lead, social = make_image(alt_text="The colonel."), make_image(alt_text="The Kremlin wall.")
    article = story(lead_picture=lead, social_picture=social)

    html = client.get(article.get_absolute_url()).content.decode()
    page = HeadParser(html)

    assert page.property("og:image") == [crop_of(social)]
    assert page.property("twitter:image") == [crop_of(social)]
    assert page.property("og:image:alt") == ["The Kremlin wall."]
    [data] = [item for item in json_ld(page) if item["@type"].endswith("NewsArticle")]
    assert {image["url"].split("/")[4] for image in data["image"]} == {str(social.pk)}
    # Readers of the page see the lead picture, never the social one.
    assert f"/images/{lead.pk}/" in html.split("<body>")[1]
    assert f"/images/{social.pk}/" not in html.split("<body>")[1]


def test_without_a_social_picture_the_lead_picture_is_shared(client, media_root):
    lead = make_image()

    page = HeadParser(client.get(story(lead_picture=lead).get_absolute_url()).content.decode())

    assert page.property("og:image") == [crop_of(lead)]


def test_feeds_carry_the_social_picture(client, media_root):
    social = make_image()
    story(lead_picture=make_image(), social_picture=social)

    feed = feedparser.parse(client.get(reverse("articles:feed")).content)

    assert feed.entries[0].media_content[0]["url"] == crop_of(social)
    assert feed.entries[0].title == HEADLINE  # feeds show the story as the site does


def test_social_picture_costs_the_article_page_no_query(client, media_root):
    plain = story(slug="plain")
    shared = story(slug="shared", social_picture=make_image(), lead_picture=make_image(), **FIELDS)

    assert count_queries(client, shared.get_absolute_url()) == count_queries(
        client, plain.get_absolute_url()
    )


def test_a_social_picture_cannot_be_deleted(media_root):
    social = make_image()
    story(social_picture=social)

    with pytest.raises(ProtectedError):
        social.delete()


# The form


@pytest.fixture
def editor(client):
    user = make_staff("Editor")
    client.force_login(user)
    return user


def add_form(**fields) -> dict:
    section = make_section()
    author = make_staff("Reporter", author_name="Jens Kiffmeier").author_profile
    return article_form(section, bylines=[{"position": "0", "author": author.pk}], **fields)


def test_editor_saves_the_search_and_social_fields(client, editor, media_root):
    social = make_image()

    response = client.post(f"{CHANGELIST}add/", add_form(social_picture=social.pk, **FIELDS))

    assert response.status_code == 302
    saved = Article.objects.get()
    assert {name: getattr(saved, name) for name in FIELDS} == FIELDS
    assert saved.social_picture == social
    assert {name: saved.revisions.get().content[name] for name in FIELDS} == FIELDS


@pytest.mark.parametrize(
    ("field", "longest"),
    [
        ("seo_title", 70),
        ("meta_description", 160),
        ("social_title", 90),
        ("social_description", 200),
    ],
)
def test_too_long_a_field_is_refused_and_nothing_saved(client, editor, field, longest):
    response = client.post(f"{CHANGELIST}add/", add_form(**{field: "x" * (longest + 1)}))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors[field]
    assert errors == [f"Ensure this value has at most {longest} characters (it has {longest + 1})."]
    assert not Article.objects.exists()

    response = client.post(f"{CHANGELIST}add/", add_form(**{field: "x" * longest}))
    assert response.status_code == 302


def test_forged_social_picture_the_reporter_may_not_see_is_refused(client, media_root):
    reporter = make_staff("Reporter", author_name="Olga Owner")
    draft = make_article(
        status=Article.Status.DRAFT,
        published_at=None,
        authors=[reporter.author_profile],
        created_by=reporter,
    )
    hidden = make_image(uploaded_by=make_staff("Reporter"), caption="Secret picture")
    client.force_login(reporter)

    response = client.post(admin_url(draft), edit_form(draft, social_picture=str(hidden.pk)))

    assert response.status_code == 200
    assert "social_picture" in response.context["adminform"].form.errors
    assertNotContains(response, "Secret picture")
    assert Article.objects.get(pk=draft.pk).social_picture is None


def test_reporter_saving_keeps_the_social_picture_an_editor_chose(client, media_root):
    reporter = make_staff("Reporter", author_name="Olga Owner")
    chosen = make_image(uploaded_by=make_staff("Editor"))
    draft = make_article(
        status=Article.Status.DRAFT,
        published_at=None,
        authors=[reporter.author_profile],
        created_by=reporter,
        social_picture=chosen,
    )
    client.force_login(reporter)

    response = client.post(admin_url(draft), edit_form(draft, seo_title="Shorter"))

    assert response.status_code == 302
    assert Article.objects.get(pk=draft.pk).social_picture == chosen


def test_form_groups_the_fields_with_a_preview_of_the_fall_backs(client, editor):
    article = story(headline="A" * 50, slug="long-one", seo_title="", standfirst="Short.")

    response = client.get(admin_url(article))

    assertContains(response, '<fieldset class="module aligned collapse"')
    assertContains(response, "Search and social")
    assertContains(response, "data-sharing-preview")
    assertContains(response, 'src="/static/admin/articles/sharing_preview.js"')
    # Cut as search engines cut: 59 characters of "AAA… – The Courier", then an ellipsis.
    assertContains(response, f">{('A' * 50 + ' – The Courier')[:59]}…</p>")
    assertContains(response, f"› {article.section.slug} › long-one")
    assertContains(response, "No picture: a small card")


def test_preview_shows_the_picture_the_story_is_shared_with(client, editor, media_root):
    lead = make_image(alt_text="The colonel.")
    article = story(lead_picture=lead)

    response = client.get(admin_url(article))

    assertContains(response, f'src="{lead.picture("16:9").src}"')
    assertContains(response, 'alt="The colonel."')


def test_add_form_previews_a_story_not_yet_written(client, editor, media_root):
    site_default = make_image(picture_bytes((1200, 1200)), alt_text="The newsroom at night.")
    Publication.objects.create(default_picture=site_default)

    response = client.get(f"{CHANGELIST}add/")

    assert response.status_code == 200
    assertContains(response, "data-sharing-preview")
    assertContains(response, 'alt="The newsroom at night."')


def test_read_only_form_shows_the_preview_of_what_is_saved(client):
    reporter = make_staff("Reporter", author_name="Olga Owner")
    published = story(authors=[reporter.author_profile], created_by=reporter, **FIELDS)
    client.force_login(reporter)

    response = client.get(admin_url(published))

    assertNotContains(response, 'name="seo_title"')
    assertContains(response, f"{FIELDS['seo_title']} – The Courier")
    assertContains(response, FIELDS["social_title"])


# The preview's picture, as the form asks the server for it

PICTURE = reverse("admin:articles_article_sharing_picture")


def shared_picture(client, **query) -> dict | None:
    response = client.get(PICTURE, query)
    assert response.status_code == 200
    return response.json()["picture"]


def test_preview_picture_falls_back_from_social_to_lead_to_section_default(
    client, editor, media_root
):
    social, lead, default = make_image(), make_image(), make_image(picture_bytes((1200, 1200)))
    section = make_section(default_picture=default)
    expected = {image: image.picture("16:9").src for image in (social, lead, default)}

    every = {"social_picture": social.pk, "lead_picture": lead.pk, "section": section.pk}
    assert shared_picture(client, **every)["src"] == expected[social]
    assert shared_picture(client, **every | {"social_picture": ""})["src"] == expected[lead]
    assert shared_picture(client, section=section.pk)["src"] == expected[default]
    assert shared_picture(client) is None


def test_preview_picture_tells_a_reporter_nothing_of_pictures_they_may_not_see(client, media_root):
    reporter = make_staff("Reporter")
    own, hidden = make_image(uploaded_by=reporter), make_image(uploaded_by=make_staff("Reporter"))
    client.force_login(reporter)

    answer = shared_picture(client, social_picture=hidden.pk, lead_picture=own.pk)

    assert answer["src"] == own.picture("16:9").src


@pytest.mark.parametrize("value", ["abc", "-1", "²", "99999999999999999999999", "1.5"])
def test_preview_picture_takes_a_bad_value_for_none(client, editor, value):
    assert shared_picture(client, social_picture=value, lead_picture=value, section=value) is None


def test_preview_picture_is_for_staff_who_may_see_articles(client):
    assert client.get(PICTURE).status_code == 302  # to the login
    client.force_login(make_staff("Reporter"))
    assert client.post(PICTURE).status_code == 405  # reading only
    nobody = make_staff("Reporter")
    nobody.groups.clear()
    client.force_login(nobody)
    assert client.get(PICTURE).status_code == 403


# Revisions


def test_restoring_a_revision_from_before_the_fields_leaves_them_as_they_are():
    article = story(**FIELDS)
    before_the_fields = {
        name: value for name, value in snapshot(article).items() if name not in FIELDS
    }
    del before_the_fields["social_picture"], before_the_fields["related"]
    old = Revision.objects.create(article=article, number=1, version=1, content=before_the_fields)

    restore(article, old, by=None)

    assert {name: getattr(Article.objects.get(pk=article.pk), name) for name in FIELDS} == FIELDS
