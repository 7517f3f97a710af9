"""Search over published articles: PostgreSQL full text where we have it, a simple fallback
behind the same interface elsewhere (SQLite, for local use)."""

import html
import re
from html import unescape

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
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

# Text-search configuration per article language; others use "simple" (no stemming).
SEARCH_CONFIGS = {"en": "english", "de": "german"}
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
SNIPPET_WORDS = 30
# Markers ts_headline puts around matches; escaped text can't contain them.
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
    from django.contrib.postgres.aggregates import StringAgg
    from django.contrib.postgres.search import SearchVector

    from .models import Byline, TaggedArticle

    if not _is_postgres(articles):
        return 0

    def names(model, article_field: str, name_field: str) -> Subquery:
        return Subquery(
            model.objects.filter(**{article_field: OuterRef("pk")})
            .values(article_field)
            .annotate(names=StringAgg(name_field, " "))
            .values("names")
        )

    config = _config()
    vector = (
        SearchVector("headline", weight="A", config=config)
        + SearchVector("kicker", "standfirst", weight="B", config=config)
        + SearchVector(
            Coalesce(names(Byline, "article", "author__name"), Value(""), output_field=TextField()),
            Coalesce(
                names(TaggedArticle, "content_object", "tag__name"),
                Value(""),
                output_field=TextField(),
            ),
            weight="B",
            config="simple",
        )
        + SearchVector(_PlainBody("body"), weight="C", config=config)
    )
    return articles.update(search_vector=vector)


def search(articles: QuerySet, query: str) -> QuerySet:
    query = clean_query(query)
    if not query:
        return articles.none()
    if _is_postgres(articles):
        return _full_text_search(articles, query)
    return _simple_search(articles, query)


def _full_text_search(articles: QuerySet, query: str) -> QuerySet:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

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
        articles.filter(matches)
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
    from .models import Byline, TaggedArticle

    terms = _terms(query)
    if not terms:
        return articles.none()
    for term in terms:
        # The body is HTML: match the term in its text, not in its tags or attributes.
        in_body_text = r"(^|>)[^<]*" + re.escape(html.escape(term, quote=False))
        by_author = Byline.objects.filter(author__name__icontains=term).values("article")
        by_tag = TaggedArticle.objects.filter(tag__name__icontains=term).values("content_object")
        articles = articles.filter(
            Q(headline__icontains=term)
            | Q(standfirst__icontains=term)
            | Q(kicker__icontains=term)
            | Q(body__iregex=in_body_text)
            | Q(pk__in=by_author)
            | Q(pk__in=by_tag)
        )
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


def snippet(article, query: str) -> SafeString:
    """A short passage of the article's text with the query's words marked."""
    raw = getattr(article, "snippet", None)
    if raw is not None:
        text = escape(" ".join(unescape(raw).split()))
        return mark_safe(text.replace(MATCH_START, "<mark>").replace(MATCH_END, "</mark>"))  # noqa: S308
    return _python_snippet(article, query)


def _python_snippet(article, query: str) -> SafeString:
    words = unescape(strip_tags(article.body)).split()
    terms = [term.casefold() for term in _terms(clean_query(query))]
    first = next((i for i, word in enumerate(words) if any(t in word.casefold() for t in terms)), 0)
    start = max(first - SNIPPET_WORDS // 3, 0)
    passage = " ".join(words[start : start + SNIPPET_WORDS])
    text = escape(passage)
    for term in sorted(set(terms), key=len, reverse=True):
        pattern = re.compile(re.escape(escape(term)), re.IGNORECASE)
        text = pattern.sub(lambda match: f"{MATCH_START}{match[0]}{MATCH_END}", text)
    text = text.replace(MATCH_START, "<mark>").replace(MATCH_END, "</mark>")
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_WORDS < len(words) else ""
    return mark_safe(prefix + text + suffix)  # noqa: S308 - built from escaped text
