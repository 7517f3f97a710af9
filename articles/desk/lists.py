"""The desk's lists, each defined once from the QuerySet's rules: the article list's "desk"
filter shows them, and the admin index counts them and links to them."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from ..models import Article, ArticleQuerySet


@dataclass(frozen=True)
class DeskList:
    name: str  # in addresses: ?desk=<name>
    label: str
    # (articles, user) → the articles among them on this list for that user
    articles: Callable[[ArticleQuerySet, object], ArticleQuerySet]


def _published_today(articles: ArticleQuerySet, user) -> ArticleQuerySet:
    start_of_day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return articles.published_since(start_of_day)


DESK_LISTS = {
    desk_list.name: desk_list
    for desk_list in [
        DeskList("mine", "Mine", lambda articles, user: articles.owned_by(user)),
        DeskList(
            "review",
            "Awaiting review",
            lambda articles, user: articles.filter(status=Article.Status.IN_REVIEW),
        ),
        DeskList(
            "changes",
            "Changes requested",
            lambda articles, user: articles.filter(status=Article.Status.CHANGES_REQUESTED),
        ),
        DeskList("scheduled", "Scheduled", lambda articles, user: articles.scheduled()),
        DeskList("today", "Published today", _published_today),
    ]
}


class DeskFilter(admin.SimpleListFilter):
    """The article list's filter by desk list."""

    title = "desk"
    parameter_name = "desk"

    def lookups(self, request, model_admin) -> list[tuple[str, str]]:
        return [(desk_list.name, desk_list.label) for desk_list in DESK_LISTS.values()]

    def queryset(self, request, queryset: ArticleQuerySet) -> ArticleQuerySet:
        desk_list = DESK_LISTS.get(self.value())
        return desk_list.articles(queryset, request.user) if desk_list else queryset


@dataclass(frozen=True)
class Tally:
    """One count on the admin index: a desk list, narrowed to one status if `status` is set
    (as the article list's status filter narrows it)."""

    label: str
    list_name: str
    status: str = ""


INDEX_TALLIES = [
    Tally("My drafts", "mine", Article.Status.DRAFT),
    Tally("Awaiting review", "review"),
    Tally("Changes requested", "changes"),
    Tally("Scheduled", "scheduled"),
    Tally("Published today", "today"),
]


def index_summary(user) -> list[dict]:
    """The admin index's counts of the articles `user` may open, each with a link to its list
    (one query)."""
    conditions = [_condition(tally, user) for tally in INDEX_TALLIES]
    counts = Article.objects.visible_to(user).aggregate(
        **{f"tally_{i}": Count("pk", filter=condition) for i, condition in enumerate(conditions)}
    )
    return [
        {"label": tally.label, "count": counts[f"tally_{i}"], "url": _link(tally, user)}
        for i, tally in enumerate(INDEX_TALLIES)
    ]


def _condition(tally: Tally, user) -> Q:
    on_list = Q(pk__in=DESK_LISTS[tally.list_name].articles(Article.objects.all(), user))
    return on_list & Q(status=tally.status) if tally.status else on_list


def _link(tally: Tally, user) -> str:
    if tally.list_name == "review" and user.has_perm("articles.publish_article"):
        return reverse("admin:articles_article_review")  # those who review work the queue
    query = {"desk": tally.list_name} | ({"status__exact": tally.status} if tally.status else {})
    return f"{reverse('admin:articles_article_changelist')}?{urlencode(query)}"
