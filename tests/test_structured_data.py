"""What article pages tell search engines and sharing previews: JSON-LD, meta tags and the
canonical link. (The policy pages: test_policy_pages.py; hreflang links between a story and
its translations: test_translations.py.)"""

import json
from datetime import datetime, timedelta

import pytest

from articles.models import Article, Correction, Page, PreviewLink

from .conftest import NOW, at, make_article, make_section
from .head_support import HeadParser, article_object, json_ld, page_of
from .images_support import make_image
from .stories import defector_story

pytestmark = pytest.mark.django_db

URL = "http://testserver/europe/defector-reaches-berlin/"


@pytest.fixture
def europe(clock):
    world = make_section(name="World", slug="world")
    return make_section(name="Europe", slug="europe", parent=world)


@pytest.fixture
def story(clock, europe):
    """The analysis by two authors, citing two sources, with a correction and an update."""
    clock.now = at("2026-04-05 08:00")
    story = defector_story(section=europe, published_at=at("2026-04-05 09:00"))
    clock.now = at("2026-04-05 10:00")
    Correction.objects.create(
        article=story, text="An earlier version misnamed the colonel's unit.", created_at=clock.now
    )
    clock.now = at("2026-04-05 11:30")
    story.save()
    clock.now = NOW
    return story


# JSON-LD: the article


@pytest.mark.parametrize(
    ("type_of_work", "schema_type"),
    [
        (Article.TypeOfWork.NEWS, "ReportageNewsArticle"),
        (Article.TypeOfWork.ANALYSIS, "AnalysisNewsArticle"),
        (Article.TypeOfWork.OPINION, "OpinionNewsArticle"),
        (Article.TypeOfWork.EXPLAINER, "BackgroundNewsArticle"),
        # schema.org has no interview subtype; the plain type is still right.
        (Article.TypeOfWork.INTERVIEW, "NewsArticle"),
    ],
)
def test_article_type_follows_the_type_of_work(client, story, type_of_work, schema_type):
    Article.objects.filter(pk=story.pk).update(type_of_work=type_of_work)

    data = article_object(client, URL)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == schema_type


def test_article_data_describes_the_story(client, story):
    data = article_object(client, URL)

    assert data["@id"] == f"{URL}#article"
    assert data["url"] == data["mainEntityOfPage"] == URL
    assert data["headline"] == "Defector reaches Berlin"
    assert data["description"] == "A colonel of the security service has crossed into the EU."
    assert data["articleSection"] == "Europe"
    assert sorted(data["keywords"]) == ["Kremlin", "Putin"]
    assert data["inLanguage"] == "en"
    assert data["dateline"] == "Moscow"


def test_article_dates_are_iso_8601_with_an_offset(client, story):
    data = article_object(client, URL)
    published = datetime.fromisoformat(data["datePublished"])
    modified = datetime.fromisoformat(data["dateModified"])

    assert published.utcoffset() is not None
    assert modified.utcoffset() is not None
    assert published == at("2026-04-05 09:00")
    assert modified == at("2026-04-05 11:30")


def test_story_saved_before_its_time_is_modified_no_earlier_than_published(client, clock, europe):
    clock.now = at("2026-04-05 08:00")
    story = make_article(section=europe, published_at=at("2026-04-05 09:00"))
    clock.now = NOW

    data = article_object(client, story.get_absolute_url())

    assert data["dateModified"] == data["datePublished"]


def test_every_author_is_a_person_with_a_url_in_byline_order(client, story):
    assert article_object(client, URL)["author"] == [
        {
            "@type": "Person",
            "name": "Jens Kiffmeier",
            "url": "http://testserver/author/jens-kiffmeier/",
            "jobTitle": "Correspondent",
        },
        {
            "@type": "Person",
            "name": "Anna Brandt",
            "url": "http://testserver/author/anna-brandt/",
        },
    ]


def test_publisher_is_a_news_media_organization_with_its_logo(client, story):
    publisher = article_object(client, URL)["publisher"]

    assert publisher["@type"] == "NewsMediaOrganization"
    assert publisher["name"] == "The Courier"
    assert publisher["url"] == "http://testserver/"
    assert publisher["logo"] == {
        "@type": "ImageObject",
        "url": "http://testserver/static/img/logo.png",
        "width": 512,
        "height": 512,
    }


def test_publisher_links_the_policy_pages(client, story, policies):
    publisher = article_object(client, URL)["publisher"]

    assert publisher["publishingPrinciples"] == "http://testserver/pages/publishing-principles/"
    assert publisher["correctionsPolicy"] == "http://testserver/pages/corrections-policy/"
    assert publisher["masthead"] == "http://testserver/pages/masthead/"


def test_publisher_names_no_policy_page_that_does_not_exist(client, story):
    Page.objects.create(title="About us", slug="about")  # a page without a role

    publisher = article_object(client, URL)["publisher"]

    assert not {"publishingPrinciples", "correctionsPolicy", "masthead"} & publisher.keys()


def test_cited_sources_are_citations_in_order(client, story):
    assert article_object(client, URL)["citation"] == [
        {
            "@type": "CreativeWork",
            "name": "interview with the colonel",
            "url": "https://example.com/interview",
            "publisher": {
                "@type": "Organization",
                "name": "Reuters",
                "url": "https://reuters.com/",
            },
        },
        {
            "@type": "CreativeWork",
            "name": "Gleb Karakulov",
            "publisher": {"@type": "Person", "name": "Gleb Karakulov"},
        },
    ]


def test_corrections_are_correction_comments(client, story):
    [correction] = article_object(client, URL)["correction"]

    assert correction["@type"] == "CorrectionComment"
    assert correction["text"] == "An earlier version misnamed the colonel's unit."
    assert datetime.fromisoformat(correction["datePublished"]) == at("2026-04-05 10:00")


def test_story_without_sources_corrections_or_dateline_leaves_them_out(client, clock, europe):
    story = make_article(section=europe, dateline="", standfirst="", published_at=NOW)

    data = article_object(client, story.get_absolute_url())

    assert not {"citation", "correction", "dateline", "description", "image"} & data.keys()


def test_lead_picture_comes_in_three_crops(client, story, media_root):
    image = make_image()  # 2400 × 1600
    Article.objects.filter(pk=story.pk).update(lead_picture=image)
    base = f"http://testserver/images/{image.pk}/{image.content_key}"

    assert article_object(client, URL)["image"] == [
        {"@type": "ImageObject", "url": f"{base}/16x9/1280.jpg", "width": 1280, "height": 720},
        {"@type": "ImageObject", "url": f"{base}/4x3/1280.jpg", "width": 1280, "height": 960},
        {"@type": "ImageObject", "url": f"{base}/1x1/1280.jpg", "width": 1280, "height": 1280},
    ]
    square = client.get(f"/images/{image.pk}/{image.content_key}/1x1/1280.jpg")
    assert square.status_code == 200


# JSON-LD: breadcrumbs and safety


def test_breadcrumbs_lead_from_the_home_page_through_the_sections(client, story):
    [trail] = [data for data in json_ld(client, URL) if data["@type"] == "BreadcrumbList"]

    assert trail["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "name": "Home page", "item": "http://testserver/"},
        {"@type": "ListItem", "position": 2, "name": "World", "item": "http://testserver/world/"},
        {
            "@type": "ListItem",
            "position": 3,
            "name": "Europe",
            "item": "http://testserver/europe/",
        },
    ]


def test_headline_cannot_break_out_of_the_script_element(client, clock, europe):
    headline = 'Spy says </script><script>alert("x")</script> & <!-- more'
    story = make_article(section=europe, headline=headline, tags=["</script>"], published_at=NOW)

    page = page_of(client, story.get_absolute_url())

    assert len(page.scripts) == 1  # the only script on the page is the JSON-LD
    [data, _] = json.loads(page.scripts[0])
    assert data["headline"] == headline
    assert data["keywords"] == ["</script>"]


# Sharing meta and canonical link


def test_article_page_has_open_graph_and_twitter_meta(client, story, media_root):
    image = make_image(alt_text="The colonel at the border.")
    Article.objects.filter(pk=story.pk).update(lead_picture=image)
    crop = f"http://testserver/images/{image.pk}/{image.content_key}/16x9/1280.jpg"

    page = page_of(client, URL)

    expected = {
        "og:type": ["article"],
        "og:site_name": ["The Courier"],
        "og:title": ["Defector reaches Berlin"],
        "og:description": ["A colonel of the security service has crossed into the EU."],
        "og:url": [URL],
        "og:locale": ["en"],
        "og:image": [crop],
        "og:image:width": ["1280"],
        "og:image:height": ["720"],
        "og:image:alt": ["The colonel at the border."],
        "article:published_time": ["2026-04-05T09:00:00+02:00"],
        "article:modified_time": ["2026-04-05T11:30:00+02:00"],
        "article:section": ["Europe"],
        "twitter:card": ["summary_large_image"],
        "twitter:title": ["Defector reaches Berlin"],
        "twitter:image": [crop],
    }
    assert {name: page.property(name) for name in expected} == expected
    assert sorted(page.property("article:tag")) == ["Kremlin", "Putin"]


def test_article_without_a_picture_shares_as_a_summary_card(client, story):
    page = page_of(client, URL)

    assert page.property("twitter:card") == ["summary"]
    assert page.property("og:image") == []


def test_article_page_has_its_canonical_link(client, story):
    response = client.get(URL + "?utm_source=newsletter")

    assert HeadParser(response.content.decode()).hrefs("canonical") == {None: URL}


@pytest.fixture
def preview_url(clock, story):
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT, published_at=None)
    link = PreviewLink.objects.create(article=story, expires_at=NOW + timedelta(hours=1))
    return link.get_absolute_url()


def test_preview_is_kept_out_of_search_engines_and_sharing(client, preview_url):
    response = client.get(preview_url)
    page = HeadParser(response.content.decode())

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert page.property("robots") == ["noindex, nofollow"]
    assert page.hrefs("canonical") == {}
    assert page.hrefs("alternate").keys() <= {None}  # the site's feed, no hreflang
    assert page.scripts == []
    assert [meta for meta in page.meta if "property" in meta] == []
    assert page.property("twitter:card") == []
