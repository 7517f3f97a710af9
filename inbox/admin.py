from functools import partial

from django.contrib import admin, messages
from django.db import transaction

from .models import EmailDelivery
from .tasks import send_email


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    """The notification emails, for admins: which were sent, which failed and why. A record:
    nothing is typed here; failed emails can be sent again."""

    list_display = ["created_at", "to", "subject", "status", "attempts", "next_attempt_at", "error"]
    list_filter = ["status", "notification__kind"]
    list_select_related = ["notification"]
    search_fields = ["to", "notification__subject"]
    date_hierarchy = "created_at"
    fields = ["to", "subject", "status", "attempts", "last_error", "created_at", "sent_at"]
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description="Subject", ordering="notification__subject")
    def subject(self, delivery: EmailDelivery) -> str:
        return delivery.notification.subject

    @admin.display(description="Last error")
    def error(self, delivery: EmailDelivery) -> str:
        return delivery.last_error[:120]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_send_permission(self, request) -> bool:
        return request.user.has_perm("inbox.change_emaildelivery")

    @admin.action(description="Send the selected failed emails again", permissions=["send"])
    def send_again(self, request, queryset):
        failed = list(queryset.filter(status=EmailDelivery.Status.FAILED))
        with transaction.atomic():
            for delivery in failed:
                delivery.status, delivery.attempts = EmailDelivery.Status.QUEUED, 0
                delivery.save(update_fields=["status", "attempts"])
                transaction.on_commit(partial(send_email.enqueue, delivery.pk), robust=True)
        self.message_user(
            request, f"{len(failed)} failed email(s) queued to be sent again.", messages.SUCCESS
        )
