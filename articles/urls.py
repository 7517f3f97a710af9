from django.urls import path, re_path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("author/<slug:slug>/", views.author_detail, name="author"),
    re_path(r"^tag/(?P<slug>[-\w]+)/$", views.tag_detail, name="tag"),
    path("source/<slug:slug>/", views.source_detail, name="source"),
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
    path("<slug:slug>/", views.section_detail, name="section"),
    path("<slug:section>/<slug:slug>/", views.article_detail, name="detail"),
]
