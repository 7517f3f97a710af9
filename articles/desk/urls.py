"""The desk's addresses, under the article admin (/admin/articles/article/…). The story's
history is the admin's own history address, answered by views.history (see ArticleAdmin)."""

from django.contrib.admin import AdminSite
from django.urls import URLPattern, path

from . import blocks, views


def urlpatterns(admin_site: AdminSite) -> list[URLPattern]:
    """The desk's screens, each behind `admin_site`'s login, named `articles_article_<…>`."""

    def screen(route: str, view, name: str) -> URLPattern:
        return path(route, admin_site.admin_view(view), name=f"articles_article_{name}")

    return [
        screen("review/", views.review_queue, "review"),
        screen("sharing-picture/", views.sharing_picture, "sharing_picture"),
        screen("<int:object_id>/transition/<str:name>/", views.transition, "transition"),
        screen("<int:object_id>/comments/", views.comment, "comment"),
        screen("<int:object_id>/preview/", views.preview, "preview"),
        screen("live-preview/", views.live_preview, "live_preview_new"),
        screen("<int:object_id>/live-preview/", views.live_preview, "live_preview"),
        screen("autosave/", views.autosave, "autosave_new"),
        screen("<int:object_id>/autosave/", views.autosave, "autosave"),
        screen("autosaves/<int:autosave_id>/discard/", views.discard_autosave, "discard_autosave"),
        screen("<int:object_id>/preview-links/", views.share_preview, "preview_link"),
        screen(
            "<int:object_id>/preview-links/<int:link_id>/revoke/",
            views.revoke_preview_link,
            "revoke_preview_link",
        ),
        screen("<int:object_id>/presence/", views.presence, "presence"),
        screen("<int:object_id>/presence/end/", views.presence_end, "presence_end"),
        screen("<int:object_id>/history/compare/", views.compare, "compare"),
        screen("<int:object_id>/history/<int:number>/restore/", views.restore, "restore"),
        # What the body editor's blocks ask (JSON)
        screen("body-pictures/", blocks.body_pictures, "body_pictures"),
        screen("embed/", blocks.embed, "embed"),
        screen("read-more/", blocks.read_more, "read_more"),
    ]
