"""The inbox's addresses, under the admin (/admin/inbox/…), wired in by the admin site."""

from django.contrib.admin import AdminSite
from django.urls import URLPattern, path

from . import views


def urlpatterns(admin_site: AdminSite) -> list[URLPattern]:
    """The inbox's screens, each behind `admin_site`'s login, named `inbox…`.

    /admin/inbox/ is the user's inbox rather than the admin's page of the app's models: the
    one model admins see here (emails) has its own list.
    """

    def screen(route: str, view, name: str) -> URLPattern:
        return path(f"inbox/{route}", admin_site.admin_view(view), name=name)

    return [
        screen("", views.inbox, "inbox"),
        screen("read/", views.mark_all_read, "inbox_read_all"),
        screen("<int:notification_id>/read/", views.mark_read, "inbox_read"),
        screen("email/", views.email_settings, "inbox_email"),
    ]
