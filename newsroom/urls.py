from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.NEWSROOM_SITE_NAME} newsroom"
admin.site.site_title = f"{settings.NEWSROOM_SITE_NAME} newsroom"
admin.site.index_title = "Home"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("images/", include("images.urls")),
    path("", include("articles.urls")),
]

if settings.NEWSROOM_BENCH_FLOOR_DIR:  # `make bench` only (bench/floor.py), never in production
    from bench.floor import floor

    urlpatterns.insert(0, path("bench/floor/<slug:name>/", floor))
