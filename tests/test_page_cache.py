"""The page cache: readers' responses served from the shared cache without a query, with the
HTTP caching headers; staff, previews and changes in flight never touch it."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from articles import caching
from articles.editing import save_story
from articles.models import Article, Page

from .cache_support import cache_control, commit, queries_of, served_from_cache
from .conftest import at, make_article, make_author, make_section, make_source, make_staff

pytestmark = pytest.mark.django_db

STORY = "/world/defector-reaches-berlin/"


@pytest.fixture
def newsroom(clock):
    """A story on the Kremlin in World and one on markets in Europe, published and committed."""
    world = make_section(name="World", slug="world")
    jens = make_author(name="Jens Kiffmeier", slug="jens-kiffmeier")
    dossier = make_source(name="Dossier Center", slug="dossier-center")
    story = make_article(
        headline="Defector reaches Berlin",
        slug="defector-reaches-berlin",
        section=world,
        authors=[jens],
        sources=[dossier],
        tags=["Kremlin"],
        published_at=at("2026-04-05 09:00"),
    )
    other = make_article(
        headline="Markets calm",
        slug="markets-calm",
        section=make_section(name="Europe", slug="europe"),
        tags=["Economy"],
        published_at=at("2026-04-05 10:00"),
    )
    Page.objects.create(title="Masthead", slug="masthead", role=Page.Role.MASTHEAD)
    commit()
    return SimpleNamespace(world=world, jens=jens, dossier=dossier, story=story, other=other)


def reader_urls(newsroom) -> list[str]:
    """One address of every kind readers (and their feed readers and crawlers) ask for."""
    return [
        "/",
        "/latest/",
        "/latest/?page=1",
        "/world/",
        STORY,
        "/author/jens-kiffmeier/",
        "/tag/kremlin/",
        "/source/dossier-center/",
        "/pages/masthead/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/section/world/rss/",
        "/feeds/author/jens-kiffmeier/atom/",
        "/feeds/tag/kremlin/rss/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
        "/robots.txt",
        "/api/ninjs/articles/",
        "/api/ninjs/articles/?section=world&page_size=5",
        f"/api/ninjs/articles/{newsroom.story.pk}/",
    ]


def test_every_channel_is_served_from_the_cache_without_a_query(client, newsroom):
    for url in reader_urls(newsroom):
        first = client.get(url)
        assert first.status_code == 200, url

        count, again = queries_of(client, url)

        assert count == 0, url
        assert again.content == first.content, url
        assert again["Content-Type"] == first["Content-Type"], url


def test_a_cached_page_costs_no_query_after_changes_to_what_it_does_not_show(client, newsroom):
    client.get(STORY)
    newsroom.other.headline = "Markets calmer"
    save_story(newsroom.other)
    commit()

    assert served_from_cache(client, STORY)  # its keys' versions, read from the cache alone
    assert not served_from_cache(client, "/europe/markets-calm/")


def test_staff_are_never_served_a_cached_page(editor_client, newsroom):
    Client().get(STORY)  # a reader's visit puts it in the cache

    count, response = queries_of(editor_client, STORY)

    assert count > 0
    assert {"private", "no-store"} <= cache_control(response).keys()
    assert "Surrogate-Key" not in response
    assert response["Vary"] == "Cookie"


def test_staff_leave_nothing_in_the_cache_for_readers(client, editor, newsroom):
    staff = Client()
    staff.force_login(editor)
    staff.get(STORY)
    staff.get("/")

    assert not served_from_cache(client, STORY)
    assert not served_from_cache(client, "/")


def test_cached_pages_set_no_cookie_and_hold_no_csrf_token(client, newsroom):
    for url in ["/", STORY, "/search/?q=defector"]:
        client.get(url)
        response = client.get(url)

        assert not response.cookies, url
        assertNotContains(response, "csrfmiddlewaretoken")


def test_readers_responses_carry_caching_headers_and_surrogate_keys(client, newsroom):
    response = client.get(STORY)

    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    assert (
        response["Cache-Control"] == "public, max-age=30, s-maxage=300, stale-while-revalidate=30"
    )
    assert response["Vary"] == "Cookie"
    keys = set(response["Surrogate-Key"].split())
    story, tag = newsroom.story, newsroom.story.tags.get()
    assert {
        f"article-{story.pk}",
        f"section-{newsroom.world.pk}",
        f"author-{newsroom.jens.pk}",
        f"source-{newsroom.dossier.pk}",
        f"tag-{tag.pk}",
        # The related stories are chosen from these lists; "Also in" from the family.
        f"list-tag-{tag.pk}",
        f"list-section-{newsroom.world.pk}",
        f"translations-{story.pk}",
        "site",
    } <= keys
    assert f"article-{newsroom.other.pk}" not in keys
    assert set(response["Cache-Tag"].split(",")) == keys


def test_lists_carry_the_keys_of_their_stories(client, newsroom):
    keys = set(client.get("/")["Surrogate-Key"].split())

    assert {"home", f"article-{newsroom.story.pk}", f"article-{newsroom.other.pk}"} <= keys
    assert f"author-{newsroom.jens.pk}" in keys


def test_caching_headers_follow_the_settings(client, settings, newsroom):
    settings.NEWSROOM_CACHE_MAX_AGE = 5
    settings.NEWSROOM_CACHE_S_MAXAGE = 3600
    settings.NEWSROOM_CACHE_STALE_WHILE_REVALIDATE = 0

    assert client.get(STORY)["Cache-Control"] == "public, max-age=5, s-maxage=3600"


@pytest.mark.parametrize(
    "url", ["/", "/world/", STORY, "/author/jens-kiffmeier/", "/tag/kremlin/", "/pages/masthead/"]
)
def test_conditional_get_is_answered_304_from_the_cache(client, newsroom, url):
    first = client.get(url)

    for headers in [
        {"if-none-match": first["ETag"]},
        {"if-modified-since": first["Last-Modified"]},
    ]:
        count, response = queries_of(client, url, **headers)

        assert response.status_code == 304
        assert count == 0
        assert response["ETag"] == first["ETag"]
        assert response["Cache-Control"] == first["Cache-Control"]


@pytest.mark.parametrize(
    "url",
    ["/", "/world/", STORY, "/author/jens-kiffmeier/", "/tag/kremlin/", "/source/dossier-center/"]
    + ["/pages/masthead/", "/search/?q=defector", "/search/"],
)
def test_every_public_html_page_has_validators(client, newsroom, url):
    for response in [client.get(url), client.get(url)]:  # made, then from the cache
        assert response.status_code == 200
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"].endswith(" GMT")


def test_a_change_makes_conditional_gets_answer_200(client, newsroom):
    first = client.get(STORY)
    newsroom.story.headline = "Defector reaches Berlin safely"
    save_story(newsroom.story)
    commit()

    response = client.get(STORY, headers={"if-none-match": first["ETag"]})

    assert response.status_code == 200
    assertContains(response, "Defector reaches Berlin safely")


def test_a_page_made_again_unchanged_keeps_its_validators(client, clock, newsroom):
    first = client.get(STORY)
    clock.advance(minutes=3)
    caching.bump_versions(["site"])  # everything made again, nothing changed

    assert not served_from_cache(client, STORY)
    again = client.get(STORY)
    assert (again["ETag"], again["Last-Modified"]) == (first["ETag"], first["Last-Modified"])


def test_a_change_in_flight_is_neither_served_from_nor_kept_in_the_cache(client, newsroom):
    assertContains(client.get(STORY), "Defector reaches Berlin")
    sequence = cache.get(caching.SEQUENCE_KEY)

    newsroom.story.headline = "Defector vanishes"
    save_story(newsroom.story)

    # The connection that changed it reads its own change, and keeps it from every cache:
    response = client.get(STORY)
    assertContains(response, "Defector vanishes")
    assert "no-store" in cache_control(response)
    # while for the other app servers, the old copy stays current until the commit.
    assert cache.get(caching.SEQUENCE_KEY) == sequence

    commit()
    assert cache.get(caching.SEQUENCE_KEY) > sequence
    assert "public" in cache_control(client.get(STORY))
    assert served_from_cache(client, STORY)


def test_parameters_the_view_does_not_read_share_one_copy(client, newsroom):
    client.get("/latest/")

    assert served_from_cache(client, "/latest/?utm_source=newsletter")
    assert not served_from_cache(client, "/latest/?page=1")  # another copy, made once


def test_search_answers_are_not_kept_by_the_app_servers_but_may_be_by_a_cdn(client, newsroom):
    url = "/search/?q=defector"
    client.get(url)

    count, response = queries_of(client, url)

    assert count > 0
    assertContains(response, "Defector reaches Berlin")
    assert cache_control(response)["s-maxage"] == "300"
    assert {"search", f"article-{newsroom.story.pk}"} <= set(response["Surrogate-Key"].split())


def test_a_missing_page_is_not_cached(client, newsroom):
    for _ in range(2):
        count, response = queries_of(client, "/world/no-such-story/")
        assert response.status_code == 404
        assert count > 0
        assert "public" not in response.get("Cache-Control", "")


def test_a_withdrawn_story_answers_410_from_the_cache_until_it_is_republished(
    client, newsroom, django_capture_on_commit_callbacks
):
    from articles import workflow

    chief = make_staff("Editor", username="chief")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(newsroom.story, "unpublish", chief, comment="Legal takedown")
    assert client.get(STORY).status_code == 410
    assert served_from_cache(client, STORY)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(newsroom.story, "redraft", chief)
        workflow.apply(newsroom.story, "publish", chief)

    assert client.get(STORY).status_code == 200


def test_page_cache_seconds_zero_keeps_nothing_but_sends_the_headers(client, settings, newsroom):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    client.get(STORY)

    count, response = queries_of(client, STORY)

    assert count > 0
    assert "s-maxage" in cache_control(response)


def test_head_requests_are_answered_from_the_cache(client, newsroom):
    client.get(STORY)

    with CaptureQueriesContext(connection) as queries:
        response = client.head(STORY)

    assert len(queries) == 0
    assert response.status_code == 200
    assert response.content == b""


def test_a_version_missing_from_the_cache_counts_as_a_change(client, newsroom):
    client.get(STORY)
    caching.bump_versions(["something-else"])  # the sequence moves on
    cache.delete(caching.VERSION_KEY + f"article-{newsroom.story.pk}")  # evicted

    assert not served_from_cache(client, STORY)
    assert served_from_cache(client, STORY)


def test_the_sequence_starts_again_above_every_version_it_gave(newsroom):
    first = caching.bump_versions(["home"])
    cache.delete(caching.SEQUENCE_KEY)  # evicted

    assert caching.bump_versions(["home"]) > first


@pytest.mark.parametrize("status", [201, 301, 302, 403, 404, 500])
def test_only_200_and_410_are_kept(status, newsroom):
    made = []

    @caching.cached_for_readers()
    def view(request):
        made.append(request)
        return HttpResponse("answer", status=status)

    for _ in range(2):
        view(RequestFactory().get("/kept/"))

    assert len(made) == 2


def test_a_response_setting_a_cookie_is_not_kept(newsroom):
    made = []

    @caching.cached_for_readers()
    def view(request):
        made.append(request)
        response = HttpResponse("answer")
        response.set_cookie("flavour", "chocolate")
        return response

    answers = [view(RequestFactory().get("/kept/")) for _ in range(2)]

    assert len(made) == 2
    assert all(answer.cookies["flavour"].value == "chocolate" for answer in answers)
    assert all("private" in cache_control(answer) for answer in answers)


def test_a_request_with_a_session_cookie_bypasses_the_cache(client, newsroom):
    client.get(STORY)
    client.cookies["sessionid"] = "whatever"

    assert not served_from_cache(client, STORY)


def test_previews_and_share_links_are_never_cached(client, editor_client, newsroom):
    from .admin_forms import admin_url

    draft = make_article(section=newsroom.world, status=Article.Status.DRAFT, published_at=None)
    commit()
    preview = editor_client.get(admin_url(draft, "preview/"))
    assert {"private", "no-store"} <= cache_control(preview).keys()
    link = draft.preview_links.create(expires_at=at("2026-04-06 12:00"))
    commit()
    reader = Client()

    for _ in range(2):
        count, response = queries_of(reader, link.get_absolute_url())
        assert response.status_code == 200
        assert count > 0
        assert {"private", "no-store"} <= cache_control(response).keys()
