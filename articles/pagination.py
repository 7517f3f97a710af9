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
from django.db.models import Q, Subquery
from django.http import Http404, HttpRequest

from .models import Article, ArticleQuerySet

NEWEST_FIRST = ("-published_at", "-pk")
OLDEST_FIRST = ("published_at", "pk")


def paginate(request: HttpRequest, object_list, per_page: int | None = None) -> Page:
    """The page of `object_list` named by ?page=; a page that doesn't exist is a 404."""
    paginator = Paginator(object_list, per_page or settings.NEWSROOM_ARTICLES_PER_PAGE)
    try:
        return paginator.page(request.GET.get("page") or 1)
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

    The newest page shows the versions of `lead`, a pinned story, first; pages further down
    leave them out. An address that names no page of the list is a 404; a page of newer
    stories that have all gone since is the newest page.
    """
    per_page = settings.NEWSROOM_ARTICLES_PER_PAGE
    name, position = _position(request)
    pinned = _versions_of(lead)
    rest = stories.exclude(pinned) if pinned is not None else stories
    if name == "after":
        newer = list(_newer_than(rest, position).order_by(*OLDEST_FIRST)[: per_page + 1])
        shown, has_newer, has_older = newer[:per_page][::-1], len(newer) > per_page, True
    elif name == "before":
        older = list(_older_than(rest, position).order_by(*NEWEST_FIRST)[: per_page + 1])
        shown, has_newer, has_older = older[:per_page], True, len(older) > per_page
    elif name == "page":
        start = (position - 1) * per_page
        found = list(rest.order_by(*NEWEST_FIRST)[start : start + per_page + 1])
        shown, has_newer, has_older = found[:per_page], position > 1, len(found) > per_page
    lead = []
    if name is None or (name == "after" and not shown):
        lead, newest = _newest(stories, rest, pinned, per_page + 1)
        shown, has_newer, has_older = (
            (lead + newest)[:per_page],
            False,
            len(lead + newest) > per_page,
        )
    if not shown and name is not None:
        raise Http404("There are no stories on this page.")
    page = StoryPage(shown)
    if has_newer:
        page.newer_url = f"?{urlencode({'after': shown[0].pk})}"
    if has_older and shown == lead:  # one story a page, and that the pinned one
        page.older_url = "?page=1"
    elif has_older:
        page.older_url = f"?{urlencode({'before': shown[-1].pk})}"
    return page


def _position(request: HttpRequest) -> tuple[str | None, int | None]:
    """Which page the address names, and the position (a story's id or a page number)."""
    named = [name for name in ("before", "after", "page") if name in request.GET]
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
        return [], list(stories.order_by(*NEWEST_FIRST)[:count])
    # Two short walks down indexes, not one order by "pinned first", which sorts the list.
    lead = list(stories.filter(pinned).order_by(*NEWEST_FIRST)[:1])
    return lead, list(rest.order_by(*NEWEST_FIRST)[: count - len(lead)])


def _older_than(stories: ArticleQuerySet, pk: int) -> ArticleQuerySet:
    moment = Subquery(Article.objects.filter(pk=pk).values("published_at"))
    # The first condition bounds the walk down the index; the second breaks ties.
    return stories.filter(Q(published_at__lte=moment) & (Q(published_at__lt=moment) | Q(pk__lt=pk)))


def _newer_than(stories: ArticleQuerySet, pk: int) -> ArticleQuerySet:
    moment = Subquery(Article.objects.filter(pk=pk).values("published_at"))
    return stories.filter(Q(published_at__gte=moment) & (Q(published_at__gt=moment) | Q(pk__gt=pk)))
