"""The edited front page: layouts that go live at their time, placed top stories that drop out
when withdrawn, section blocks, the opinion rail and the latest list, one version of each story,
and a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from articles import workflow
from articles.models import Article, FrontPage

from .cache_support import commit
from .conftest import at, count_queries, make_article, make_section

pytestmark = pytest.mark.django_db


AN_HOUR_AGO = at("2026-04-05 11:00")


def arrange(
    name: str = "Morning", goes_live_at=AN_HOUR_AGO, placed=(), blocks=(), **counts
) -> FrontPage:
    """A layout live from `goes_live_at` (None: a draft), with `placed` stories in order and a
    block of (section, how many) for each of `blocks`."""
    layout = FrontPage.objects.create(name=name, goes_live_at=goes_live_at, **counts)
    for position, story in enumerate(placed):
        layout.top_stories.create(article=story, position=position)
    for position, (section, count) in enumerate(blocks):
        layout.section_blocks.create(section=section, position=position, story_count=count)
    return layout


def headlines(response) -> list[str]:
    """The headlines of the front page's stories, top to bottom."""
    return re.findall(
        r'class="(?:teaser__headline|latest__headline)"[^>]*>(?:<a [^>]*>)?([^<]+)<',
        response.content.decode(),
    )


# Where each part of the front page begins; a part ends where the next one begins.
PART_STARTS = [
    'class="front__',
    'class="latest"',
    'class="commentary"',
    'class="section-block"',
    "</main>",
]


def part(response, css_class: str) -> str:
    """The HTML of one part of the front page, such as "front__lead" or "commentary"."""
    content = response.content.decode()
    start = content.index(f'class="{css_class}"')
    ends = [content.find(marker, start + 1) for marker in PART_STARTS]
    return content[start : min(end for end in ends if end != -1)]


def withdraw(story: Article) -> None:
    workflow.apply(story, "unpublish", workflow.SYSTEM, comment="Legal concerns")


@pytest.fixture
def stories(clock):
    """Six stories in one section, an hour apart, the newest first."""
    section = make_section(name="Politics", slug="politics")
    return [
        make_article(
            headline=f"Story {number}",
            section=section,
            published_at=at(f"2026-04-05 0{9 - number}:00"),
        )
        for number in range(1, 7)
    ]


# Which layout is live


def test_the_live_layout_is_the_newest_whose_time_has_passed(client, clock, stories):
    arrange("Yesterday", at("2026-04-04 06:00"), placed=[stories[5]])
    arrange("This morning", at("2026-04-05 06:00"), placed=[stories[4]])
    arrange("Tonight", at("2026-04-05 20:00"), placed=[stories[3]])
    arrange("Draft", None, placed=[stories[2]])

    assert FrontPage.objects.live().name == "This morning"
    assert headlines(client.get("/"))[0] == "Story 5"

    clock.now = at("2026-04-05 20:00")

    assert FrontPage.objects.live().name == "Tonight"
    assert headlines(client.get("/"))[0] == "Story 4"


# Placed stories


def test_placed_stories_lead_in_order_and_empty_places_fill_with_the_newest(client, stories):
    arrange(placed=[stories[3], stories[1]], top_story_count=3, latest_count=0)

    response = client.get("/")

    assertTemplateUsed(response, "articles/front_page.html")
    assert headlines(response)[:4] == ["Story 4", "Story 2", "Story 1", "Story 3"]
    assert "Story 4" in part(response, "front__lead")


@pytest.mark.parametrize(
    "take_down",
    [
        withdraw,
        lambda story: Article.objects.filter(pk=story.pk).update(expires_at=at("2026-04-05 11:30")),
    ],
    ids=["withdrawn", "expired"],
)
def test_a_lead_that_leaves_the_site_drops_out_and_the_next_placed_story_moves_up(
    client, stories, take_down
):
    arrange(placed=[stories[0], stories[4], stories[5]], top_story_count=2, latest_count=0)
    assert headlines(client.get("/"))[:3] == ["Story 1", "Story 5", "Story 6"]

    take_down(stories[0])

    response = client.get("/")
    assert headlines(response)[:3] == ["Story 5", "Story 6", "Story 2"]
    assert "Story 5" in part(response, "front__lead")
    assertNotContains(response, "Story 1<")


def test_a_scheduled_placed_story_shows_when_its_time_comes(client, clock, stories):
    scheduled = make_article(headline="Embargoed story", published_at=at("2026-04-05 14:00"))
    arrange(placed=[scheduled, stories[2]], top_story_count=0, latest_count=0)

    assert headlines(client.get("/"))[0] == "Story 3"
    assertNotContains(client.get("/"), "Embargoed story")

    clock.now = at("2026-04-05 14:00")

    assert headlines(client.get("/"))[0] == "Embargoed story"


def test_a_layout_whose_stories_are_all_withdrawn_still_fills_the_page(client, stories):
    arrange(placed=stories[:2], top_story_count=1, latest_count=0)
    for story in stories[:2]:
        withdraw(story)

    assert headlines(client.get("/"))[:2] == ["Story 3", "Story 4"]


def test_no_story_shows_twice_on_the_page(client, stories):
    section = stories[0].section
    arrange(
        placed=[stories[2]],
        blocks=[(section, 3)],
        top_story_count=1,
        commentary_count=0,
        latest_count=5,
    )

    shown = headlines(client.get("/"))

    assert sorted(shown) == [f"Story {number}" for number in range(1, 7)]


# Section blocks, the opinion rail and the latest list


def test_section_blocks_show_their_sections_newest_stories_in_the_layouts_order(client, clock):
    world, sport = (
        make_section(name="World", slug="world"),
        make_section(name="Sport", slug="sport"),
    )
    for number in range(3):
        make_article(
            headline=f"World {number}",
            section=world,
            published_at=at(f"2026-04-05 0{number + 1}:00"),
        )
        make_article(
            headline=f"Sport {number}",
            section=sport,
            published_at=at(f"2026-04-04 0{number + 1}:00"),
        )
    arrange(blocks=[(sport, 2), (world, 2)], top_story_count=0, latest_count=0)

    response = client.get("/")

    assert headlines(response) == ["World 2", "Sport 2", "Sport 1", "World 1", "World 0"]
    content = response.content.decode()
    assert content.index('id="block-sport-title"') < content.index('id="block-world-title"')
    assertContains(response, '<a href="/sport/">Sport<span class="section-block__arrow"')


def test_a_section_block_leads_with_the_sections_pinned_story(client, stories):
    section = stories[0].section
    section.lead_story = stories[4]
    section.save()
    arrange(blocks=[(section, 2)], top_story_count=0, latest_count=0)

    assert headlines(client.get("/")) == ["Story 1", "Story 5", "Story 2"]


def test_pinning_another_story_in_a_block_section_reaches_the_front_page(client, stories):
    # A section inside another: not in the navigation, whose change every page sees.
    section = make_section(name="Europe", slug="europe", parent=stories[0].section)
    older, _ = (
        make_article(
            headline=f"Europe {hour}", section=section, published_at=at(f"2026-04-0{hour} 09:00")
        )
        for hour in (1, 2)
    )
    arrange(blocks=[(section, 1)], top_story_count=0, latest_count=0)
    commit()
    assert headlines(client.get("/")) == ["Story 1", "Europe 2"]

    section.lead_story = older
    section.save()
    commit()

    assert headlines(client.get("/")) == ["Story 1", "Europe 1"]


def test_the_opinion_rail_shows_the_newest_opinion_and_analysis(client, clock):
    make_article(headline="Lead news", published_at=at("2026-04-05 11:00"))
    make_article(headline="Old column", type_of_work="opinion", published_at=at("2026-04-01 09:00"))
    make_article(
        headline="Explainer", type_of_work="explainer", published_at=at("2026-04-05 10:00")
    )
    make_article(headline="Analysis", type_of_work="analysis", published_at=at("2026-04-05 09:00"))
    make_article(headline="Column", type_of_work="opinion", published_at=at("2026-04-05 08:00"))
    arrange(top_story_count=0, commentary_count=2, latest_count=0)

    response = client.get("/")

    rail = part(response, "commentary")
    assert re.findall(r'teaser__headline"><a [^>]+>([^<]+)<', rail) == ["Analysis", "Column"]
    assertNotContains(response, "Explainer")


def test_the_latest_list_shows_the_newest_stories_not_shown_above(client, stories):
    arrange(placed=[stories[1]], top_story_count=1, latest_count=3)

    response = client.get("/")

    latest = re.findall(r'latest__headline" href="[^"]+">([^<]+)<', response.content.decode())
    assert latest == ["Story 3", "Story 4", "Story 5"]
    assertContains(response, '<a href="/latest/">All the latest news')


def test_without_a_layout_the_front_page_arranges_itself(client, clock):
    world, sport = (
        make_section(name="World", slug="world"),
        make_section(name="Sport", slug="sport"),
    )
    for hours in range(10):
        make_article(
            headline=f"World {hours}", section=world, published_at=at(f"2026-04-05 0{hours}:00")
        )
    make_article(headline="Sport 0", section=sport, published_at=at("2026-04-01 09:00"))

    response = client.get("/")

    assert headlines(response)[:7] == [f"World {hours}" for hours in range(9, 2, -1)]
    assertContains(response, 'id="block-world-title"')
    assertContains(response, 'id="block-sport-title"')
    assert "Sport 0" in part(response, "section-block__stories")


def test_the_front_page_without_stories_says_so(client):
    arrange()

    assertContains(client.get("/"), "No stories have been published yet.")


# One version of each story


@pytest.fixture
def translated(clock):
    """A German original with its English translation, both published."""
    section = make_section(name="Politics", slug="politics")
    original = make_article(
        headline="Kontrollverlust im Kreml",
        slug="kontrollverlust",
        language="de",
        section=section,
        published_at=at("2026-04-05 10:00"),
    )
    translation = make_article(
        headline="Loss of control in the Kremlin",
        slug="loss-of-control",
        language="en",
        translation_of=original,
        section=section,
        published_at=at("2026-04-05 09:00"),
    )
    return original, translation


def test_a_placed_original_shows_in_the_sites_language_with_the_original_linked(client, translated):
    original, translation = translated
    make_article(headline="Other story", published_at=at("2026-04-05 08:00"))
    arrange(placed=[original], blocks=[(original.section, 4)])

    response = client.get("/")

    assert headlines(response) == ["Loss of control in the Kremlin", "Other story"]
    assertNotContains(response, "Kontrollverlust im Kreml")
    assertContains(
        response,
        f'<a href="{original.get_absolute_url()}" hreflang="de" lang="de">Deutsch</a>',
        html=True,
    )


@pytest.mark.parametrize("address", ["/", "/latest/", "/politics/"])
def test_lists_show_a_translated_story_once(client, translated, address):
    response = client.get(address)

    assertContains(response, "Loss of control in the Kremlin")
    assertNotContains(response, "Kontrollverlust im Kreml")
    assertContains(response, 'hreflang="de" lang="de">Deutsch</a>')


def test_a_translation_into_another_language_gives_way_to_its_original(client, translated):
    original, _ = translated
    make_article(
        headline="Perte de contrôle au Kremlin",
        slug="perte",
        language="fr",
        translation_of=original,
        section=original.section,
        published_at=at("2026-04-05 11:00"),
    )
    withdraw(Article.objects.get(slug="loss-of-control"))

    response = client.get("/latest/")

    assertContains(response, "Kontrollverlust im Kreml")
    assertNotContains(response, "Perte de contrôle au Kremlin</a></h2>")


# Query budget


def test_the_front_page_needs_the_same_queries_for_a_small_and_a_large_layout(client, clock):
    sections = [make_section(slug=f"desk-{number}") for number in range(6)]
    stories = [
        make_article(
            section=sections[number % 6], published_at=at("2026-04-04 09:00"), tags=["Putin"]
        )
        for number in range(40)
    ]
    for story in stories[:6]:
        make_article(
            language="de",
            translation_of=story,
            section=story.section,
            published_at=at("2026-04-04 08:00"),
        )
    small = arrange("Small", at("2026-04-05 10:00"), placed=stories[:1], blocks=[(sections[0], 2)])
    small_count = count_queries(client, "/")

    arrange(
        "Large",
        at("2026-04-05 11:00"),
        placed=stories[5:17],
        blocks=[(section, 6) for section in sections],
        top_story_count=12,
        commentary_count=8,
        latest_count=20,
    )
    large_count = count_queries(client, "/")

    assert FrontPage.objects.live() != small
    # The layout, its top stories, its blocks; the stories, their bylines; their translations.
    assert small_count == large_count == 6


def test_the_front_pages_windows_are_each_read_on_their_own(client, clock):
    sections = [make_section(slug=f"desk-{number}") for number in range(3)]
    stories = [make_article(section=sections[number % 3]) for number in range(9)]
    arrange(placed=stories[:2], blocks=[(section, 2) for section in sections])

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200

    # One LIMITed walk per window, joined by UNION ALL: joined by OR in one WHERE clause they
    # cost PostgreSQL a filter over every published story (docs/performance.md).
    [candidates] = [query["sql"] for query in queries if "UNION ALL" in query["sql"]]
    # The placed stories, their originals, their translations; the newest, opinion and
    # analysis, each block's section.
    assert candidates.count("UNION ALL") == 3 + 2 + len(sections) - 1


def test_the_front_pages_choice_is_kept_until_a_story_or_the_layout_changes(
    client, settings, clock, stories
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # every page made anew, as the bench measures
    layout = arrange(placed=[stories[2]], top_story_count=1, latest_count=2)
    later = make_article(headline="Scheduled story", published_at=at("2026-04-05 12:30"))
    commit()
    assert headlines(client.get("/")) == ["Story 3", "Story 1", "Story 2", "Story 4"]

    with CaptureQueriesContext(connection) as queries:
        assert headlines(client.get("/")) == ["Story 3", "Story 1", "Story 2", "Story 4"]
    # The layout, its top stories, its blocks; the stories shown, loaded by id rather than
    # chosen again; their bylines (none has a translation).
    assert len(queries) == 5
    assert not [query for query in queries if "UNION ALL" in query["sql"]]

    story = make_article(headline="Breaking story", section=stories[0].section)
    commit()
    assert headlines(client.get("/"))[:3] == ["Story 3", "Breaking story", "Story 1"]

    withdraw(stories[2])
    commit()
    assert headlines(client.get("/"))[0] == "Breaking story"

    layout.latest_count = 0
    layout.save()
    commit()
    assert headlines(client.get("/")) == ["Breaking story", "Story 1"]

    clock.now = at("2026-04-05 12:30")
    assert headlines(client.get("/")) == [later.headline, story.headline]


def test_the_automatic_front_page_needs_few_queries(client, stories):
    # No layout; the stories, their bylines (the blocks' sections are the cached navigation).
    assert count_queries(client, "/") == 3


# Former addresses


def test_the_former_paged_home_page_redirects_to_the_latest_news(client):
    response = client.get("/", {"page": "2"})

    assert (response.status_code, response["Location"]) == (301, "/latest/?page=2")
