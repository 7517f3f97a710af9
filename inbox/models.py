"""The newsroom's inbox: what each member of staff is told, whether they have read it, and the
emails that carry it to those who want them.

The inbox knows nothing of stories. `articles/notifications.py` decides who is told what and
calls `inbox.notify.notify()`; a notification keeps its words and the address it leads to.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone

# When a failed email is tried again: after the first failure, the second… The last attempt
# is the one after the last delay; then the email is marked failed for admins to see.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user) -> "NotificationQuerySet":
        """The notifications in `user`'s inbox."""
        return self.filter(recipient=user)

    def unread(self) -> "NotificationQuerySet":
        """Notifications not marked as read."""
        return self.filter(read_at__isnull=True)

    def inbox_order(self) -> "NotificationQuerySet":
        """Unread first, then newest first."""
        is_read = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1))
        return self.order_by(is_read, "-created_at", "-pk")

    def mark_read(self) -> int:
        """Mark the unread ones among these as read now; returns how many."""
        return self.unread().update(read_at=timezone.now())


class Notification(models.Model):
    """Something a member of staff is told: in their inbox, and by email if they want."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"
        CORRECTED = "corrected", "Corrected"
        UNPUBLISHED = "unpublished", "Unpublished"
        COMMENTED = "commented", "Comment"
        MENTIONED = "mentioned", "Mention"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who did what the notification tells of; empty for the system.",
    )
    subject = models.CharField(
        max_length=300, help_text="What it is about, such as the story's headline."
    )
    message = models.TextField(help_text="What happened, in a sentence or two.")
    url = models.CharField(max_length=500, help_text="The address it leads to, on this site.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The inbox: one user's notifications, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            # The unread count every admin page shows in its header.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def is_read(self) -> bool:
        """Whether the recipient has marked it as read."""
        return self.read_at is not None


class EmailOptOut(models.Model):
    """A kind of notification a user wants in their inbox only, not by email."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Notification.Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="unique_email_opt_out")
        ]

    def __str__(self) -> str:
        return f"{self.user}: no email for {self.get_kind_display().lower()}"


class EmailDelivery(models.Model):
    """The email of one notification: sent by the task worker, tried again while it fails."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENT = "sent", "Sent"
        RETRYING = "retrying", "Failed, will try again"
        FAILED = "failed", "Failed"

    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, related_name="email"
    )
    to = models.EmailField(help_text="The address it was sent to.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "email"
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Admins' list of emails, filtered by status (the failed ones), newest first.
            models.Index(fields=["status", "-created_at"], name="email_delivery_status_idx")
        ]

    def __str__(self) -> str:
        return f"Email to {self.to}: {self.notification.subject}"

    def email_message(self) -> EmailMessage:
        """The email as it is sent: the notification's words and a link to what it is about."""
        notification = self.notification
        site = settings.NEWSROOM_SITE_URL.rstrip("/")
        body = (
            f"{notification.message}\n\n"
            f"Open it: {site}{notification.url}\n\n"
            f"-- \n{settings.NEWSROOM_SITE_NAME} newsroom. Choose which notifications you "
            f"also get by email: {site}{reverse('admin:inbox_email')}\n"
        )
        subject = " ".join(f"{notification.get_kind_display()}: {notification.subject}".split())
        return EmailMessage(subject=subject, body=body, to=[self.to])

    def attempt(self, may_retry: bool) -> bool:
        """Send the email now and record how it went: sent, or the error and, if `may_retry`
        and attempts are left, when to try again. True if it was sent."""
        now = timezone.now()
        self.attempts += 1
        try:
            self.email_message().send()
        except Exception as error:  # whatever the mail server or the network does
            self.last_error = f"{type(error).__name__}: {error}"
            if may_retry and self.attempts < MAX_ATTEMPTS:
                self.status = self.Status.RETRYING
                self.next_attempt_at = now + RETRY_DELAYS[self.attempts - 1]
            else:
                self.status = self.Status.FAILED
                self.next_attempt_at = None
        else:
            self.status = self.Status.SENT
            self.sent_at = now
            self.next_attempt_at = None
        self.save(update_fields=["attempts", "status", "last_error", "sent_at", "next_attempt_at"])
        return self.status == self.Status.SENT
