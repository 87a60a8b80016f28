from django.urls import path

from masthead.core.pagecache import cached_page
from masthead.discussion import feeds, views
from masthead.newsroom import urls as newsroom_urls  # noqa: F401  (registers the "dd" converter)

site_comments = cached_page(lambda request, **kwargs: ["comments"])
story_comments = cached_page(lambda request, slug, **kwargs: ["comments", f"article:{slug}"])
STORY = "<int:year>/<dd:month>/<dd:day>/<slug:slug>"

app_name = "discussion"
urlpatterns = [
    path("comments/post/<int:article_id>/", views.comment_post, name="post"),
    path("comments/<int:pk>/", views.comment_permalink, name="comment"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="edit"),
    path("comments/confirm/<str:token>/", views.confirm_subscription, name="confirm"),
    path("comments/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "comments/moderators/unsubscribe/<str:token>/",
        views.moderator_unsubscribe,
        name="moderator-unsubscribe",
    ),
    path("comments/feed/", site_comments(feeds.CommentFeed()), name="feed"),
    path("comments/feed/atom/", site_comments(feeds.atom(feeds.CommentFeed)()), name="feed-atom"),
    path(
        f"{STORY}/comments/feed/", story_comments(feeds.ArticleCommentFeed()), name="article-feed"
    ),
    path(
        f"{STORY}/comments/feed/atom/",
        story_comments(feeds.atom(feeds.ArticleCommentFeed)()),
        name="article-feed-atom",
    ),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/confirm/<str:token>/", views.data_request_confirm, name="data-request-confirm"),
]
