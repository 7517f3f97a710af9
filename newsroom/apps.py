from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin app, with the newsroom's admin site (see admin_site.py)."""

    default_site = "newsroom.admin_site.NewsroomAdminSite"
