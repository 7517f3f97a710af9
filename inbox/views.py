"""The inbox's screens in the admin, one function view each; urls.py puts them behind the
admin's login. Everyone sees and changes only their own notifications and settings."""

from django.contrib import admin, messages
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from .forms import EmailSettingsForm
from .models import EmailOptOut, Notification

PER_PAGE = 50


def unread_count(request: HttpRequest) -> int:
    """How many unread notifications the user has, for the header of every admin page:
    counted once per request, and only by a page that shows it."""
    if not hasattr(request, "_inbox_unread_count"):
        user = request.user
        request._inbox_unread_count = (
            Notification.objects.for_recipient(user).unread().count()
            if user.is_authenticated
            else 0
        )
    return request._inbox_unread_count


def inbox(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.for_recipient(request.user).inbox_order()
    try:
        page = Paginator(notifications, PER_PAGE).page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error
    context = {"title": "Inbox", "page": page, "unread": unread_count(request)}
    return _render(request, "notification_list.html", context)


@require_POST
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    mine = Notification.objects.for_recipient(request.user)
    get_object_or_404(mine, pk=notification_id)
    mine.filter(pk=notification_id).mark_read()
    return redirect("admin:inbox")


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = Notification.objects.for_recipient(request.user).mark_read()
    messages.success(request, f"{count} notification{'' if count == 1 else 's'} marked as read.")
    return redirect("admin:inbox")


def email_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    opted_out = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    kinds = Notification.Kind.values
    initial = {"emailed": [kind for kind in kinds if kind not in opted_out]}
    form = EmailSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        emailed = set(form.cleaned_data["emailed"])
        EmailOptOut.objects.filter(user=user, kind__in=emailed).delete()
        EmailOptOut.objects.bulk_create(
            [EmailOptOut(user=user, kind=kind) for kind in kinds if kind not in emailed],
            ignore_conflicts=True,
        )
        messages.success(request, "Your email settings were saved.")
        return redirect("admin:inbox_email")
    return _render(request, "email_settings.html", {"title": "Email settings", "form": form})


def _render(request: HttpRequest, template: str, context: dict) -> TemplateResponse:
    """An inbox screen in the admin's frame."""
    frame = admin.site.each_context(request)
    return TemplateResponse(request, f"admin/inbox/{template}", frame | context)
