from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from . import api, feeds, views
from .caching import cached_for_readers
from .feeds import feed_view
from .sitemaps import SITEMAPS, news_sitemap

app_name = "articles"

sitemap_view = cached_for_readers(query=["p"], keys=["sitemap"])

urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap_view(sitemap_views.index),
        {
            "sitemaps": SITEMAPS,
            "sitemap_url_name": "articles:sitemap_section",
            "template_name": "articles/sitemap_index.xml",
        },
        name="sitemap",
    ),
    # Before sitemap-<section>.xml, which would take "news" for one of the index's sitemaps.
    path("sitemap-news.xml", sitemap_view(news_sitemap), name="sitemap_news"),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_view(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS, "template_name": "articles/sitemap.xml"},
        name="sitemap_section",
    ),
    path("feeds/rss/", feed_view(feeds.LatestArticlesFeed), name="feed"),
    path("feeds/atom/", feed_view(feeds.LatestArticlesAtomFeed), name="feed_atom"),
    path("feeds/section/<slug:slug>/rss/", feed_view(feeds.SectionFeed), name="section_feed"),
    path(
        "feeds/section/<slug:slug>/atom/",
        feed_view(feeds.SectionAtomFeed),
        name="section_feed_atom",
    ),
    path("feeds/author/<slug:slug>/rss/", feed_view(feeds.AuthorFeed), name="author_feed"),
    path(
        "feeds/author/<slug:slug>/atom/", feed_view(feeds.AuthorAtomFeed), name="author_feed_atom"
    ),
    re_path(r"^feeds/tag/(?P<slug>[-\w]+)/rss/$", feed_view(feeds.TagFeed), name="tag_feed"),
    re_path(
        r"^feeds/tag/(?P<slug>[-\w]+)/atom/$", feed_view(feeds.TagAtomFeed), name="tag_feed_atom"
    ),
    path("author/<slug:slug>/", views.author_detail, name="author"),
    re_path(r"^tag/(?P<slug>[-\w]+)/$", views.tag_detail, name="tag"),
    path("source/<slug:slug>/", views.source_detail, name="source"),
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
    path("latest/", views.latest, name="latest"),
    path("search/", views.search, name="search"),
    path("pages/<slug:slug>/", views.page_detail, name="page"),
    path("api/ninjs/articles/", api.article_list, name="api_articles"),
    path("api/ninjs/articles/<int:pk>/", api.article_detail, name="api_article"),
    path("<slug:slug>/", views.section_detail, name="section"),
    path("<slug:section>/<slug:slug>/", views.article_detail, name="detail"),
]
