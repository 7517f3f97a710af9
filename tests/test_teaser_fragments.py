"""Teasers rendered once for readers (caching.fragment()): kept in each process until what they
show changes, so a page made anew renders only the stories that changed, and exactly as it
would have rendered them."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test.signals import template_rendered

from articles import caching
from articles.editing import save_story

from .cache_support import commit
from .conftest import at, make_article, make_author, make_section, make_staff
from .images_support import make_image

pytestmark = pytest.mark.django_db

SECTION = "/world/"


@pytest.fixture(autouse=True)
def pages_made_anew(settings):
    """No page cache, so every request renders its page and only the teasers are kept."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    settings.NEWSROOM_PAGE_COPIES_PER_PROCESS = 0


@pytest.fixture
def newsroom(clock):
    world = make_section(name="World", slug="world")
    jens = make_author(name="Jens Kiffmeier", slug="jens-kiffmeier")
    border = make_image(alt_text="The border crossing at Narva")
    story = make_article(
        headline="Defector reaches Berlin",
        slug="defector-reaches-berlin",
        section=world,
        authors=[jens],
        lead_picture=border,
        published_at=at("2026-04-05 09:00"),
    )
    commit()
    return SimpleNamespace(world=world, jens=jens, border=border, story=story)


@pytest.fixture
def teasers_rendered(monkeypatch) -> list[str]:
    """The headline of each teaser rendered from its template, in order."""
    rendered = []

    def record(sender, template, context, **kwargs):
        if template.name == "articles/_teaser.html":
            rendered.append(context["article"].headline)

    template_rendered.connect(record)
    yield rendered
    template_rendered.disconnect(record)


def test_a_teaser_is_rendered_once_and_the_page_is_the_same(client, newsroom, teasers_rendered):
    first = client.get(SECTION)
    again = client.get(SECTION)

    assert teasers_rendered == ["Defector reaches Berlin"]
    assert again.content == first.content
    # The page still names everything the teaser shows, for its own invalidation and the CDN.
    assert again["Surrogate-Key"] == first["Surrogate-Key"]
    keys = again["Surrogate-Key"].split()
    for thing in [newsroom.story, newsroom.jens, newsroom.border, newsroom.world]:
        assert caching.surrogate_key(thing) in keys


def test_the_home_page_keeps_its_teasers_too(client, newsroom, teasers_rendered):
    client.get("/")
    rendered = len(teasers_rendered)
    client.get("/")

    assert rendered >= 1
    assert len(teasers_rendered) == rendered


def change_headline(newsroom):
    newsroom.story.headline = "Defector speaks in Berlin"
    save_story(newsroom.story)
    return "Defector speaks in Berlin"


def rename_author(newsroom):
    newsroom.jens.name = "Jens K. Kiffmeier"
    newsroom.jens.save()
    return "Jens K. Kiffmeier"


def rename_section(newsroom):
    newsroom.world.name = "World news"
    newsroom.world.save()
    return "World news"


def describe_picture(newsroom):
    newsroom.border.alt_text = "Guards at the Narva crossing"
    newsroom.border.save_change()
    return "Guards at the Narva crossing"


@pytest.mark.parametrize(
    "change", [change_headline, rename_author, rename_section, describe_picture]
)
def test_a_change_to_what_a_teaser_shows_reaches_the_next_page(client, newsroom, change):
    client.get(SECTION)

    shown = change(newsroom)
    commit()

    assert shown in client.get(SECTION).content.decode()


def test_a_change_elsewhere_keeps_the_teaser(client, newsroom, teasers_rendered):
    client.get(SECTION)
    caching.bump_versions(["tag-99", "article-999999"])

    client.get(SECTION)
    client.get(SECTION)

    assert teasers_rendered == ["Defector reaches Berlin"]


def test_a_teaser_found_current_later_is_not_checked_again(client, newsroom, monkeypatch):
    client.get(SECTION)
    caching.bump_versions(["tag-99"])
    client.get(SECTION)  # checks the teaser's versions once, at the new sequence number
    versions_read = []
    get_many = cache.get_many

    def recording_get_many(keys, *args, **kwargs):
        versions_read.extend(key for key in keys if key.startswith(caching.VERSION_KEY))
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", recording_get_many)
    client.get(SECTION)

    assert versions_read == []


def test_staff_pages_render_teasers_anew(client, newsroom, teasers_rendered):
    client.force_login(make_staff("Editor"))

    client.get(SECTION)
    client.get(SECTION)

    assert teasers_rendered == ["Defector reaches Berlin"] * 2


def test_a_key_is_marked_changing_before_the_sequence_moves(newsroom, monkeypatch):
    key = caching.VERSION_KEY + caching.surrogate_key(newsroom.story)
    seen_at_increment = []
    incr = cache.incr

    def recording_incr(name, *args, **kwargs):
        seen_at_increment.append(cache.get(key))
        return incr(name, *args, **kwargs)

    monkeypatch.setattr(cache, "incr", recording_incr)
    sequence = caching.bump_versions([caching.surrogate_key(newsroom.story)])

    assert seen_at_increment == [caching.CHANGING]
    assert cache.get(key) == sequence


def test_a_teaser_checked_while_its_change_is_being_recorded_is_made_again(client, newsroom):
    client.get(SECTION)
    # Another app server has saved the story and moved the sequence on, but not yet written
    # the story's new version: the key is still marked as changing.
    type(newsroom.story).objects.filter(pk=newsroom.story.pk).update(headline="Defector speaks")
    cache.set(caching.VERSION_KEY + caching.surrogate_key(newsroom.story), caching.CHANGING)
    cache.incr(caching.SEQUENCE_KEY)

    assert "Defector speaks" in client.get(SECTION).content.decode()


def test_a_teaser_ends_when_a_scheduled_translation_goes_live(client, newsroom, clock):
    translation = make_article(
        headline="Überläufer erreicht Berlin",
        slug="ueberlaeufer-erreicht-berlin",
        section=newsroom.world,
        language="de",
        translation_of=newsroom.story,
        published_at=at("2026-04-05 12:30"),
    )
    commit()
    assert translation.get_absolute_url() not in client.get(SECTION).content.decode()

    clock.advance(minutes=31)

    assert translation.get_absolute_url() in client.get(SECTION).content.decode()
