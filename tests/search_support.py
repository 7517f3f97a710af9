"""Helpers for the search tests: stories with neutral text, what a search finds, and reading
the search page."""

import re

import pytest
from django.db import connection

from articles.models import Article

from .conftest import at, make_article

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


def assert_vector_stored(article: Article) -> None:
    """On PostgreSQL, the article has a stored search vector (SQLite stores none)."""
    if connection.vendor == "postgresql":
        assert Article.objects.filter(pk=article.pk, search_vector__isnull=False).exists()
