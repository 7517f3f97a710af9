"""The content API's ninjs: valid against the official schema and mapped field by field."""

import pytest

from articles.models import Article, Correction, Page

from .api_support import get_item, get_list, item_uri, schema_errors
from .conftest import at, make_article, make_author, make_section, make_source
from .images_support import make_image
from .stories import defector_story, german_original

pytestmark = pytest.mark.django_db

PRINCIPLES = "http://cv.iptc.org/newscodes/trustindicator/editorialPolicy"
CORRECTIONS_POLICY = "http://cv.iptc.org/newscodes/trustindicator/correctionsPolicy"
MASTHEAD = "http://cv.iptc.org/newscodes/trustindicator/partyInfo"
AUTHOR = "http://cv.iptc.org/newscodes/contentprodpartyrole/author"
CONTENT_SOURCE = "http://cv.iptc.org/newscodes/contentprodpartyrole/contentSource"


@pytest.fixture
def story(clock, policies):
    """The story with everything: two authors, tags, citations, a lead picture, a dateline, a
    correction, a takedown time, and a German original."""
    story = defector_story(
        language="en",
        published_at=at("2026-04-05 10:00"),
        expires_at=at("2026-05-05 10:00"),
        translation_of=german_original(published_at=at("2026-04-05 09:00")),
        lead_picture=make_image(),
        lead_picture_caption="The colonel at Berlin's main station.",
    )
    Correction.objects.create(
        article=story,
        text="An earlier version misspelt the colonel's name.",
        created_at=at("2026-04-05 11:30"),
    )
    story.record_revision()
    story.refresh_from_db()
    return story


def test_schema_check_catches_bad_formats():
    # Proves the format checker is on: these pass the schema's types but not its formats.
    item = {"uri": "not a uri", "versionCreated": "yesterday", "type": "text"}

    errors = schema_errors(item)

    assert len(errors) == 2, errors


def test_story_with_everything_is_valid_ninjs(client, story):
    assert schema_errors(get_item(client, story)) == []
    assert [item["uri"] for item in get_list(client)["items"]] == [
        item_uri(story),
        item_uri(story.translation_of),
    ]


def test_minimal_story_is_valid_ninjs_without_empty_fields(client, clock):
    article = make_article(authors=[], standfirst="", body="", published_at=at("2026-04-05 10:00"))

    item = get_item(client, article)

    assert set(item) == {
        "uri",
        "type",
        "representationType",
        "standard",
        "version",
        "firstCreated",
        "versionCreated",
        "contentCreated",
        "pubStatus",
        "language",
        "headlines",
        "subjects",
        "genres",
        "renditions",
    }
    assert None not in item.values()


def test_item_states_its_identity_version_and_the_ninjs_standard(client, story):
    item = get_item(client, story)

    assert item["uri"] == item_uri(story)
    assert item["type"] == "text"
    assert item["representationType"] == "full"
    assert item["pubStatus"] == "usable"
    assert item["version"] == "1"
    assert item["language"] == "en"
    assert item["standard"] == {
        "name": "ninjs",
        "version": "3.1",
        "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#",
    }


def test_times_are_utc(client, story):
    item = get_item(client, story)

    # The clock stands at 12:00 in Berlin (UTC+2) when the story is created and saved.
    assert item["firstCreated"] == "2026-04-05T10:00:00Z"
    assert item["versionCreated"] == "2026-04-05T10:00:00Z"
    assert item["contentCreated"] == "2026-04-05T08:00:00Z"
    assert item["expires"] == "2026-05-05T08:00:00Z"


def test_headline_kicker_standfirst_body_and_dateline_are_ninjs_text(client, story):
    item = get_item(client, story)

    assert item["headlines"] == [
        {"role": "main", "value": "Defector reaches Berlin"},
        {"role": "kicker", "value": "Exclusive"},
    ]
    assert item["descriptions"] == [
        {"role": "summary", "value": "A colonel of the security service has crossed into the EU."}
    ]
    assert item["bodies"] == [
        {
            "role": "main",
            "contentType": "text/html",
            "value": "<p>First paragraph.</p><h2>The escape route</h2><p>Last paragraph.</p>",
        }
    ]
    assert item["located"] == "Moscow"


def test_authors_are_people_linked_to_their_pages_in_byline_order(client, story):
    item = get_item(client, story)

    assert item["by"] == "Jens Kiffmeier and Anna Brandt"
    assert item["people"] == [
        {
            "name": "Jens Kiffmeier",
            "rel": AUTHOR,
            "uri": "http://testserver/author/jens-kiffmeier/",
            "literal": "jens-kiffmeier",
        },
        {
            "name": "Anna Brandt",
            "rel": AUTHOR,
            "uri": "http://testserver/author/anna-brandt/",
            "literal": "anna-brandt",
        },
    ]


def test_section_and_tags_are_subjects(client, story):
    item = get_item(client, story)

    assert item["subjects"] == [
        {
            "name": "Europe",
            "rel": "section",
            "uri": "http://testserver/europe/",
            "literal": "europe",
        },
        {
            "name": "Kremlin",
            "rel": "tag",
            "uri": "http://testserver/tag/kremlin/",
            "literal": "kremlin",
        },
        {"name": "Putin", "rel": "tag", "uri": "http://testserver/tag/putin/", "literal": "putin"},
    ]


@pytest.mark.parametrize(
    ("type_of_work", "name", "code"),
    [
        (Article.TypeOfWork.NEWS, "News", "Current"),
        (Article.TypeOfWork.ANALYSIS, "Analysis", "Analysis"),
        (Article.TypeOfWork.OPINION, "Opinion", "Opinion"),
        (Article.TypeOfWork.INTERVIEW, "Interview", "Interview"),
        (Article.TypeOfWork.EXPLAINER, "Explainer", "Background"),
    ],
)
def test_type_of_work_is_an_iptc_genre(client, clock, type_of_work, name, code):
    item = get_item(client, make_article(type_of_work=type_of_work))

    assert item["genres"] == [
        {"name": name, "uri": f"http://cv.iptc.org/newscodes/genre/{code}", "literal": type_of_work}
    ]


def test_cited_sources_are_info_sources(client, story):
    item = get_item(client, story)

    assert item["infoSources"] == [
        {
            "name": "Reuters",
            "role": CONTENT_SOURCE,
            "uri": "http://testserver/source/reuters/",
            "literal": "reuters",
            "contactInfo": [{"type": "web", "value": "https://reuters.com/"}],
        },
        {
            "name": "Gleb Karakulov",
            "role": CONTENT_SOURCE,
            "uri": "http://testserver/source/karakulov/",
            "literal": "karakulov",
        },
    ]


def test_source_cited_twice_is_listed_once(client, clock):
    source = make_source()
    article = make_article(sources=[source, source])

    assert len(get_item(client, article)["infoSources"]) == 1


def test_corrections_are_the_editorial_note(client, story):
    Correction.objects.create(
        article=story,
        kind=Correction.Kind.UPDATE,
        text="Adds the government's response.",
        created_at=at("2026-04-06 09:00"),
    )

    item = get_item(client, story)

    assert item["edNote"] == (
        "Update (2026-04-06): Adds the government's response.\n"
        "Correction (2026-04-05): An earlier version misspelt the colonel's name."
    )


def test_policy_pages_are_trust_indicators(client, story):
    item = get_item(client, story)

    assert item["trustIndicators"] == [
        {
            "role": PRINCIPLES,
            "title": "Standards",
            "href": "http://testserver/pages/publishing-principles/",
        },
        {
            "role": CORRECTIONS_POLICY,
            "title": "Corrections",
            "href": "http://testserver/pages/corrections-policy/",
        },
        {"role": MASTHEAD, "title": "About us", "href": "http://testserver/pages/masthead/"},
    ]


def test_only_existing_policy_pages_are_linked(client, story, policies):
    policies[Page.Role.PUBLISHING_PRINCIPLES].delete()

    item = get_item(client, story)

    assert [indicator["role"] for indicator in item["trustIndicators"]] == [
        CORRECTIONS_POLICY,
        MASTHEAD,
    ]


def test_public_page_is_the_web_rendition(client, story):
    item = get_item(client, story)

    assert item["renditions"] == [
        {
            "name": "web",
            "title": "Defector reaches Berlin",
            "href": "http://testserver/europe/defector-reaches-berlin/",
            "contentType": "text/html",
        }
    ]


def test_lead_picture_is_associated_with_its_crops(client, story):
    image = story.lead_picture
    crops = image.sharing_crops(lambda path: f"http://testserver{path}")

    picture = get_item(client, story)["associations"][0]

    assert picture == {
        "name": "leadpicture",
        "rel": "featureimage",
        "uri": f"http://testserver{image.get_absolute_url()}",
        "type": "picture",
        "representationType": "partial",
        "by": "Jane Doe/Reuters",
        "descriptions": [
            {"role": "caption", "value": "The colonel at Berlin's main station."},
            {"role": "alt", "value": image.alt_text},
        ],
        "renditions": [
            {
                "name": name,
                "href": crop.url,
                "contentType": "image/jpeg",
                "width": crop.width,
                "height": crop.height,
                "aspectRatio": ratio,
            }
            for (name, ratio), crop in zip(
                [("16x9", "16:9"), ("4x3", "4:3"), ("1x1", "1:1")], crops, strict=True
            )
        ],
    }
    assert [(r["width"], r["height"]) for r in picture["renditions"]] == [
        (1280, 720),
        (1280, 960),
        (1280, 1280),
    ]


def test_lead_picture_falls_back_to_its_own_caption(client, clock):
    image = make_image(caption="The picture's own caption.")
    article = make_article(lead_picture=image)

    picture = get_item(client, article)["associations"][0]

    assert picture["descriptions"][0] == {"role": "caption", "value": "The picture's own caption."}


def test_translation_links_its_original(client, story):
    original = story.translation_of

    associations = get_item(client, story)["associations"]

    assert associations[1] == {
        "name": "original-de",
        "rel": "original",
        "uri": item_uri(original),
        "type": "text",
        "representationType": "partial",
        "language": "de",
        "headlines": [{"role": "main", "value": "Kontrollverlust im Kreml"}],
        "renditions": [
            {
                "name": "web",
                "title": "Kontrollverlust im Kreml",
                "href": "http://testserver/politik/kontrollverlust-im-kreml/",
                "contentType": "text/html",
            }
        ],
    }


def test_original_links_its_translation_in_its_own_language(client, clock, story):
    Correction.objects.create(
        article=story.translation_of, text="Ein Name war falsch.", created_at=clock.now
    )
    story.translation_of.authors.add(make_author(name="Lena Brandt"))
    story.translation_of.type_of_work = Article.TypeOfWork.ANALYSIS
    story.translation_of.save()

    item = get_item(client, story.translation_of)

    assert [(a["rel"], a["uri"], a["language"]) for a in item["associations"]] == [
        ("translation", item_uri(story), "en")
    ]
    assert item["by"] == "Jens Kiffmeier und Lena Brandt"
    assert item["genres"][0]["name"] == "Analyse"
    assert item["edNote"].startswith("Korrektur (2026-04-05): ")


def test_unpublished_translation_is_not_linked(client, story):
    story.status = Article.Status.UNPUBLISHED
    story.save()

    assert "associations" not in get_item(client, story.translation_of)


def test_uri_survives_a_new_slug_and_section(client, story):
    before = get_item(client, story)
    story.slug = "defector-in-berlin"
    story.section = make_section(name="Germany", slug="germany")
    story.save()

    after = get_item(client, story)

    assert after["uri"] == before["uri"] == item_uri(story)
    assert after["renditions"][0]["href"] == "http://testserver/germany/defector-in-berlin/"
