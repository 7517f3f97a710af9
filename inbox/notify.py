"""Telling staff: the one way a notification is made."""

from collections.abc import Iterable
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .models import EmailDelivery, EmailOptOut, Notification
from .tasks import send_email


def notify(
    recipients: Iterable[AbstractBaseUser],
    kind: str,
    *,
    actor: AbstractBaseUser | None,
    subject: str,
    message: str,
    url: str,
) -> list[Notification]:
    """Put a notification of `kind` in each recipient's inbox (never the actor's: nobody is
    told what they did themselves), and email it to those who want emails of that kind.

    The notifications are part of the caller's transaction; the emails are queued once it
    commits, so an action rolled back sends nothing, and a failing mail server, met later by
    the task worker, cannot undo the action.
    """
    people = {user.pk: user for user in recipients if actor is None or user.pk != actor.pk}
    no_email = set(
        EmailOptOut.objects.filter(user__in=list(people), kind=kind).values_list(
            "user_id", flat=True
        )
    )
    notifications = []
    for user in people.values():
        notification = Notification.objects.create(
            recipient=user, kind=kind, actor=actor, subject=subject, message=message, url=url
        )
        notifications.append(notification)
        if user.email and user.pk not in no_email:
            delivery = EmailDelivery.objects.create(notification=notification, to=user.email)
            transaction.on_commit(partial(send_email.enqueue, delivery.pk), robust=True)
    return notifications
