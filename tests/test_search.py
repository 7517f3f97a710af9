"""Search: what `Article.objects.published().search()` finds and in what order, on SQLite and
PostgreSQL; the search page shows the same.

Behaviour both databases share is asserted on both. What only PostgreSQL's full-text search
does (stemming per language, stop words) has its own tests, skipped on SQLite;
`scripts/with-postgres` runs them. (The search page: test_search_page.py; the stored search
vector: test_search_index.py; snippets: test_search_snippets.py.)
"""

import pytest
from pytest_django.asserts import assertContains, assertTemplateUsed

from articles import search
from articles.models import Article

from .conftest import HIDDEN_STATES, at, make_article, make_author, make_section
from .search_support import (
    NOTHING_FOUND,
    found,
    postgresql_only,
    result_headlines,
    search_page,
    story,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


# What is searched


@pytest.mark.parametrize(
    ("fields", "query"),
    [
        (lambda: {"standfirst": "The captain crossed the border at Narva."}, "Narva"),
        (lambda: {"body": "<p>He flew on to Istanbul with his family.</p>"}, "Istanbul"),
        (lambda: {"authors": [make_author(name="Nina Rossi")]}, "Rossi"),
        (lambda: {"tags": ["Sanctions"]}, "Sanctions"),
    ],
    ids=["standfirst", "body", "author", "tag"],
)
def test_search_finds_a_word_in_each_searched_field(client, fields, query):
    story("Guard defects to the West", **fields())
    story("Parliament passes the budget", tags=["Budget"])

    assert found(query) == ["Guard defects to the West"]
    response = search_page(client, query)
    assertTemplateUsed(response, "articles/search.html")
    assert result_headlines(response) == ["Guard defects to the West"]
    assertContains(response, f"1 story for “{query}”")


def test_search_finds_a_word_in_the_headline(client):
    story("Karakulov reaches Berlin")
    story("Parliament passes the budget")

    assert found("Karakulov") == ["Karakulov reaches Berlin"]
    assert result_headlines(search_page(client, "Karakulov")) == ["Karakulov reaches Berlin"]


def test_search_is_not_case_sensitive():
    story("Karakulov reaches Berlin")

    assert found("KARAKULOV") == found("karakulov") == ["Karakulov reaches Berlin"]


def test_search_needs_every_word_of_the_query():
    story("Karakulov reaches Berlin")
    story("Karakulov's family stays in Moscow")

    assert found("Karakulov Berlin") == ["Karakulov reaches Berlin"]


def test_search_finds_other_forms_of_a_word():
    # "flee" is a prefix of its forms (SQLite) and their stem (PostgreSQL, english).
    story("Officials flee the capital", published_at=at("2026-04-04 09:00"))
    story("The fleeing guard reached Berlin", published_at=at("2026-04-03 09:00"))
    story("Parliament passes the budget")

    assert found("flee") == ["Officials flee the capital", "The fleeing guard reached Berlin"]


def test_german_word_finds_its_inflected_form_in_a_german_story():
    story(
        "Die Beamten des Kreml fliehen",
        language="de",
        body="<p>Immer mehr Beamten verlassen Russland.</p>",
    )
    story("Parliament passes the budget")

    assert found("Beamte") == ["Die Beamten des Kreml fliehen"]


def test_markup_of_the_body_is_not_searched():
    story(
        "Guard defects to the West",
        body='<p>He met <strong>officials</strong> at the <a href="https://example.com/">'
        "embassy</a>.</p>",
    )

    assert found("embassy") == ["Guard defects to the West"]
    assert found("strong") == []
    assert found("href") == []


# Ranking


def test_headline_match_ranks_above_a_newer_body_only_match(client):
    story(
        "Minister resigns over the budget",
        body="<p>Questions about Karakulov remain open.</p>",
        published_at=at("2026-04-05 11:00"),
    )
    story(
        "Karakulov reaches Berlin",
        body="<p>He crossed the border on foot.</p>",
        published_at=at("2026-04-02 09:00"),
    )

    expected = ["Karakulov reaches Berlin", "Minister resigns over the budget"]
    assert found("Karakulov") == expected
    assert result_headlines(search_page(client, "Karakulov")) == expected


def test_equally_good_matches_come_newest_first():
    story("Karakulov reaches Berlin", published_at=at("2026-04-02 09:00"))
    story("Karakulov speaks to the press", published_at=at("2026-04-04 09:00"))
    story("Karakulov's family is safe", published_at=at("2026-04-03 09:00"))

    assert found("Karakulov") == [
        "Karakulov speaks to the press",
        "Karakulov's family is safe",
        "Karakulov reaches Berlin",
    ]


def test_only_the_newest_matches_of_a_common_word_are_ranked(monkeypatch):
    monkeypatch.setattr(search, "RANKED_MATCHES", 2)
    story("Karakulov reaches Berlin", published_at=at("2026-04-02 09:00"))
    story("Minister resigns", body="<p>Karakulov is safe.</p>", published_at=at("2026-04-04 09:00"))
    story("Karakulov speaks to the press", published_at=at("2026-04-03 09:00"))
    story(
        "Budget passes", body="<p>Karakulov is not in it.</p>", published_at=at("2026-04-01 09:00")
    )

    # Of the two newest matches, the headline match first; the older ones not at all.
    assert found("Karakulov") == ["Karakulov speaks to the press", "Minister resigns"]


# Published stories only


def test_search_shows_only_published_stories_even_when_others_match_better(client):
    best_match = {
        "headline": "Karakulov Karakulov Karakulov",
        "standfirst": "Karakulov",
        "body": "<p>Karakulov, Karakulov and Karakulov.</p>",
    }
    for fields in HIDDEN_STATES.values():
        make_article(**best_match, **fields)
    story("Guard defects to the West", body="<p>His name is Karakulov.</p>")

    assert Article.objects.filter(headline__startswith="Karakulov").count() == len(HIDDEN_STATES)
    assert found("Karakulov") == ["Guard defects to the West"]
    response = search_page(client, "Karakulov")
    assert result_headlines(response) == ["Guard defects to the West"]
    assertContains(response, "1 story for “Karakulov”")


def test_search_of_a_queryset_keeps_its_filters():
    politics, sport = make_section(), make_section()
    story("Karakulov reaches Berlin", section=politics)
    story("Karakulov wins the cup", section=sport)

    results = Article.objects.published().in_section(sport).search("Karakulov")

    assert [article.headline for article in results] == ["Karakulov wins the cup"]


# PostgreSQL only: full-text search with per-language configurations


@postgresql_only
def test_english_search_finds_forms_of_a_word_by_its_stem():
    story("Officials flee the capital", published_at=at("2026-04-04 09:00"))
    story("Guard flees to Turkey", published_at=at("2026-04-03 09:00"))
    story("Parliament passes the budget")

    assert found("fleeing") == ["Officials flee the capital", "Guard flees to Turkey"]


@postgresql_only
def test_german_story_is_searched_with_the_german_configuration():
    text = {"body": "<p>Der Beamte verließ das Land.</p>", "standfirst": ""}
    german = story("Flucht aus Moskau", language="de", **text)
    story("Escape from Moscow", language="en", **text)

    german.refresh_from_db()
    assert "'beamt'" in german.search_vector  # the german stemmer's lexeme
    # "Beamten" and "Beamte" share a stem only in German.
    assert found("Beamten") == ["Flucht aus Moskau"]
    assert sorted(found("Beamte")) == ["Escape from Moscow", "Flucht aus Moskau"]


@postgresql_only
def test_english_story_is_searched_with_the_english_configuration():
    text = {"body": "<p>The guards were fleeing the capital.</p>", "standfirst": ""}
    english = story("Escape from Moscow", language="en", **text)
    story("Flucht aus Moskau", language="de", **text)

    english.refresh_from_db()
    assert "'flee'" in english.search_vector
    assert found("flee") == ["Escape from Moscow"]


@postgresql_only
def test_stop_words_alone_find_nothing_on_postgresql(client):
    story("The guard and the defector", body="<p>The guard was in the car.</p>")

    assert found("the") == []
    assertContains(search_page(client, "the and"), NOTHING_FOUND)


@postgresql_only
def test_author_names_are_matched_as_typed_not_stemmed():
    story("Guard defects to the West", authors=[make_author(name="Hannes Wiles")])

    assert found("Wiles") == ["Guard defects to the West"]
    assert found("Hannes Wiles") == ["Guard defects to the West"]
