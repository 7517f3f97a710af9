"""Pages of lists: stories by position in the list, search results by number.

A list of stories (latest, a section, an author, a tag, a source) is read newest first and a
page at a time by *position*: a page links to the stories just older than its last one
(?before=<id>) and just newer than its first (?after=<id>). Finding a page is a walk down the
listing index from that story, so the thousandth page costs what the first does, and no page
counts the whole list; at 100,000 stories the count was most of a list page's time. Addresses
of numbered pages (?page=<n>), which the site linked to before, still work.

Search results, ordered by relevance rather than time, keep numbered pages and their count.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count, Q, QuerySet, Subquery, Window
from django.http import Http404, HttpRequest

from .models import Article, ArticleQuerySet

# The parameters naming a page of a list of stories (the page cache keeps a copy per page).
STORY_PAGE_QUERY = ("before", "after", "page")
NEWEST_FIRST = ("-published_at", "-pk")
OLDEST_FIRST = ("published_at", "pk")


def paginate(request: HttpRequest, results: QuerySet, per_page: int | None = None) -> Page:
    """The page of `results` named by ?page=, counted in the same query; a page that doesn't
    exist is a 404."""
    per_page = per_page or settings.NEWSROOM_ARTICLES_PER_PAGE
    text = request.GET.get("page") or "1"
    # No list has a billion pages (and its offset would overflow).
    if not (text.isascii() and text.isdigit()) or len(text) > 9 or int(text) < 1:
        raise Http404(f"{text!r} names no page.")
    number = int(text)
    start = (number - 1) * per_page
    # The count as a window over every result, which ranking reads anyway: a COUNT of its own
    # would find every match again (search at 100,000 stories: docs/performance.md).
    counted = results.annotate(result_count=Window(Count("pk")))
    found = list(counted[start : start + per_page])
    paginator = Paginator(results, per_page)
    paginator.count = found[0].result_count if found else 0
    try:
        return Page(found, paginator.validate_number(number), paginator)
    except InvalidPage as error:
        raise Http404(str(error)) from error


@dataclass
class StoryPage:
    """A page of a list of stories, with the addresses of its neighbours ("" if none)."""

    object_list: list[Article]
    newer_url: str = ""
    older_url: str = ""


def story_page(
    request: HttpRequest, stories: ArticleQuerySet, lead: Article | None = None
) -> StoryPage:
    """The page of `stories` (published) the request asks for: the newest, those just older
    than ?before=<id> or just newer than ?after=<id>, or numbered page ?page=<n>.

    The newest page shows the listed version of `lead`, a pinned story, first; pages further
    down leave it out. An address that names no page of the list is a 404; a page of newer
    stories reaching the newest is the newest page, as it is now.
    """
    per_page = settings.NEWSROOM_ARTICLES_PER_PAGE
    name, position = _position(request)
    pinned = _versions_of(lead)
    rest = stories.exclude(pinned) if pinned is not None else stories
    if name == "before":
        older = _rows(_older_than(rest, position), NEWEST_FIRST, 0, per_page + 1)
        return _page(older[:per_page], has_newer=True, has_older=len(older) > per_page)
    if name == "after":
        newer = _rows(_newer_than(rest, position), OLDEST_FIRST, 0, per_page + 1)
        if len(newer) > per_page:
            return _page(newer[:per_page][::-1], has_newer=True, has_older=True)
        if pinned is None and len(newer) == per_page:  # the newest page itself
            return _page(newer[::-1], has_newer=False, has_older=True)
    elif name == "page" and position > 1:
        # The page as the numbered pages counted it: the pinned story first, then the rest.
        start = (position - 1) * per_page
        if pinned is not None and stories.filter(pinned).exists():
            start -= 1
        found = _rows(rest, NEWEST_FIRST, start, start + per_page + 1)
        return _page(found[:per_page], has_newer=True, has_older=len(found) > per_page)
    leading, newest = _newest(stories, rest, pinned, per_page + 1)
    found = leading + newest
    if not found:
        return StoryPage([])  # an empty list, its only page
    page = _page(found[:per_page], has_newer=False, has_older=len(found) > per_page)
    if page.older_url and page.object_list == leading:  # one story a page, the pinned one
        page.older_url = f"?{urlencode({'page': 2})}"
    return page


def _page(shown: list[Article], *, has_newer: bool, has_older: bool) -> StoryPage:
    if not shown:
        raise Http404("There are no stories on this page.")
    page = StoryPage(shown)
    if has_newer:
        page.newer_url = f"?{urlencode({'after': shown[0].pk})}"
    if has_older:
        page.older_url = f"?{urlencode({'before': shown[-1].pk})}"
    return page


def _position(request: HttpRequest) -> tuple[str | None, int | None]:
    """Which page the address names, and the position (a story's id or a page number)."""
    named = [name for name in STORY_PAGE_QUERY if name in request.GET]
    if not named:
        return None, None
    if len(named) > 1:
        raise Http404("Name one page: before=, after= or page=.")
    text = request.GET[named[0]]
    # Ids fit 63 bits; no list has a billion pages (and its offset would overflow).
    longest = 9 if named[0] == "page" else 18
    if not (text.isascii() and text.isdigit()) or len(text) > longest or int(text) < 1:
        raise Http404(f"{text!r} names no page.")
    return named[0], int(text)


def _versions_of(lead: Article | None) -> Q | None:
    if lead is None:
        return None
    root = lead.translation_of_id or lead.pk
    return Q(pk=root) | Q(translation_of=root)


def _newest(
    stories: ArticleQuerySet, rest: ArticleQuerySet, pinned: Q | None, count: int
) -> tuple[list[Article], list[Article]]:
    """The listed version of the pinned story (if any), and the newest of the others."""
    if pinned is None:
        return [], _rows(stories, NEWEST_FIRST, 0, count)
    # Two short walks down indexes, not one order by "pinned first", which sorts the list.
    lead = _rows(stories.filter(pinned), NEWEST_FIRST, 0, 1)
    return lead, _rows(rest, NEWEST_FIRST, 0, count - len(lead))


def _rows(stories: ArticleQuerySet, order: tuple[str, ...], start: int, stop: int) -> list[Article]:
    """Stories `start` to `stop` of `stories` in `order`, in one query: the LIMITed walk down
    the listing index chooses them, and only they get their annotations."""
    # Computed beside the walk, an annotation such as the teasers' translation flag is planned
    # by PostgreSQL for the whole list: a hashed subplan over every story (85 ms at 100,000).
    chosen = stories.order_by(*order).values("pk")[start:stop]
    return list(stories.filter(pk__in=chosen).order_by(*order))


def _published_at(pk: int) -> Subquery:
    # Only a story readers may see marks a position: no probing of drafts' or embargoed
    # stories' times. A position withdrawn since names no page (404).
    return Subquery(Article.objects.published().filter(pk=pk).values("published_at"))


def _older_than(stories: ArticleQuerySet, pk: int) -> ArticleQuerySet:
    moment = _published_at(pk)
    # The first condition bounds the walk down the index; the second breaks ties.
    return stories.filter(Q(published_at__lte=moment) & (Q(published_at__lt=moment) | Q(pk__lt=pk)))


def _newer_than(stories: ArticleQuerySet, pk: int) -> ArticleQuerySet:
    moment = _published_at(pk)
    return stories.filter(Q(published_at__gte=moment) & (Q(published_at__gt=moment) | Q(pk__gt=pk)))
