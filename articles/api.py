"""The read-only content API: published articles as IPTC ninjs 3.1, with conditional GET."""

import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, urlencode
from django.views.decorators.http import require_safe

from .blocks import load_blocks
from .caching import cached_for_readers, shows
from .models import Article, ArticleQuerySet, Page
from .ninjs import Absolute, article_item
from .timestamps import whole_seconds

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
JSON = "application/json; charset=utf-8"

# Each filter's parameter and the lookup it makes; bylines and taggings are unique per
# article, so none of the joins repeats an article.
FILTERS = {
    "section": "section__slug",
    "author": "bylines__author__slug",
    "tag": "tagged_items__tag__slug",
}
SLUG = re.compile(r"[-\w]{1,200}")


class BadParameter(ValueError):
    """A query parameter the API cannot use; answered with 400."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class ListQuery:
    """What a request for the article list asks for: filters, a page and its size."""

    page: int = 1
    page_size: int = PAGE_SIZE
    section: str = ""
    author: str = ""
    tag: str = ""
    updated_since: datetime | None = None

    @classmethod
    def from_params(cls, params: QueryDict) -> "ListQuery":
        """The query `params` make; raises BadParameter for a value that can't be used."""
        slugs = {}
        for name in FILTERS:
            value = params.get(name, "")
            if value and not SLUG.fullmatch(value):
                raise BadParameter(name, f"“{name}” must be a slug, such as “world”.")
            slugs[name] = value
        return cls(
            page=_positive_integer(params, "page", 1),
            page_size=min(_positive_integer(params, "page_size", PAGE_SIZE), MAX_PAGE_SIZE),
            updated_since=_moment(params, "updated_since"),
            **slugs,
        )

    def articles(self) -> ArticleQuerySet:
        """The published articles the filters select, newest first, with `modified_at`."""
        articles = Article.objects.published().with_modified_at()
        for name, lookup in FILTERS.items():
            if value := getattr(self, name):
                articles = articles.filter(**{lookup: value})
        if self.updated_since is not None:
            articles = articles.filter(modified_at__gte=self.updated_since)
        return articles.order_by("-published_at", "-pk")

    def query_string(self, page: int) -> str:
        """The query string asking for `page` of the same list."""
        params = {name: getattr(self, name) for name in FILTERS if getattr(self, name)}
        if self.updated_since is not None:
            params["updated_since"] = self.updated_since.isoformat()
        if self.page_size != PAGE_SIZE:
            params["page_size"] = self.page_size
        return urlencode({**params, "page": page})


@require_safe
@cached_for_readers(query=["page", "page_size", *FILTERS, "updated_since"], keys=["api-list"])
def article_list(request: HttpRequest) -> HttpResponse:
    """A page of published articles as ninjs, newest first, filtered by the query string."""
    try:
        query = ListQuery.from_params(request.GET)
    except BadParameter as error:
        return error_response(400, str(error), error.parameter)
    articles = query.articles()
    summary = articles.aggregate(count=Count("pk"), last_modified=Max("modified_at"))
    pages = max(1, math.ceil(summary["count"] / query.page_size))
    if query.page > pages:
        return error_response(404, f"There is no page {query.page}; the last is {pages}.", "page")
    start = (query.page - 1) * query.page_size
    keys = list(articles.values_list("pk", "updated_at")[start : start + query.page_size])

    def render() -> HttpResponse:
        return json_response(
            {
                "count": summary["count"],
                "page": query.page,
                "pages": pages,
                "page_size": query.page_size,
                "next": _page_url(request, query, query.page + 1, pages),
                "previous": _page_url(request, query, query.page - 1, pages),
                "items": _items([pk for pk, _ in keys], request.build_absolute_uri),
            }
        )

    etag = _etag(query, summary["count"], keys)
    return conditional(request, etag, summary["last_modified"], render)


@require_safe
@cached_for_readers()
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published article as ninjs."""
    found = (
        Article.objects.published()
        .with_modified_at()
        .filter(pk=pk)
        .values_list("updated_at", "published_at", "modified_at")
        .first()
    )
    if found is None:
        return error_response(404, f"There is no published article {pk}.")
    updated_at, published_at, modified_at = found

    def render() -> HttpResponse:
        items = _items([pk], request.build_absolute_uri)
        if not items:  # unpublished since the first look
            return error_response(404, f"There is no published article {pk}.")
        return json_response(items[0])

    return conditional(request, _etag(pk, updated_at, published_at), modified_at, render)


def conditional(
    request: HttpRequest,
    etag: str,
    last_modified: datetime | None,
    render: Callable[[], HttpResponse],
) -> HttpResponse:
    """304 if the client's copy is current (without rendering), else what `render` makes;
    either way with the validators (the caching headers come from cached_for_readers)."""
    seconds = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=seconds)
    if response is None:
        response = render()
    if response.status_code in (200, 304):
        response["ETag"] = etag
        if seconds is not None:
            response["Last-Modified"] = http_date(seconds)
    return response


def json_response(data: dict, status: int = 200) -> JsonResponse:
    """`data` as UTF-8 JSON."""
    return JsonResponse(
        data, status=status, content_type=JSON, json_dumps_params={"ensure_ascii": False}
    )


def error_response(status: int, message: str, parameter: str | None = None) -> JsonResponse:
    """An error as JSON, naming the query parameter at fault, if any."""
    error = {"status": status, "error": message}
    if parameter:
        error["parameter"] = parameter
    return json_response(error, status=status)


def _items(pks: list[int], absolute: Absolute) -> list[dict]:
    # Loaded by pk and put back in order: the page was chosen by the cheaper query before.
    published = Article.objects.published()
    articles = published.for_display().in_bulk(pks)
    ordered = [articles[pk] for pk in pks if pk in articles]
    for article in ordered:
        shows(
            article,
            article.section,
            article.lead_picture,
            *article.ordered_authors(),
            *article.tags.all(),
            *(citation.source for citation in article.citations.all()),
        )
    families = published.translation_families(ordered)
    load_blocks(ordered)  # what the bodies' blocks name, for the whole page at once
    return [article_item(article, absolute, families[article.pk]) for article in ordered]


def _etag(*parts) -> str:
    # Policy pages appear in every item; they come from the cache, so this costs no query.
    policies = sorted(
        (page.role, page.pk, page.updated_at) for page in Page.objects.policies().values()
    )
    digest = hashlib.sha256(repr((parts, policies)).encode()).hexdigest()[:32]
    return f'W/"{digest}"'


def _page_url(request: HttpRequest, query: ListQuery, page: int, pages: int) -> str | None:
    if not 1 <= page <= pages:
        return None
    return request.build_absolute_uri(f"{request.path}?{query.query_string(page)}")


def _positive_integer(params: QueryDict, name: str, default: int) -> int:
    value = params.get(name, "")
    if not value:
        return default
    try:
        number = int(value) if value.isascii() and value.isdigit() else 0
    except ValueError:  # more digits than Python converts
        number = 0
    if number < 1:
        raise BadParameter(name, f"“{name}” must be a whole number from 1.")
    return number


def _moment(params: QueryDict, name: str) -> datetime | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    # An unencoded "+" in a query string arrives as a space: "…T10:00:00 02:00".
    for candidate in (value, re.sub(r" (\d\d:?\d\d)$", r"+\1", value)):
        try:
            moment = parse_datetime(candidate)
            if moment is None:
                continue
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            # Times that don't exist in UTC (year 1 east of Greenwich) fail here, not in the
            # database. A fraction of a second is dropped, as versionCreated has none: the
            # filter is inclusive, so that can only add the articles of that one second.
            return whole_seconds(moment.astimezone(UTC))
        except (ValueError, OverflowError):
            continue
    raise BadParameter(
        name, f"“{name}” must be an ISO 8601 date and time, such as 2026-04-05T10:00:00Z."
    )
