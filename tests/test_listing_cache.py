"""Cached listings (the sitemaps here; every channel in test_invalidation.py): every change
to what they list shows at once, and so does time."""

import pytest
from django.core.cache import cache
from pytest_django.asserts import assertContains, assertNotContains

from articles import caching, workflow
from articles.editing import save_story
from articles.models import Article, Correction, Section

from .cache_support import cache_control, commit
from .conftest import at, make_article, make_author, make_section, make_staff

pytestmark = pytest.mark.django_db

Status = Article.Status
ADDRESS = "http://testserver/world/defector-reaches-berlin/"
SITEMAPS = ["/sitemap.xml", "/sitemap-articles.xml", "/sitemap-authors.xml", "/sitemap-tags.xml"]


@pytest.fixture
def chief():
    return make_staff("Editor", username="chief")


@pytest.fixture
def world(clock):
    return make_section(name="World", slug="world")


def make_story(world, **fields) -> Article:
    """A story published at 09:00 on 5 April, by Jens Kiffmeier, tagged Kremlin (committed)."""
    story = make_article(
        section=world,
        authors=[make_author(name="Jens Kiffmeier", slug="jens-kiffmeier")],
        tags=["Kremlin"],
        **{"slug": "defector-reaches-berlin", "published_at": at("2026-04-05 09:00")} | fields,
    )
    commit()
    return story


def fetch(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def warm(client) -> dict[str, str]:
    """Each sitemap as crawlers get it, now kept in the cache."""
    return {url: fetch(client, url) for url in SITEMAPS}


def test_warm_sitemaps_are_served_from_the_cache(client, world, django_assert_num_queries):
    make_story(world)
    first = warm(client)

    with django_assert_num_queries(0):
        assert warm(client) == first
    assert ADDRESS in first["/sitemap-articles.xml"]


def test_unpublishing_drops_the_story_from_every_cached_sitemap_at_once(
    client, world, chief, django_capture_on_commit_callbacks
):
    story = make_story(world)
    before = warm(client)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(story, "unpublish", chief, comment="Legal takedown")

    after = warm(client)
    assert ADDRESS in before["/sitemap-articles.xml"]
    assert ADDRESS not in after["/sitemap-articles.xml"]
    assert "/author/jens-kiffmeier/" not in after["/sitemap-authors.xml"]
    assert "/tag/kremlin/" not in after["/sitemap-tags.xml"]
    # The index no longer dates its sitemaps by the withdrawn story.
    assert "<lastmod>" in before["/sitemap.xml"]
    assert "<lastmod>" not in after["/sitemap.xml"]


def test_publishing_adds_the_story_to_the_cached_sitemaps_at_once(
    client, world, chief, django_capture_on_commit_callbacks
):
    story = make_story(world, status=Status.IN_REVIEW, published_at=None)
    assert ADDRESS not in warm(client)["/sitemap-articles.xml"]

    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(story, "publish", chief)

    assert ADDRESS in fetch(client, "/sitemap-articles.xml")


def test_cached_sitemaps_are_dropped_only_once_the_change_is_committed(
    client, world, chief, django_capture_on_commit_callbacks
):
    story = make_story(world)
    warm(client)
    versions = cache.get_many(caching.VERSION_KEY + key for key in ["sitemap", "home"])

    with django_capture_on_commit_callbacks() as callbacks:
        workflow.apply(story, "unpublish", chief, comment="Legal takedown")
        # Until the commit, other servers still read the old rows: the old copy stays theirs.
        assert cache.get_many(caching.VERSION_KEY + key for key in ["sitemap", "home"]) == versions

    for callback in callbacks:
        callback()
    assert ADDRESS not in fetch(client, "/sitemap-articles.xml")


def test_editing_a_published_story_updates_the_cached_sitemaps(
    client, clock, world, django_capture_on_commit_callbacks
):
    story = make_story(world)
    warm(client)
    clock.now = at("2026-04-05 12:30")

    with django_capture_on_commit_callbacks(execute=True):
        story.slug = "defector-arrives-in-berlin"
        save_story(story)

    listed = fetch(client, "/sitemap-articles.xml")
    assert "/world/defector-arrives-in-berlin/" in listed
    assert "2026-04-05T12:30:00+02:00" in fetch(client, "/sitemap.xml")


def test_a_correction_updates_the_cached_sitemaps(
    client, world, django_capture_on_commit_callbacks
):
    story = make_story(world)
    warm(client)

    with django_capture_on_commit_callbacks(execute=True):
        Correction.objects.create(
            article=story, text="The border was crossed at dusk.", created_at=at("2026-04-05 12:15")
        )

    assertContains(client.get("/sitemap-articles.xml"), "2026-04-05T12:15:00+02:00")


def test_renaming_a_section_updates_the_cached_sitemaps(
    client, world, django_capture_on_commit_callbacks
):
    make_story(world)
    warm(client)

    with django_capture_on_commit_callbacks(execute=True):
        world.slug = "international"
        world.save()

    assertContains(client.get("/sitemap-articles.xml"), "/international/defector-reaches-berlin/")


def test_saving_a_draft_keeps_the_cached_sitemaps(
    client, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    make_story(world)
    draft = make_article(section=world, status=Status.DRAFT, published_at=None)
    commit()
    warm(client)

    with django_capture_on_commit_callbacks(execute=True):
        draft.headline = "Still being written"
        save_story(draft)

    with django_assert_num_queries(0):
        warm(client)


def test_story_leaves_the_cached_sitemaps_at_its_takedown_time(client, clock, world):
    make_story(world, expires_at=at("2026-04-05 12:30"))
    assert ADDRESS in warm(client)["/sitemap-articles.xml"]

    clock.now = at("2026-04-05 12:29:59")
    assert ADDRESS in fetch(client, "/sitemap-articles.xml")

    clock.now = at("2026-04-05 12:30")
    for content in warm(client).values():
        assert "defector-reaches-berlin" not in content
        assert "jens-kiffmeier" not in content


def test_scheduled_story_joins_the_cached_sitemaps_at_its_time(client, clock, world):
    make_story(world, published_at=at("2026-04-05 12:30"))
    assertNotContains(client.get("/sitemap-articles.xml"), ADDRESS)

    clock.now = at("2026-04-05 12:30")

    assertContains(client.get("/sitemap-articles.xml"), ADDRESS)


@pytest.fixture
def cache_timeouts(monkeypatch) -> list[int]:
    """The timeouts cached responses are stored with, in order."""
    timeouts = []
    store = cache.set

    def recording_set(key, value, timeout=None, *args, **kwargs):
        if key.startswith(caching.RESPONSE_KEY):
            timeouts.append(timeout)
        return store(key, value, timeout, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    return timeouts


def test_cache_never_outlives_the_next_publication_or_takedown(
    client, clock, settings, world, cache_timeouts
):
    make_article(section=world, published_at=at("2026-04-05 12:05"))
    make_story(world, expires_at=at("2026-04-05 14:00"))

    fetch(client, "/sitemap-articles.xml")  # 5 minutes to the publication
    clock.now = at("2026-04-05 12:10")
    fetch(client, "/sitemap-authors.xml")  # 110 minutes to the takedown
    clock.now = at("2026-04-05 13:59:30")
    fetch(client, "/sitemap-tags.xml")  # 30 seconds to it
    clock.now = at("2026-04-05 14:00")
    fetch(client, "/sitemap.xml")  # nothing scheduled any more

    longest = settings.NEWSROOM_PAGE_CACHE_SECONDS
    assert cache_timeouts == [5 * 60, longest, 30, longest]


def test_the_next_scheduled_change_costs_two_queries_for_the_whole_site_after_a_change(
    client, clock, world, django_assert_num_queries
):
    make_story(world)
    assert Section.objects.exists()

    # Stories' publication and takedown times, front page layouts' go-live times.
    with django_assert_num_queries(2 + 2):
        fetch(client, "/sitemap-articles.xml")
    with django_assert_num_queries(2):
        fetch(client, "/sitemap-tags.xml")


def test_versions_are_kept_in_the_shared_cache(client, world, django_assert_num_queries):
    """App servers share nothing but the cache; the versions live there, and only there."""
    make_story(world)
    warm(client)

    caching.bump_versions(["sitemap"])  # what another server's invalidation does

    with django_assert_num_queries(2 + 2):  # made again, and the next scheduled change
        fetch(client, "/sitemap-tags.xml")
    with django_assert_num_queries(0):
        fetch(client, "/sitemap-tags.xml")


def test_cached_sitemaps_tell_downstream_caches_how_long_to_keep_them(client, world):
    make_story(world)

    for response in [client.get("/sitemap.xml"), client.get("/sitemap.xml")]:
        assert cache_control(response)["s-maxage"] == "300"
        assert "sitemap" in response["Surrogate-Key"].split()
