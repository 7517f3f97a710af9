"""The content API over HTTP: published articles only, filters, pagination, bad input,
conditional GET and the query budget."""

from datetime import timedelta

import pytest
from django.utils.http import http_date

from articles.models import Article, Citation, Correction, Tag

from .api_support import LIST_URL, detail_url, get_item, get_list, item_uri, listed_uris
from .cache_support import commit
from .conftest import (
    HIDDEN_STATES,
    at,
    count_queries,
    make_article,
    make_author,
    make_section,
    make_source,
    warm_sitewide_cache,
)
from .images_support import make_image, picture_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def five(clock):
    """Five stories published an hour apart, the newest first."""
    return [make_article(published_at=clock.now - timedelta(hours=hours)) for hours in range(1, 6)]


def test_list_is_newest_first_in_an_envelope(client, five):
    page = get_list(client)

    assert page["count"] == 5
    assert (page["page"], page["pages"], page["page_size"]) == (1, 1, 20)
    assert page["next"] is None and page["previous"] is None
    assert [item["uri"] for item in page["items"]] == [item_uri(story) for story in five]


def test_pages_link_each_other(client, five):
    first = get_list(client, "page_size=2")
    second = client.get(first["next"]).json()
    last = client.get(second["next"]).json()

    assert (first["pages"], first["previous"]) == (3, None)
    assert first["next"] == "http://testserver/api/ninjs/articles/?page_size=2&page=2"
    assert second["previous"] == "http://testserver/api/ninjs/articles/?page_size=2&page=1"
    assert last["next"] is None
    uris = [item["uri"] for page in (first, second, last) for item in page["items"]]
    assert uris == [item_uri(story) for story in five]


def test_page_links_keep_the_filters(client, clock):
    section = make_section(slug="world")
    for _ in range(3):
        make_article(section=section, tags=["kremlin"])

    page = get_list(client, "section=world&tag=kremlin&updated_since=2026-04-05&page_size=1")

    assert page["next"] == (
        "http://testserver/api/ninjs/articles/?section=world&tag=kremlin"
        "&updated_since=2026-04-04T22%3A00%3A00%2B00%3A00&page_size=1&page=2"
    )
    assert get_list(client, page["next"].split("?")[1])["count"] == 3


def test_page_size_is_capped(client, five):
    page = get_list(client, "page_size=1000")

    assert page["page_size"] == 100
    assert len(page["items"]) == 5


def test_page_past_the_end_is_404(client, five):
    response = client.get(f"{LIST_URL}?page=2")

    assert response.status_code == 404
    assert response.json()["parameter"] == "page"


def test_empty_list_has_one_empty_page(client, db):
    page = get_list(client)

    assert (page["count"], page["pages"], page["items"]) == (0, 1, [])


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("page=1e3", "page"),
        ("page=%D9%A3", "page"),  # an Arabic-Indic three
        ("page=" + "9" * 5000, "page"),
        ("page_size=0", "page_size"),
        ("page_size=ten", "page_size"),
        ("section=not%20a%20slug", "section"),
        ("author=%3Cscript%3E", "author"),
        ("tag=%00", "tag"),
        ("section=" + "a" * 201, "section"),
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=2026-13-01", "updated_since"),
        ("updated_since=2026-04-05T25:00:00", "updated_since"),
        ("updated_since=%00", "updated_since"),
        ("updated_since=0001-01-01T00:00:00%2B01:00", "updated_since"),
    ],
)
def test_bad_parameter_is_400_naming_it(client, five, query, parameter):
    response = client.get(f"{LIST_URL}?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["parameter"] == parameter


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("page=", 200),  # the first page
        ("page=1&page=x", 400),  # the last value counts
        ("unknown=1", 200),
        ("section=%F0%9F%92%A5", 400),
        ("tag=%C3%BC", 200),  # a tag's slug may be any letter
        ("updated_since=9999-12-31T23:59:59Z", 200),
        ("updated_since=0001-01-02", 200),
        ("page_size=99999999999999999999999", 200),  # capped
        ("page=99999999999999999999999", 404),  # past the end
        ("%FF=%FF", 200),
        ("section[]=x&page[]=2", 200),  # unknown names
    ],
)
def test_odd_query_is_answered_by_the_rules_of_its_parameters(client, five, query, status):
    response = client.get(f"{LIST_URL}?{query}")

    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize(
    "headers",
    [
        {"if-none-match": "garbage"},
        {"if-none-match": '"unquoted, W/"x'},
        {"if-modified-since": "yesterday"},
        {"if-modified-since": "Mon, 99 Foo 99999 99:99:99 GMT"},
    ],
)
def test_unreadable_or_unmatched_validators_get_the_full_response(client, five, headers):
    for url in [LIST_URL, detail_url(five[0])]:
        response = client.get(url, headers=headers)

        assert response.status_code == 200
        assert response.json()


def test_if_match_naming_another_version_is_412_precondition_failed(client, five):
    # RFC 9110, 13.1.1: If-Match compares strongly, so no entity tag matches the API's weak
    # ones; a client asking for a version it would not get is told so, not sent another.
    for url in [LIST_URL, detail_url(five[0])]:
        current = client.get(url)["ETag"]
        for if_match in ['"nope"', current]:
            response = client.get(url, headers={"if-match": if_match})

            assert response.status_code == 412, if_match


def test_only_reading_is_allowed(client, five):
    assert client.post(LIST_URL).status_code == 405
    assert client.delete(detail_url(five[0])).status_code == 405
    assert client.head(LIST_URL).status_code == 200


def test_list_filters_by_section_author_and_tag_alone_or_together(client, clock):
    world, sport = make_section(slug="world"), make_section(slug="sport")
    anna, jens = make_author(slug="anna"), make_author(slug="jens")
    both = make_article(section=world, authors=[anna, jens], tags=["kremlin"])
    annas = make_article(section=sport, authors=[anna], tags=["football"])
    jens_world = make_article(section=world, authors=[jens])

    # Published at the same time, the later one comes first.
    assert listed_uris(client, "section=world") == [item_uri(jens_world), item_uri(both)]
    assert listed_uris(client, "author=anna") == [item_uri(annas), item_uri(both)]
    assert listed_uris(client, "tag=kremlin") == [item_uri(both)]
    assert listed_uris(client, "section=world&author=jens&tag=kremlin") == [item_uri(both)]
    assert listed_uris(client, "section=nowhere") == []


def test_section_filter_leaves_out_subsections(client, clock):
    world = make_section(slug="world")
    make_article(section=make_section(slug="europe", parent=world))

    assert listed_uris(client, "section=world") == []


def test_filter_by_updated_since_includes_the_moment_itself(client, clock):
    old = make_article()
    clock.advance(hours=1)
    new = make_article()  # saved at 13:00 Berlin time, 11:00 UTC

    for since in [
        "2026-04-05T11:00:00Z",
        "2026-04-05T13:00:00%2B02:00",
        "2026-04-05T13:00:00+02:00",  # the "+" arrives as a space
        "2026-04-05T13:00:00",  # the site's time zone
    ]:
        assert listed_uris(client, f"updated_since={since}") == [item_uri(new)], since
    assert listed_uris(client, "updated_since=2026-04-05") == [item_uri(new), item_uri(old)]


def test_responses_carry_validators_and_caching_headers(client, five):
    story = five[0]
    commit()
    for url, last_modified in [
        (LIST_URL, max(s.updated_at for s in five)),
        (detail_url(story), story.updated_at),
    ]:
        response = client.get(url)

        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["ETag"].startswith('W/"')
        assert response["Last-Modified"] == http_date(last_modified.timestamp())
        assert (
            response["Cache-Control"]
            == "public, max-age=30, s-maxage=300, stale-while-revalidate=30"
        )
        # Shared caches keep one copy for readers, and none for a logged-in browser.
        assert response["Vary"] == "Cookie"


def test_scheduled_story_counts_from_its_publication_time(client, clock):
    story = make_article(published_at=clock.now + timedelta(hours=1))  # saved an hour before
    clock.advance(hours=2)

    for url in [LIST_URL, detail_url(story)]:
        response = client.get(url)

        assert response["Last-Modified"] == http_date(story.published_at.timestamp())


@pytest.mark.parametrize("url", ["list", "detail"])
def test_conditional_requests_get_304_until_the_story_changes(client, clock, five, url):
    story = five[2]
    url = LIST_URL if url == "list" else detail_url(story)
    first = client.get(url)
    clock.advance(minutes=5)

    by_etag = client.get(url, headers={"if-none-match": first["ETag"]})
    by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})

    for response in [by_etag, by_date]:
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == first["ETag"]
        assert response["Cache-Control"] == first["Cache-Control"]

    story.headline = "A new headline"
    story.save()

    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 200
    assert client.get(url, headers={"if-modified-since": first["Last-Modified"]}).status_code == 200
    assert client.get(url)["ETag"] != first["ETag"]


def test_304_is_answered_without_rendering(client, five, monkeypatch, django_assert_num_queries):
    etags = {url: client.get(url)["ETag"] for url in [LIST_URL, detail_url(five[0])]}

    def fail(*args, **kwargs):
        raise AssertionError("rendered")

    monkeypatch.setattr("articles.api.article_item", fail)
    warm_sitewide_cache()
    # The list's count and newest change, and its page's keys; the article's validators.
    for url, queries in [(LIST_URL, 2), (detail_url(five[0]), 1)]:
        with django_assert_num_queries(queries):
            response = client.get(url, headers={"if-none-match": etags[url]})

        assert response.status_code == 304


def test_list_etag_changes_when_a_story_leaves_or_the_query_changes(client, clock, five):
    def etag(query: str = "") -> str:
        return client.get(f"{LIST_URL}?{query}")["ETag"]

    first_page = etag("page_size=2")
    assert len({first_page, etag("page_size=2&page=2"), etag("page_size=3"), etag()}) == 4

    five[4].status = Article.Status.UNPUBLISHED  # on the last page
    five[4].save()
    assert etag("page_size=2") != first_page

    unchanged = etag("page_size=2")
    Article.objects.filter(pk=five[3].pk).update(expires_at=clock.now + timedelta(minutes=1))
    clock.advance(minutes=2)  # taken down by the clock: nothing is saved
    assert etag("page_size=2") != unchanged


def test_etag_changes_with_the_policy_pages(client, five):
    from articles.models import Page

    before = client.get(detail_url(five[0]))["ETag"]
    Page.objects.create(title="Masthead", slug="masthead", role="masthead")

    assert client.get(detail_url(five[0]))["ETag"] != before


def make_stories(count: int) -> None:
    """`count` stories with everything the serializer reads, one of them with a translation."""
    image = make_image(picture_bytes((640, 480)))
    source = make_source(homepage_url="https://example.com/")
    authors = [make_author(), make_author()]
    stories = [
        make_article(
            authors=authors,
            sources=[source],
            tags=["kremlin", "putin"],
            lead_picture=image,
            dateline="Moscow",
        )
        for _ in range(count)
    ]
    make_article(language="de", translation_of=stories[0])
    for story in stories:
        Correction.objects.create(article=story, text="Fixed.", created_at=story.updated_at)
        Citation.objects.filter(article=story).update(note="a note", url="https://example.com/")


@pytest.mark.parametrize("count", [3, 20])
def test_list_query_count_does_not_grow_with_the_items(client, clock, count):
    make_stories(count)

    # The count, the page's ids, the stories, their bylines, citations, tags and corrections,
    # and the translations.
    assert count_queries(client, f"{LIST_URL}?page_size=100") == 8


def test_list_count_is_remembered_until_the_list_changes(client, clock):
    make_stories(3)
    commit()
    assert get_list(client, "page_size=100")["count"] == 4

    # The same list at another address (not a page the cache keeps): the budget above less
    # the count, remembered.
    assert count_queries(client, f"{LIST_URL}?page_size=50") == 8 - 1

    make_article(published_at=clock.now - timedelta(minutes=1))
    commit()
    assert get_list(client, "page_size=40")["count"] == 5  # three, a translation, the new one


@pytest.mark.parametrize("kind", ["section", "author", "tag"])
def test_a_filter_finds_what_was_renamed_to_its_slug(client, clock, kind):
    story = make_article(section=make_section(slug="world"), authors=[make_author(slug="world")])
    story.tags.add("world")
    commit()
    assert get_list(client, f"{kind}=globe")["count"] == 0

    renamed = {"section": story.section, "author": story.authors.get(), "tag": story.tags.get()}
    renamed[kind].slug = "globe"
    renamed[kind].save()
    commit()

    assert listed_uris(client, f"{kind}=globe") == [item_uri(story)]
    assert get_list(client, f"{kind}=world")["count"] == 0


def test_merging_tags_moves_the_duplicates_stories_into_the_kept_tags_list(client, clock):
    make_article(tags=["Kremlin"])
    make_article(tags=["The Kremlin"])
    commit()
    assert get_list(client, "tag=kremlin")["count"] == 1

    Tag.objects.filter(slug__in=["kremlin", "the-kremlin"]).merge_into(
        Tag.objects.get(slug="kremlin")
    )
    commit()

    assert get_list(client, "tag=kremlin")["count"] == 2


def test_article_query_count_is_fixed(client, clock):
    make_stories(1)
    story = Article.objects.get(language="en")

    assert count_queries(client, detail_url(story)) == 7


def test_updated_since_accepts_the_versions_it_reports(client, clock, five):
    # Clients poll with the newest versionCreated they have seen.
    newest = max(item["versionCreated"] for item in get_list(client)["items"])
    clock.advance(minutes=10)
    five[3].save()

    assert listed_uris(client, f"updated_since={newest.replace('+', '%2B')}") == [
        item_uri(story) for story in five
    ]
    later = at("2026-04-05 12:05").isoformat().replace("+", "%2B")
    assert listed_uris(client, f"updated_since={later}") == [item_uri(five[3])]


@pytest.fixture
def hidden(clock):
    """Articles readers can't see, in a section, by an author and with a tag shared with one
    they can."""
    section = make_section(slug="hidden-section")
    author = make_author(slug="hidden-author")
    shared = {"section": section, "authors": [author], "tags": ["hidden"]}
    visible = make_article(**shared)
    hidden = {state: make_article(**shared, **fields) for state, fields in HIDDEN_STATES.items()}
    return visible, hidden


@pytest.mark.parametrize(
    "query",
    [
        "",
        "section=hidden-section",
        "author=hidden-author",
        "tag=hidden",
        "updated_since=2000-01-01T00:00:00Z",
        "section=hidden-section&author=hidden-author&tag=hidden&page_size=100",
    ],
)
def test_list_shows_published_articles_only(client, hidden, query):
    visible, _ = hidden

    assert listed_uris(client, query) == [item_uri(visible)]
    assert get_list(client, query)["count"] == 1


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_unpublished_states_are_404(client, hidden, state):
    response = client.get(detail_url(hidden[1][state]))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["status"] == 404


def test_scheduled_article_appears_when_its_time_comes(client, hidden, clock):
    scheduled = hidden[1]["scheduled"]
    clock.now = scheduled.published_at

    assert get_item(client, scheduled)["uri"] == item_uri(scheduled)
    assert item_uri(scheduled) in listed_uris(client)


def test_unknown_article_is_404(client, db):
    for pk in [1, 0, 10**30]:
        response = client.get(f"{LIST_URL}{pk}/")

        assert response.status_code == 404
        assert response.json() == {"status": 404, "error": f"There is no published article {pk}."}
