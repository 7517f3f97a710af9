"""The editorial workflow: which status changes exist, who may make them, and making them.

    draft ──submit──▶ in review ──publish / schedule──▶ published ──unpublish──▶ unpublished
      ▲                   │                                                          │
      │            request changes                                                  │
      │                   ▼                                                          │
      └──revise── changes requested ──submit──▶ in review                            │
      └──────────────────────────── back to draft ◀──────────────────────────────────┘

Every change is checked here, on the server, and recorded as a StatusChange: by the user who
made it, or by `SYSTEM` for a command or script (shown as "the system"). Those who need to know
are told in the same transaction (articles/notifications.py).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import notifications
from .caching import invalidate
from .models import Article, ReviewComment, StatusChange

Status = Article.Status
STATE_FIELDS = ["status", "published_at", "expires_at"]


class SystemActor:
    """The site itself, acting for a management command or script: it may take every step,
    and its steps are recorded without a user."""

    def __repr__(self) -> str:
        return "the system"


SYSTEM = SystemActor()


def _may_edit(user, article: Article) -> bool:
    return article.can_be_edited_by(user)


def _may_publish(user, article: Article) -> bool:
    return user.is_active and user.has_perm("articles.publish_article")


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    is_allowed_for: Callable[..., bool]
    needs_comment: bool = False
    comment_label: str = "Comment"
    needs_time: bool = False
    style: str = ""

    def applies_to(self, article: Article) -> bool:
        return article.status in self.sources


TRANSITIONS = {
    transition.name: transition
    for transition in [
        Transition(
            "submit",
            "Submit for review",
            frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
            Status.IN_REVIEW,
            _may_edit,
        ),
        Transition(
            "publish",
            "Publish now",
            frozenset({Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED}),
            Status.PUBLISHED,
            _may_publish,
            style="default",
        ),
        Transition(
            "schedule",
            "Schedule",
            frozenset({Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED}),
            Status.PUBLISHED,
            _may_publish,
            needs_time=True,
        ),
        Transition(
            "request_changes",
            "Request changes",
            frozenset({Status.IN_REVIEW}),
            Status.CHANGES_REQUESTED,
            _may_publish,
            needs_comment=True,
            comment_label="What should change",
        ),
        Transition(
            "revise",
            "Back to draft",
            frozenset({Status.CHANGES_REQUESTED}),
            Status.DRAFT,
            _may_edit,
        ),
        Transition(
            "unpublish",
            "Unpublish",
            frozenset({Status.PUBLISHED}),
            Status.UNPUBLISHED,
            _may_publish,
            needs_comment=True,
            comment_label="Reason for withdrawing it",
            style="danger",
        ),
        Transition(
            "redraft",
            "Back to draft",
            frozenset({Status.UNPUBLISHED}),
            Status.DRAFT,
            _may_publish,
        ),
    ]
}


def available_transitions(article: Article, user) -> list[Transition]:
    """The transitions `user` may make on `article` in its current state."""
    return [
        transition
        for transition in TRANSITIONS.values()
        if transition.applies_to(article) and transition.is_allowed_for(user, article)
    ]


@transaction.atomic
def apply(
    article: Article, name: str, user, comment: str = "", at: datetime | None = None
) -> StatusChange:
    """Make transition `name` on `article` as `user` (or `SYSTEM`), or raise without changing
    anything.

    PermissionDenied when the user may not make it; ValidationError when it does not fit the
    article's state or lacks its comment or time. `at` is the time to schedule for, or the
    time a story published now says it was published (not later than now; default: now).
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError(f"There is no workflow step called “{name}”.")
    # Re-read under a lock: the state may have changed since the form was drawn.
    current = Article.objects.select_for_update().only(*STATE_FIELDS).get(pk=article.pk)
    for field in STATE_FIELDS:
        setattr(article, field, getattr(current, field))
    if user is not SYSTEM and not transition.is_allowed_for(user, article):
        raise PermissionDenied(f"You may not {transition.label.lower()} this article.")
    if not transition.applies_to(article):
        raise ValidationError(
            f"“{transition.label}” is not possible: the article is "
            f"{article.get_status_display().lower()}."
        )
    comment = comment.strip()
    if transition.needs_comment and not comment:
        raise ValidationError(f"{transition.comment_label} is required.")
    previous_status = article.status
    was_withdrawn = article.is_withdrawn
    now = timezone.now()
    _move(article, transition, at, now)
    if was_withdrawn or article.is_withdrawn:
        # Withdrawn text must not stay readable through a share link, and going back to
        # draft must not bring old links back to life.
        article.preview_links.revoke()
    if previous_status in Article.READER_FACING or article.status in Article.READER_FACING:
        invalidate(article.surrogate_keys())
    actor = None if user is SYSTEM else user
    change = StatusChange.objects.create(
        article=article,
        from_status=previous_status,
        to_status=article.status,
        changed_by=actor,
        changed_at=now,
        comment=comment,
    )
    if comment:
        ReviewComment.objects.create(
            article=article, author=actor, text=comment, created_at=now, status_change=change
        )
    notifications.step_taken(article, transition.name, change)
    return change


def _move(article: Article, transition: Transition, at: datetime | None, now: datetime) -> None:
    if transition.needs_time:
        if at is None or at <= now:
            raise ValidationError("Choose a publication time in the future to schedule.")
        article.published_at = at
    elif transition.name == "publish":
        if at is not None and at > now:
            raise ValidationError("A publication time in the future schedules the story.")
        article.published_at = at or now
    if article.expires_at and article.published_at and article.expires_at <= article.published_at:
        raise ValidationError(
            "The takedown time comes before the publication time; change it first."
        )
    article.status = transition.target
    article.save(update_fields=["status", "published_at", "updated_at"])
