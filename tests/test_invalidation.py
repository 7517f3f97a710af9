"""Exact invalidation: each kind of change drops every cached response showing what changed, in
every channel at once, and leaves the others in the cache; time changes what readers see too."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from articles import workflow
from articles.editing import save_story
from articles.models import (
    Article,
    Author,
    AuthorLink,
    Correction,
    FrontPage,
    Page,
    Publication,
    Tag,
)

from .cache_support import commit, served_from_cache
from .conftest import (
    HIDDEN_STATES,
    at,
    make_article,
    make_author,
    make_section,
    make_source,
    make_staff,
)
from .images_support import make_image

pytestmark = pytest.mark.django_db

Status = Article.Status
STORY = "/russia/defector-reaches-berlin/"
RELATED = "/world/kremlin-reshuffle/"
OTHER = "/europe/markets-calm/"


@pytest.fixture
def site(clock, settings, tmp_path):
    """World (with Russia in it) and Europe; a story in Russia by Jens Kiffmeier, tagged
    Kremlin, citing the Dossier Center, with a picture; a related story in World tagged Kremlin;
    an unrelated one in Europe; a masthead. All published and committed."""
    settings.MEDIA_ROOT = tmp_path
    world = make_section(name="World", slug="world")
    russia = make_section(name="Russia", slug="russia", parent=world)
    europe = make_section(name="Europe", slug="europe")
    jens = make_author(name="Jens Kiffmeier", slug="jens")
    anna = make_author(name="Anna Weber", slug="anna")
    dossier = make_source(name="Dossier Center", slug="dossier-center")
    picture = make_image(caption="The border crossing at dawn")
    story = make_article(
        headline="Defector reaches Berlin",
        slug="defector-reaches-berlin",
        section=russia,
        authors=[jens],
        sources=[dossier],
        tags=["Kremlin"],
        lead_picture=picture,
        published_at=at("2026-04-05 09:00"),
    )
    related = make_article(
        headline="Kremlin reshuffle",
        slug="kremlin-reshuffle",
        section=world,
        authors=[anna],
        tags=["Kremlin"],
        published_at=at("2026-04-05 08:00"),
    )
    other = make_article(
        headline="Markets calm",
        slug="markets-calm",
        section=europe,
        authors=[anna],
        tags=["Economy"],
        published_at=at("2026-04-05 10:00"),
    )
    masthead = Page.objects.create(title="Masthead", slug="masthead", role=Page.Role.MASTHEAD)
    commit()
    return SimpleNamespace(**locals())


@pytest.fixture
def chief():
    return make_staff("Editor", username="chief")


def channels(site) -> list[str]:
    """Every list a story by Jens in Russia, tagged Kremlin and citing the Dossier Center is on."""
    return [
        "/",
        "/russia/",
        "/author/jens/",
        "/tag/kremlin/",
        "/source/dossier-center/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/section/russia/rss/",
        "/feeds/author/jens/rss/",
        "/feeds/tag/kremlin/atom/",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
        "/api/ninjs/articles/",
        "/api/ninjs/articles/?tag=kremlin",
    ]


def warm(client, urls: list[str]) -> None:
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert served_from_cache(client, url), url


def assert_everywhere(client, urls: list[str], text: str, shown: bool = True) -> None:
    for url in urls:
        content = client.get(url).content.decode()
        assert (text in content) is shown, f"{text!r} {'missing from' if shown else 'on'} {url}"


def new_story(site, **fields) -> Article:
    """A story like the first one, in review, committed."""
    defaults = {
        "headline": "Second defector found",
        "slug": "second-defector",
        "status": Status.IN_REVIEW,
        "published_at": None,
    }
    story = make_article(
        section=site.russia,
        authors=[site.jens],
        sources=[site.dossier],
        tags=["Kremlin"],
        **defaults | fields,
    )
    commit()
    return story


def test_publishing_shows_the_story_in_every_channel_and_related_box_at_once(client, site, chief):
    story = new_story(site)
    urls = [*channels(site), RELATED]
    warm(client, urls + [OTHER, "/europe/"])
    assert_everywhere(client, urls, "second-defector", shown=False)

    workflow.apply(story, "publish", chief)
    commit()

    assert_everywhere(client, urls, "second-defector")
    assert client.get("/russia/second-defector/").status_code == 200
    assert served_from_cache(client, OTHER)  # shows nothing of it
    assert served_from_cache(client, "/europe/")


def test_editing_a_story_updates_every_response_showing_it(client, site):
    urls = [RELATED, STORY, "/", "/world/", "/author/anna/", "/feeds/rss/", "/api/ninjs/articles/"]
    warm(client, urls + [OTHER, "/europe/"])

    site.related.headline = "Kremlin reshuffle deepens"
    save_story(site.related)
    commit()

    assert_everywhere(client, urls, "Kremlin reshuffle deepens")
    assert served_from_cache(client, OTHER)
    assert served_from_cache(client, "/europe/")


def test_a_correction_reaches_the_story_and_its_channels(client, site):
    api_item = f"/api/ninjs/articles/{site.story.pk}/"
    warm(client, [STORY, api_item, "/sitemap-articles.xml", OTHER])

    Correction.objects.create(
        article=site.story, text="He crossed at dusk, not dawn.", created_at=at("2026-04-05 12:15")
    )
    commit()

    assertContains(client.get(STORY), "He crossed at dusk, not dawn.")
    assert "He crossed at dusk, not dawn." in client.get(api_item).json()["edNote"]
    assertContains(client.get("/sitemap-articles.xml"), "2026-04-05T12:15:00+02:00")
    assert served_from_cache(client, OTHER)


def test_unpublishing_takes_the_story_off_every_channel_at_once(client, site, chief):
    urls = [*channels(site), RELATED]
    warm(client, urls + [STORY, OTHER])
    assert_everywhere(client, urls, "defector-reaches-berlin")

    workflow.apply(site.story, "unpublish", chief, comment="Legal takedown")
    commit()

    assert client.get(STORY).status_code == 410
    assert_everywhere(
        client, [url for url in urls if "/dossier" not in url], "defector-reach", False
    )
    assert served_from_cache(client, OTHER)


def test_a_translation_published_later_appears_under_also_in(client, site, chief):
    german = make_article(
        headline="Überläufer erreicht Berlin",
        slug="ueberlaeufer-erreicht-berlin",
        section=site.russia,
        language="de",
        translation_of=site.story,
        status=Status.IN_REVIEW,
        published_at=None,
    )
    commit()
    warm(client, [STORY])
    assertNotContains(client.get(STORY), 'hreflang="de"')

    workflow.apply(german, "publish", chief)
    commit()

    assertContains(client.get(STORY), 'hreflang="de"')


def test_a_story_editors_picked_appears_with_the_other_once_published(client, site, chief):
    picked = new_story(site)
    save_story(site.other, related=[picked])
    commit()
    warm(client, [OTHER])
    assertNotContains(client.get(OTHER), "second-defector")  # not published yet

    workflow.apply(picked, "publish", chief)
    commit()

    assertContains(client.get(OTHER), "second-defector")  # neither its section nor its tags


def test_merging_duplicate_authors_updates_the_stories_and_pages_showing_them(client, site):
    warm(client, [RELATED, OTHER, "/author/jens/", "/author/anna/", "/feeds/rss/", STORY])

    Author.objects.filter(pk__in=[site.jens.pk, site.anna.pk]).merge_into(site.jens)
    commit()

    assert_everywhere(client, [RELATED, OTHER, "/feeds/rss/"], "Anna Weber", shown=False)
    assertContains(client.get("/author/jens/"), "kremlin-reshuffle")
    assert client.get("/author/anna/").status_code == 404


def test_renaming_a_section_updates_the_pages_showing_it(client, site):
    warm(client, [STORY, "/", "/russia/", OTHER, "/europe/"])

    site.russia.name = "Russia and Belarus"
    site.russia.save()
    commit()

    assert_everywhere(client, [STORY, "/", "/russia/"], "Russia and Belarus")
    assert served_from_cache(client, OTHER)  # not in the navigation: a section inside World


def test_renaming_a_top_level_section_updates_the_navigation_of_every_page(client, site):
    warm(client, [STORY, OTHER])

    site.europe.name = "Europe and the EU"
    site.europe.save()
    commit()

    assert_everywhere(client, [STORY, OTHER], "Europe and the EU")


def test_changing_an_author_updates_bylines_and_the_author_page(client, site):
    warm(client, [STORY, "/", "/author/jens/", "/feeds/rss/", OTHER, "/europe/"])

    site.jens.name = "Jens K. Kiffmeier"
    site.jens.save()
    commit()

    assert_everywhere(client, [STORY, "/", "/author/jens/", "/feeds/rss/"], "Jens K. Kiffmeier")
    assert served_from_cache(client, OTHER)
    assert served_from_cache(client, "/europe/")

    AuthorLink.objects.create(author=site.jens, label="Mastodon", url="https://example.social/@j")
    commit()
    assertContains(client.get("/author/jens/"), "https://example.social/@j")


def test_renaming_a_tag_updates_the_stories_and_feeds_showing_it(client, site):
    tag = site.story.tags.get()
    warm(client, [STORY, RELATED, "/feeds/rss/", "/tag/kremlin/", OTHER])

    tag.name = "Kremlin politics"
    tag.save()
    commit()

    assert_everywhere(client, [STORY, RELATED, "/feeds/rss/", "/tag/kremlin/"], "Kremlin politics")
    assert served_from_cache(client, OTHER)


def test_renaming_a_source_updates_the_sources_boxes_and_its_page(client, site):
    warm(client, [STORY, "/source/dossier-center/", OTHER])

    site.dossier.name = "The Dossier Center"
    site.dossier.save()
    commit()

    assert_everywhere(client, [STORY, "/source/dossier-center/"], "The Dossier Center")
    assert served_from_cache(client, OTHER)


def test_changing_a_picture_updates_every_page_showing_it(client, site):
    api_item = f"/api/ninjs/articles/{site.story.pk}/"
    warm(client, [STORY, "/", api_item, OTHER])
    old_key = site.picture.content_key

    site.picture.caption = "The crossing point near Narva"
    site.picture.focal_x = 0.2
    site.picture.save_change()
    commit()

    assertContains(client.get(STORY), "The crossing point near Narva")
    assert_everywhere(client, [STORY, "/", api_item], site.picture.content_key)
    assert_everywhere(client, [STORY, "/", api_item], old_key, shown=False)
    assert served_from_cache(client, OTHER)


def test_changing_a_policy_page_updates_every_page(client, site):
    warm(client, [STORY, OTHER, "/", "/pages/masthead/"])

    site.masthead.title = "Who we are"
    site.masthead.save()
    commit()

    assert_everywhere(client, [STORY, OTHER, "/", "/pages/masthead/"], "Who we are")


def test_the_sites_default_picture_reaches_every_story_without_one(client, site):
    warm(client, [OTHER])
    picture = make_image()

    Publication(default_picture=picture).save()
    commit()

    assertContains(client.get(OTHER), f"/images/{picture.pk}/{picture.content_key}/")


def test_saving_a_draft_changes_no_cached_response(client, site):
    urls = [*channels(site), STORY, RELATED]
    warm(client, urls)

    draft = new_story(site, status=Status.DRAFT, headline="Embargoed scoop")
    draft.standfirst = "Not for readers yet."
    save_story(draft)
    commit()

    for url in urls:
        assert served_from_cache(client, url), url
    assert_everywhere(client, urls, "Embargoed scoop", shown=False)


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_a_story_readers_must_not_see_reaches_no_cached_channel(client, site, state):
    urls = [*channels(site), STORY, RELATED]
    warm(client, urls)

    make_article(
        headline="Embargoed scoop",
        slug="embargoed-scoop",
        section=site.russia,
        authors=[site.jens],
        sources=[site.dossier],
        tags=["Kremlin"],
        **HIDDEN_STATES[state],
    )
    commit()

    assert_everywhere(client, urls, "Embargoed scoop", shown=False)
    assert_everywhere(client, urls, "embargoed-scoop", shown=False)


def test_deleting_a_published_story_removes_it_everywhere(client, site):
    warm(client, ["/", "/feeds/rss/", RELATED])

    site.story.delete()
    commit()

    assert_everywhere(client, ["/", "/feeds/rss/", RELATED], "defector-reaches-berlin", False)


def test_deleting_stories_or_tags_in_bulk_removes_them_everywhere(client, site):
    warm(client, ["/", "/feeds/rss/", RELATED, STORY])

    Article.objects.filter(pk=site.related.pk).delete()  # the admin's "delete selected"
    Tag.objects.filter(name="Kremlin").delete()
    commit()

    assert_everywhere(client, ["/", "/feeds/rss/", STORY], "kremlin-reshuffle", shown=False)
    assertNotContains(client.get(STORY), "/tag/kremlin/")


def test_a_scheduled_story_appears_in_every_channel_at_its_time(client, clock, site, chief):
    story = new_story(site)
    workflow.apply(story, "schedule", chief, at=at("2026-04-05 12:30"))
    commit()
    urls = [*channels(site), RELATED]
    clock.now = at("2026-04-05 12:25")
    warm(client, urls)
    assert client.get("/russia/second-defector/").status_code == 404

    clock.now = at("2026-04-05 12:29:59")
    assert served_from_cache(client, "/")
    assert_everywhere(client, urls, "second-defector", shown=False)

    clock.now = at("2026-04-05 12:30")
    assert_everywhere(client, urls, "second-defector")
    assert client.get("/russia/second-defector/").status_code == 200


def test_a_story_leaves_every_channel_at_its_takedown_time(client, clock, site):
    site.story.expires_at = at("2026-04-05 12:30")
    save_story(site.story)
    commit()
    urls = [*channels(site), RELATED]
    warm(client, urls + [STORY])

    clock.now = at("2026-04-05 12:30")

    assert client.get(STORY).status_code == 410
    assert_everywhere(
        client, [url for url in urls if "/dossier" not in url], "defector-reach", False
    )


def front_page_lead(client) -> str:
    content = client.get("/").content.decode()
    start = content.index('class="front__lead"')
    return content[start : content.index("</div>", start)]


def test_a_front_page_layout_saved_reaches_the_cached_home_page(client, clock, site):
    warm(client, ["/", OTHER])
    assert "markets-calm" in front_page_lead(client)  # the newest story leads by itself

    layout = FrontPage.objects.create(name="Kremlin first", goes_live_at=at("2026-04-05 11:00"))
    layout.top_stories.create(article=site.related, position=0)
    commit()

    assert "kremlin-reshuffle" in front_page_lead(client)
    assert served_from_cache(client, OTHER)


def test_a_front_page_layout_goes_live_at_its_time(client, clock, site):
    layout = FrontPage.objects.create(name="Kremlin first", goes_live_at=at("2026-04-05 12:30"))
    layout.top_stories.create(article=site.related, position=0)
    commit()
    clock.now = at("2026-04-05 12:25")
    warm(client, ["/"])

    clock.now = at("2026-04-05 12:29:59")
    assert served_from_cache(client, "/")
    assert "markets-calm" in front_page_lead(client)

    clock.now = at("2026-04-05 12:30")
    assert "kremlin-reshuffle" in front_page_lead(client)


def test_no_lifetime_reaches_past_the_next_scheduled_change(client, clock, site, chief):
    story = new_story(site)
    workflow.apply(story, "schedule", chief, at=clock.now + timedelta(seconds=90))
    commit()

    first, cached = client.get("/"), client.get("/")
    clock.advance(seconds=60)
    later = client.get("/")

    for response, remaining in [(first, 90), (cached, 90), (later, 30)]:
        assert response["Cache-Control"] == (
            f"public, max-age={min(30, remaining)}, s-maxage={remaining}"
        )
