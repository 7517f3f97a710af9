"""Search over published articles. PostgreSQL full text is the search of record; on SQLite,
for development, a substring match stands in behind the same interface.

Search works on a queryset of articles through their relations (bylines, tags), so it
imports no models: `models.py` imports it, not the other way round. It gives snippets as
text with the matches between MATCH_START and MATCH_END; the `highlight_matches` template
filter makes the HTML."""

import html
import re
from html import unescape

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import (
    Case,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.html import strip_tags

# Text-search configuration per article language; others use "simple" (no stemming).
SEARCH_CONFIGS = {"en": "english", "de": "german"}
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# How many of the newest matches are ranked: older ones are not found (a word in more stories
# than this is a common one, and readers look for recent news).
RANKED_MATCHES = 500
SNIPPET_WORDS = 30
# Markers around the matches in a snippet (ts_headline puts them there on PostgreSQL).
MATCH_START, MATCH_END = "\x02", "\x03"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_query(raw: str | None) -> str:
    """The query as searched: without control characters, single-spaced, at most
    MAX_QUERY_LENGTH characters."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", raw or "").split())[:MAX_QUERY_LENGTH]


def _is_postgres(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _config():
    return Case(
        *(When(language=code, then=Value(config)) for code, config in SEARCH_CONFIGS.items()),
        default=Value("simple"),
    )


class _PlainBody(Func):
    """The body without its tags, for ranking and snippets."""

    function = "regexp_replace"
    output_field = TextField()
    template = "%(function)s(%(expressions)s, '<[^>]+>', ' ', 'g')"


def update_search_vectors(articles: QuerySet) -> int:
    """Store the search vector of each of `articles` (PostgreSQL only); how many were updated."""
    if not _is_postgres(articles):
        return 0

    def names(path: str) -> Coalesce:
        """The names at `path` of each article's bylines or tags, space-separated."""
        joined = (
            articles.model._default_manager.filter(pk=OuterRef("pk"))
            .values("pk")
            .annotate(names=StringAgg(path, " "))
            .values("names")
        )
        return Coalesce(Subquery(joined), Value(""), output_field=TextField())

    config = _config()
    vector = (
        SearchVector("headline", weight="A", config=config)
        + SearchVector("kicker", "standfirst", weight="B", config=config)
        + SearchVector(
            names("bylines__author__name"),
            names("tagged_items__tag__name"),
            weight="B",
            config="simple",
        )
        + SearchVector(_PlainBody("body"), weight="C", config=config)
    )
    return articles.update(search_vector=vector)


def search(articles: QuerySet, query: str) -> QuerySet:
    """`articles` matching `query`, best first: the best of the newest RANKED_MATCHES."""
    query = clean_query(query)
    if not query:
        return articles.none()
    if _is_postgres(articles):
        return _full_text_search(articles, query)
    return _simple_search(articles, query)


def _newest_matches(articles: QuerySet, matches: Q) -> QuerySet:
    """Those of `articles` that are among the newest RANKED_MATCHES matching `matches`."""
    # Ranking reads every match's search vector: a common word matches thousands of stories
    # at 100,000 (docs/performance.md), so only the newest of them are ranked. Newest by an
    # expression no index holds (published stories all have a publication time): PostgreSQL
    # then finds the matches with the GIN index, rather than walking a listing index newest
    # first and testing each story, which for a rare word reads every story.
    newest_first = Coalesce("published_at", "created_at").desc()
    newest = articles.filter(matches).order_by(newest_first, "-pk").values("pk")
    return articles.filter(pk__in=newest[:RANKED_MATCHES])


def _full_text_search(articles: QuerySet, query: str) -> QuerySet:
    stemmed = SearchQuery(query, config=_config(), search_type="websearch")
    # Names are indexed without stemming; match them as typed too.
    exact = SearchQuery(query, config="simple", search_type="websearch")
    # The match uses one fixed configuration per language so that the GIN index serves it;
    # rank and snippet, computed for the matches only, may pick theirs row by row.
    matches = Q(search_vector=exact)
    for code, config in SEARCH_CONFIGS.items():
        language_query = SearchQuery(query, config=config, search_type="websearch")
        matches |= Q(language=code, search_vector=language_query)
    return (
        _newest_matches(articles, matches)
        .annotate(
            rank=SearchRank(F("search_vector"), stemmed) + SearchRank(F("search_vector"), exact),
            snippet=SearchHeadline(
                _PlainBody("body"),
                stemmed,
                config=_config(),
                start_sel=MATCH_START,
                stop_sel=MATCH_END,
                max_words=SNIPPET_WORDS,
                min_words=15,
            ),
        )
        .order_by("-rank", "-published_at", "-pk")
    )


def _simple_search(articles: QuerySet, query: str) -> QuerySet:
    terms = _terms(query)
    if not terms:
        return articles.none()
    every_article = articles.model._default_manager
    matches = Q()
    for term in terms:
        # The body is HTML: match the term in its text, not in its tags or attributes.
        in_body_text = r"(^|>)[^<]*" + re.escape(html.escape(term, quote=False))
        by_author = every_article.filter(bylines__author__name__icontains=term).values("pk")
        by_tag = every_article.filter(tagged_items__tag__name__icontains=term).values("pk")
        matches &= (
            Q(headline__icontains=term)
            | Q(standfirst__icontains=term)
            | Q(kicker__icontains=term)
            | Q(body__iregex=in_body_text)
            | Q(pk__in=by_author)
            | Q(pk__in=by_tag)
        )
    articles = _newest_matches(articles, matches)
    headline_hits = sum(
        (
            Case(
                When(headline__icontains=term, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for term in terms
        ),
        Value(0, output_field=IntegerField()),
    )
    # Stories with the words in their headline come first.
    return articles.annotate(rank=headline_hits).order_by("-rank", "-published_at", "-pk")


def _terms(query: str) -> list[str]:
    terms = [term.strip("\"'+-()") for term in query.split()]
    return [term for term in terms if term][:MAX_TERMS]


def snippet(article, query: str) -> str:
    """A short passage of the article's text, as text, with the query's words between
    MATCH_START and MATCH_END."""
    marked = getattr(article, "snippet", None)  # from ts_headline, on PostgreSQL
    if marked is not None:
        return " ".join(unescape(marked).split())
    return _python_snippet(article, query)


def _python_snippet(article, query: str) -> str:
    words = unescape(strip_tags(article.body)).split()
    terms = sorted({term.casefold() for term in _terms(clean_query(query))}, key=len, reverse=True)
    first = next((i for i, word in enumerate(words) if any(t in word.casefold() for t in terms)), 0)
    start = max(first - SNIPPET_WORDS // 3, 0)
    passage = " ".join(words[start : start + SNIPPET_WORDS])
    if terms:  # one pass, longest first, so that no match is marked inside another
        pattern = re.compile("|".join(map(re.escape, terms)), re.IGNORECASE)
        passage = pattern.sub(lambda match: f"{MATCH_START}{match[0]}{MATCH_END}", passage)
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_WORDS < len(words) else ""
    return prefix + passage + suffix
