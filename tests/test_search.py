"""Search: the /search/ page and `Article.objects.published().search()`, on SQLite and PostgreSQL.

Behaviour both databases share is asserted on both. What only PostgreSQL's full-text search
does (stemming per language, stop words, the stored vector and its index) has its own tests,
skipped on SQLite; `scripts/with-postgres` runs them.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from articles.editing import save_story
from articles.models import Article, Byline, Tag, TaggedArticle
from articles.search import MAX_QUERY_LENGTH, clean_query

from .admin_forms import admin_url, edit_form
from .conftest import (
    HIDDEN_STATES,
    LIST_PAGE_QUERIES,
    at,
    count_queries,
    make_article,
    make_author,
    make_section,
    make_staff,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL full-text search only (stemming, stop words, the stored vector); "
    "run with scripts/with-postgres",
)

SEARCH = "/search/"
HINT = "Search headlines, stories, authors and topics."
NOTHING_FOUND = "No stories found for"


def story(headline: str, **fields) -> Article:
    """A published story with a neutral standfirst and body, unless `fields` say otherwise."""
    defaults = {
        "standfirst": "Officials confirmed the report on Tuesday.",
        "body": "<p>Officials confirmed the report on Tuesday.</p>",
        "published_at": at("2026-04-04 09:00"),
    }
    return make_article(headline=headline, **(defaults | fields))


def found(query: str) -> list[str]:
    """Headlines `published().search(query)` returns, in its order."""
    return [article.headline for article in Article.objects.published().search(query)]


def result_headlines(response) -> list[str]:
    """Headlines in the result list of a search page, in page order."""
    content = response.content.decode()
    results = re.search(r'<ol class="search-results">(.*?)</ol>', content, re.S)
    if results is None:
        return []
    return re.findall(r'<h2 class="teaser__headline"><a href="[^"]*">(.*?)</a></h2>', results[1])


def snippets(response) -> list[str]:
    return re.findall(
        r'<p class="search-result__snippet">(.*?)</p>', response.content.decode(), re.S
    )


def search_page(client, query: str, **params):
    response = client.get(SEARCH, {"q": query, **params})
    assert response.status_code == 200
    return response


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


# Pages of results


@pytest.fixture
def five_matches(settings):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 2
    for day in range(1, 6):
        story(f"Guard defector, day {day}", published_at=at(f"2026-04-0{day} 09:00"))
    story("Parliament passes the budget")


def test_results_come_in_pages_that_keep_the_query_in_their_links(client, five_matches):
    first = search_page(client, "guard defector")
    second = search_page(client, "guard defector", page=2)
    third = search_page(client, "guard defector", page=3)

    assert result_headlines(first) == ["Guard defector, day 5", "Guard defector, day 4"]
    assert result_headlines(second) == ["Guard defector, day 3", "Guard defector, day 2"]
    assert result_headlines(third) == ["Guard defector, day 1"]
    assertContains(first, "5 stories for “guard defector”")
    assertContains(first, 'href="?q=guard%20defector&amp;page=2"')
    assertNotContains(first, 'rel="prev"')
    assertContains(second, 'href="?q=guard%20defector&amp;page=1"')
    assertContains(second, 'href="?q=guard%20defector&amp;page=3"')
    assertNotContains(third, 'rel="next"')


def test_pagination_link_escapes_the_query(client, settings):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 1
    story("Tom & Jerry defect", body="<p>Tom &amp; Jerry defect.</p>")
    story("Tom & Jerry return", body="<p>Tom &amp; Jerry return.</p>")

    response = search_page(client, "Tom & Jerry")

    assertContains(response, 'href="?q=Tom%20%26%20Jerry&amp;page=2"')
    assertContains(response, "2 stories for “Tom &amp; Jerry”")


@pytest.mark.parametrize("page", ["abc", "0", "4", "-1", "1.5"])
def test_page_that_does_not_exist_is_404(client, five_matches, page):
    assert client.get(SEARCH, {"q": "guard defector", "page": page}).status_code == 404


def test_page_that_is_not_a_number_is_404_without_a_query_too(client):
    assert client.get(SEARCH, {"page": "abc"}).status_code == 404


# Snippets


def test_snippet_marks_the_words_searched_for(client):
    story(
        "Guard defects to the West",
        body="<p>Officials said the defector crossed the border at dawn.</p>"
        "<p>He carried papers from the archive of the guard.</p>",
    )

    response = search_page(client, "defector archive")

    [snippet] = snippets(response)
    assert "<mark>defector</mark>" in snippet
    assert "<mark>archive</mark>" in snippet
    assert "<p>" not in snippet  # the body's tags are gone


def test_snippet_shows_the_bodys_special_characters_escaped_once(client):
    story(
        "Guard defects to the West",
        body="<p>The defector met Tom &amp; Jerry. He wrote &lt;b&gt;secret&lt;/b&gt; on it.</p>",
    )

    [snippet] = snippets(search_page(client, "defector"))

    assert "<mark>defector</mark> met Tom &amp; Jerry." in snippet
    assert "&lt;b&gt;secret" in snippet
    assert "&amp;amp;" not in snippet
    assert "&amp;lt;" not in snippet
    assert "<b>" not in snippet


def test_query_with_markup_is_shown_escaped(client):
    story("Guard defects to the West", body="<p>An alert went out at 1 o'clock.</p>")
    query = "<script>alert(1)</script>"

    response = search_page(client, query)

    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assertNotContains(response, "<script>alert(1)")
    assertContains(response, f"{NOTHING_FOUND} “{escaped}”")
    assertContains(response, f'value="{escaped}"', count=2)  # masthead and page search boxes


# Queries that aren't ordinary words


def test_query_is_trimmed_and_single_spaced():
    assert clean_query("  guard \t\n defector  ") == "guard defector"
    assert clean_query(None) == ""


def test_query_is_capped_at_200_characters():
    assert MAX_QUERY_LENGTH == 200
    assert clean_query("x" * 5000) == "x" * 200


def test_very_long_query_is_answered_with_the_query_capped(client):
    story("Guard defects to the West")
    query = "defector " * 556  # 5,004 characters

    response = client.get(SEARCH, {"q": query})

    assert response.status_code == 200
    capped = clean_query(query)
    assert len(capped) == 200
    values = re.findall(r'<input [^>]*name="q" value="([^"]*)"', response.content.decode())
    assert values == [capped, capped]


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}], ids=["none", "empty", "spaces"])
def test_empty_query_shows_the_hint_and_no_results(client, params):
    story("Guard defects to the West")

    response = client.get(SEARCH, params)

    assert response.status_code == 200
    assertContains(response, HINT)
    assertNotContains(response, NOTHING_FOUND)
    assert result_headlines(response) == []
    assert list(Article.objects.published().search(params.get("q", ""))) == []


@pytest.mark.parametrize(
    "query",
    ["&&& !!", "'\"", ":*", "(((", "🦆🦆", "!", "a & | ! b:*"],
    ids=["ampersands", "quotes", "prefix-operator", "brackets", "emoji", "bang", "operators"],
)
def test_garbage_query_finds_nothing_and_does_not_fail(client, query):
    story("Guard defects to the West", body="<p>Tom &amp; Jerry crossed the border.</p>")
    story("Parliament passes the budget (again)", body="<p>It's “final”, they said.</p>")

    response = client.get(SEARCH, {"q": query})

    assert response.status_code == 200
    assertContains(response, NOTHING_FOUND)
    assert result_headlines(response) == []


def test_query_of_a_nul_character_finds_nothing_and_is_not_echoed(client):
    # Browsers send %00 when asked to; PostgreSQL refuses NUL in any string parameter.
    story("Guard defects to the West")

    response = client.get(SEARCH, {"q": "\x00"})

    assert response.status_code == 200
    assert result_headlines(response) == []
    assert b"\x00" not in response.content


def test_query_of_only_stop_words_is_answered(client):
    story("Guard defects to the West")

    response = client.get(SEARCH, {"q": "the"})

    assert response.status_code == 200
    assertContains(response, "“the”")


# The search vector follows every change


def assert_vector_stored(article: Article) -> None:
    """On PostgreSQL, the article has a stored search vector (SQLite stores none)."""
    if connection.vendor == "postgresql":
        assert Article.objects.filter(pk=article.pk, search_vector__isnull=False).exists()


def test_changed_headline_and_body_are_found_after_saving():
    article = story("Guard defects to the West", body="<p>He crossed at Narva.</p>")
    assert found("Narva") == ["Guard defects to the West"]

    article.headline = "Karakulov reaches Berlin"
    article.body = "<p>He flew on to Istanbul.</p>"
    save_story(article)

    assert_vector_stored(article)
    assert found("Karakulov") == found("Istanbul") == ["Karakulov reaches Berlin"]
    assert found("Narva") == found("defects") == []


def test_body_edited_in_the_admin_is_found(client):
    article = story("Guard defects to the West", body="<p>He crossed at Narva.</p>")
    client.force_login(make_staff("Editor"))

    response = client.post(
        admin_url(article), edit_form(article, body="<p>He flew on to Istanbul.</p>")
    )

    assert response.status_code == 302
    assert found("Istanbul") == ["Guard defects to the West"]
    assert found("Narva") == []


def test_author_changed_in_the_admin_is_found(client):
    article = story("Guard defects to the West", authors=[make_author(name="Jane Doe")])
    rossi = make_author(name="Nina Rossi")
    client.force_login(make_staff("Editor"))
    data = edit_form(article)
    data["bylines-0-author"] = str(rossi.pk)

    response = client.post(admin_url(article), data)

    assert response.status_code == 302
    assert [author.name for author in article.ordered_authors()] == ["Nina Rossi"]
    assert found("Rossi") == ["Guard defects to the West"]
    assert found("Doe") == []


def test_tags_changed_in_the_admin_are_found(client):
    article = story("Guard defects to the West", tags=["Budget"])
    client.force_login(make_staff("Editor"))

    response = client.post(admin_url(article), edit_form(article, tags="Sanctions, Kremlin"))

    assert response.status_code == 302
    assert sorted(article.tags.names()) == ["Kremlin", "Sanctions"]
    assert found("Sanctions") == found("Kremlin") == ["Guard defects to the West"]
    assert found("Budget") == []


def test_authors_and_tags_brought_back_by_restoring_a_revision_are_found(client):
    article = story(
        "Guard defects to the West", authors=[make_author(name="Jane Doe")], tags=["Budget"]
    )
    client.force_login(make_staff("Editor"))
    assert client.post(admin_url(article), edit_form(article)).status_code == 302  # revision 1
    data = edit_form(article, tags="Sanctions")
    data["bylines-0-author"] = str(make_author(name="Nina Rossi").pk)
    assert client.post(admin_url(article), data).status_code == 302  # revision 2

    response = client.post(admin_url(article, "history/1/restore/"))

    assert response.status_code == 302
    assert [author.name for author in article.ordered_authors()] == ["Jane Doe"]
    assert found("Doe") == found("Budget") == ["Guard defects to the West"]
    assert found("Rossi") == found("Sanctions") == []


def wire_story(path, author: str) -> None:
    path.write_text(
        "- Home page\n- Politics\nCreated: 2026-04-04 09:00\n"
        f"By: {author}\n"
        "Guard defects to the West. He crossed the border at Narva.\n"
        "Narva – The captain crossed on foot.\n",
        encoding="utf-8",
    )


def test_imported_story_is_found_by_its_words_and_author(tmp_path):
    path = tmp_path / "guard-defects.txt"
    wire_story(path, "Jane Doe")

    call_command("import_story", str(path), "--publish", stdout=StringIO())

    article = Article.objects.get(external_id="guard-defects")
    assert_vector_stored(article)
    assert found("Narva") == found("Doe") == ["Guard defects to the West"]


def test_author_changed_by_a_new_import_is_found(tmp_path):
    path = tmp_path / "guard-defects.txt"
    wire_story(path, "Jane Doe")
    call_command("import_story", str(path), "--publish", stdout=StringIO())
    wire_story(path, "Nina Rossi")  # the same text, a new byline

    call_command("import_story", str(path), stdout=StringIO())

    article = Article.objects.get(external_id="guard-defects")
    assert [author.name for author in article.ordered_authors()] == ["Nina Rossi"]
    assert found("Rossi") == ["Guard defects to the West"]
    assert found("Doe") == []


def test_stories_inserted_in_bulk_are_found_once_their_vectors_are_updated():
    # A bulk insert skips save(), so bulk paths (the demo's generated stories) bring the
    # vectors of all their stories up to date at once, bylines and tags included.
    section, author = make_section(), make_author(name="Hannes Wiles")
    kremlin = Tag.objects.create(name="Kremlin", slug="kremlin")
    Article.objects.bulk_create(
        Article(
            headline=f"Guard defects, part {number}",
            slug=f"guard-defects-{number}",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=at("2026-04-04 09:00"),
        )
        for number in (1, 2)
    )
    inserted = Article.objects.filter(section=section)
    Byline.objects.bulk_create(Byline(article=article, author=author) for article in inserted)
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=article, tag=kremlin) for article in inserted
    )

    inserted.update_search_vectors()

    both = ["Guard defects, part 1", "Guard defects, part 2"]
    assert sorted(found("defects")) == sorted(found("Wiles")) == sorted(found("Kremlin")) == both
    for article in inserted:
        assert_vector_stored(article)


# The search page's cost


def test_search_page_query_count_does_not_grow_with_the_results(client):
    section = make_section()
    for number in range(3):
        story(f"Karakulov, part {number}", section=section, tags=["Kremlin"])
    assert count_queries(client, "/search/?q=Karakulov") == LIST_PAGE_QUERIES["search"]
    for number in range(3, 20):
        story(f"Karakulov, part {number}", section=section, tags=["Kremlin"])

    assert len(found("Karakulov")) == 20
    assert count_queries(client, "/search/?q=Karakulov") == LIST_PAGE_QUERIES["search"]


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


@postgresql_only
def test_saving_stores_the_search_vector_with_headline_weighted_highest():
    article = story("Karakulov reaches Berlin", body="<p>He crossed at Narva.</p>")

    article.refresh_from_db()
    assert "'karakulov':1A" in article.search_vector
    assert re.search(r"'narva':\d+C", article.search_vector)


@postgresql_only
def test_search_vectors_have_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_vector_gin'"
        )
        [(definition,)] = cursor.fetchall()

    assert "USING gin (search_vector)" in definition


@postgresql_only
def test_search_can_use_the_gin_index():
    for number in range(30):
        story(f"Story number {number}", language="de" if number % 2 else "en")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # ends with the test's transaction

    plan = Article.objects.all().search("Karakulov").explain()

    assert "article_search_vector_gin" in plan, plan
