"""Each process's own copies of the pages it served: current exactly when the shared cache's
copy would be, so a change made on another app server drops them too."""

import pytest
from django.core.cache import cache

from articles import caching
from articles.editing import save_story

from .cache_support import commit, served_from_cache
from .conftest import at, make_article, make_section

pytestmark = pytest.mark.django_db

STORY = "/world/defector-reaches-berlin/"


@pytest.fixture
def story(clock):
    story = make_article(
        headline="Defector reaches Berlin",
        slug="defector-reaches-berlin",
        section=make_section(name="World", slug="world"),
        published_at=at("2026-04-05 09:00"),
    )
    commit()
    return story


@pytest.fixture
def pages_fetched(monkeypatch) -> list[str]:
    """The cache addresses of the pages fetched from the shared cache (not their versions)."""
    fetched = []
    get = cache.get

    def recording_get(key, *args, **kwargs):
        if key.startswith(caching.RESPONSE_KEY):
            fetched.append(key)
        return get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", recording_get)
    return fetched


def test_a_page_served_again_is_not_fetched_from_the_shared_cache(client, story, pages_fetched):
    first = client.get(STORY)
    pages_fetched.clear()

    again = client.get(STORY)

    assert pages_fetched == []
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_a_change_to_something_else_keeps_the_process_copy(client, story, pages_fetched):
    client.get(STORY)
    caching.bump_versions(["tag-99"])
    pages_fetched.clear()

    assert served_from_cache(client, STORY)
    assert pages_fetched == []


def test_a_change_made_on_another_app_server_drops_the_process_copy(client, story):
    client.get(STORY)
    # Another server saved the story: its version moved in the shared cache, not in this process.
    caching.bump_versions([caching.surrogate_key(story)])

    assert not served_from_cache(client, STORY)
    assert served_from_cache(client, STORY)


def test_a_check_between_a_changes_two_writes_does_not_vouch_for_the_copy_later(client, story):
    client.get(STORY)
    # Another server's change has taken its sequence number but not yet written its versions:
    # a request now still finds the copy current, as nothing says otherwise yet.
    sequence = cache.incr(caching.SEQUENCE_KEY)
    assert served_from_cache(client, STORY)
    cache.set(caching.VERSION_KEY + caching.surrogate_key(story), sequence, timeout=None)

    assert not served_from_cache(client, STORY)


def test_a_flushed_shared_cache_drops_the_process_copy(client, story):
    client.get(STORY)
    cache.clear()

    assert not served_from_cache(client, STORY)


def test_a_saved_story_is_shown_at_once(client, story):
    client.get(STORY)
    story.headline = "Defector reaches Berlin safely"
    save_story(story)
    commit()

    assert b"Defector reaches Berlin safely" in client.get(STORY).content


def test_the_process_keeps_at_most_its_number_of_copies(client, story, pages_fetched, monkeypatch):
    monkeypatch.setattr(caching.process_copies, "size", 1)
    client.get(STORY)
    client.get("/world/")  # the story's copy makes room for this one
    pages_fetched.clear()

    client.get("/world/")
    assert pages_fetched == []
    assert served_from_cache(client, STORY)  # from the shared cache
    assert len(pages_fetched) == 1


def test_no_process_copies_when_the_size_is_zero(client, story, pages_fetched, monkeypatch):
    monkeypatch.setattr(caching.process_copies, "size", 0)
    client.get(STORY)
    pages_fetched.clear()

    assert served_from_cache(client, STORY)
    assert len(pages_fetched) == 1
