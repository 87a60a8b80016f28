from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from masthead.newsroom.cache import feed, sitemap
from masthead.syndication import feeds, views
from masthead.syndication.sitemaps import SITEMAPS

app_name = "syndication"
urlpatterns = [
    path("feed/", feed(feeds.ArticleFeed()), name="feed"),
    path("feed/atom/", feed(feeds.atom(feeds.ArticleFeed)()), name="feed-atom"),
    path("section/<slug:slug>/feed/", feed(feeds.SectionFeed()), name="section-feed"),
    path(
        "section/<slug:slug>/feed/atom/", feed(feeds.atom(feeds.SectionFeed)()), name="section-atom"
    ),
    path("tag/<slug:slug>/feed/", feed(feeds.TagFeed()), name="tag-feed"),
    path("tag/<slug:slug>/feed/atom/", feed(feeds.atom(feeds.TagFeed)()), name="tag-atom"),
    path("author/<slug:slug>/feed/", feed(feeds.AuthorFeed()), name="author-feed"),
    path("author/<slug:slug>/feed/atom/", feed(feeds.atom(feeds.AuthorFeed)()), name="author-atom"),
    path("sitemap.xml", sitemap(views.sitemap_index), {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("news-sitemap.xml", sitemap(views.news_sitemap), name="news-sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
