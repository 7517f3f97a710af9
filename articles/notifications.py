"""Who in the newsroom is told what happens to a story.

- Editors (active staff who may publish) are told when a story is submitted for review.
- A story's authors (the staff logins of its bylines, and whoever created it) are told when
  changes are requested, and when it is published, scheduled, corrected or unpublished.
- A new review comment tells the story's authors and whoever commented on it before.
- `@username` in a review comment, or in the comment of a workflow step, tells that user.

Nobody is told what they did themselves, nor anything of a story they may not open
(`Article.can_be_viewed_by()`): mentioning such a user tells nobody. Each person is told once
per action: a mention in a step's comment adds nobody the step told already, and someone
mentioned in a comment is told of the mention rather than of the comment.

Each function is called explicitly by the operation it reports on (`workflow.apply()`, the
admin's corrections, the desk's comment view) inside that operation's transaction; the inbox
app stores the notifications and emails them once the transaction commits.
"""

import re
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone

from inbox.models import Notification
from inbox.notify import notify

from .models import Article, Correction, ReviewComment, StatusChange

Kind = Notification.Kind

# "@jkiffmeier", not the middle of "jens@example.com". Django usernames may hold . @ + - _,
# and a sentence may end right after one ("Thanks, @jkiffmeier.").
MENTION = re.compile(r"(?<![\w.@+-])@([\w.@+-]+)")
TRAILING = ".@+-"

# What each workflow step tells, and whom: editors for a submission, the authors otherwise.
STEP_KINDS = {
    "submit": Kind.SUBMITTED,
    "request_changes": Kind.CHANGES_REQUESTED,
    "publish": Kind.PUBLISHED,
    "schedule": Kind.SCHEDULED,
    "unpublish": Kind.UNPUBLISHED,
}


def step_taken(article: Article, step: str, change: StatusChange) -> None:
    """Tell those who need to know of workflow step `step` on `article` (recorded as
    `change`), and whoever its comment mentions."""
    actor = change.changed_by
    kind = STEP_KINDS.get(step)
    told = []
    if kind is not None:
        told = editors(article) if kind == Kind.SUBMITTED else authors(article)
        _tell(told, kind, article, actor, _step_message(kind, article, actor, change.comment))
    if change.comment:
        _tell_mentioned(article, actor, change.comment, already_told=told)


def commented(comment: ReviewComment) -> None:
    """Tell the story's authors, whoever commented on it before, and whoever the comment
    mentions, of a new review comment."""
    article, actor = comment.article, comment.author
    mentioned = _tell_mentioned(article, actor, comment.text)
    earlier = article.review_comments.exclude(pk=comment.pk).values("author")
    participants = _may_view(
        article,
        _staff().filter(Q(pk__in=earlier) | Q(pk=article.created_by_id) | _has_byline_on(article)),
    )
    message = f"{_who(actor)} commented on “{article}”: {comment.text}"
    _tell(
        [user for user in participants if user not in mentioned],
        Kind.COMMENTED,
        article,
        actor,
        message,
        anchor="#review-comments",
    )


def corrected(correction: Correction, actor: AbstractBaseUser | None) -> None:
    """Tell the story's authors that `actor` added `correction` to it."""
    article = correction.article
    what = correction.get_kind_display().lower()
    message = f"{_who(actor)} added a {what} to “{article}”: {correction.text}"
    _tell(authors(article), Kind.CORRECTED, article, actor, message)


def editors(article: Article) -> list[AbstractBaseUser]:
    """The active staff who may publish `article`, and so review it."""
    may_publish = get_user_model().objects.with_perm(
        "articles.publish_article", backend="django.contrib.auth.backends.ModelBackend"
    )
    return _may_view(article, may_publish.filter(is_staff=True))


def authors(article: Article) -> list[AbstractBaseUser]:
    """The active staff whose story `article` is: its creator and its bylines' logins."""
    return _may_view(
        article, _staff().filter(Q(pk=article.created_by_id) | _has_byline_on(article))
    )


def mentions(article: Article, text: str) -> tuple[list[AbstractBaseUser], list[str]]:
    """Those `@username` in `text` tells of `article` (active staff who may open it), and the
    names it mentions that tell nobody (no such user, or one who may not open the story)."""
    names = {name: name.rstrip(TRAILING) for name in MENTION.findall(text)}
    found = _staff().filter(username__in=[*names, *names.values()])
    reached = _may_view(article, found)
    reached_names = {user.get_username() for user in reached}
    missed = sorted(
        {
            stripped
            for name, stripped in names.items()
            if name not in reached_names and stripped not in reached_names
        }
    )
    return reached, missed


def _tell_mentioned(
    article: Article,
    actor: AbstractBaseUser | None,
    text: str,
    already_told: Iterable[AbstractBaseUser] = (),
) -> list[AbstractBaseUser]:
    reached, _ = mentions(article, text)
    mentioned = [user for user in reached if user not in already_told]
    message = f"{_who(actor)} mentioned you in a comment on “{article}”: {text}"
    _tell(mentioned, Kind.MENTIONED, article, actor, message, anchor="#review-comments")
    return mentioned


def _tell(
    recipients: list[AbstractBaseUser],
    kind: str,
    article: Article,
    actor: AbstractBaseUser | None,
    message: str,
    anchor: str = "",
) -> None:
    if not recipients:
        return
    url = reverse("admin:articles_article_change", args=[article.pk]) + anchor
    notify(recipients, kind, actor=actor, subject=article.headline, message=message, url=url)


def _step_message(kind: str, article: Article, actor: AbstractBaseUser | None, comment: str) -> str:
    who = _who(actor)
    if kind == Kind.SUBMITTED:
        return f"{who} submitted “{article}” for review."
    if kind == Kind.CHANGES_REQUESTED:
        return f"{who} asked for changes to “{article}”: {comment}"
    if kind == Kind.SCHEDULED:
        when = formats.date_format(timezone.localtime(article.published_at), "j F Y, H:i T")
        return f"{who} scheduled “{article}” for {when}."
    if kind == Kind.UNPUBLISHED:
        return f"{who} unpublished “{article}”: {comment}"
    return f"{who} published “{article}”."


def _who(user: AbstractBaseUser | None) -> str:
    return "The system" if user is None else user.get_full_name() or user.get_username()


def _staff():
    return get_user_model().objects.filter(is_active=True, is_staff=True)


def _has_byline_on(article: Article) -> Q:
    return Q(author_profile__bylines__article=article)


def _may_view(article: Article, users) -> list[AbstractBaseUser]:
    # The one rule of who may open a story, asked of each candidate (a handful per action).
    return [user for user in users.distinct() if article.can_be_viewed_by(user)]
