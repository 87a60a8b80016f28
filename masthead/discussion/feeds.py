"""RSS and Atom feeds of published comments: site-wide and per story. No email addresses."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from masthead.discussion.models import Comment
from masthead.discussion.rendering import comment_html
from masthead.newsroom.models import Article
from masthead.syndication.structured import absolute

FEED_LENGTH = 30
FIELDS = (
    "id", "author_name", "body", "body_html", "created_at", "article__headline",
    "article__slug", "article__published_at", "article__created_at",
)  # fmt: skip


class CommentFeed(Feed):
    feed_type = Rss201rev2Feed

    def title(self, obj=None) -> str:
        if obj is None:
            return f"Comments on {settings.SITE_NAME}"
        return f"Comments on “{obj.headline}” — {settings.SITE_NAME}"

    def link(self, obj=None) -> str:
        return absolute(obj.get_absolute_url() + "#comments" if obj is not None else "/")

    def description(self, obj=None) -> str:
        return self.title(obj)

    subtitle = description

    def items(self, obj=None):
        comments = Comment.objects.published().filter(article__in=Article.objects.live())
        if obj is not None:
            comments = comments.filter(article=obj)
        return (
            comments.select_related("article")
            .only(*FIELDS)
            .order_by("-created_at", "-id")[:FEED_LENGTH]
        )

    def item_title(self, item: Comment) -> str:
        return f"{item.display_name} on “{item.article.headline}”"

    def item_description(self, item: Comment) -> str:
        return comment_html(item)

    def item_link(self, item: Comment) -> str:
        # The comment's lasting address, which finds the page of comments it is on when
        # followed; nothing to look up per item while the feed is built.
        return absolute(item.get_absolute_url())

    def item_guid(self, item: Comment) -> str:
        # An identifier only (the story's address and the comment's anchor, as feeds have
        # always carried it, so feed readers see no old comment as new), not a link.
        return absolute(f"{item.article.get_absolute_url()}#comment-{item.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, item: Comment):
        return item.created_at

    def item_author_name(self, item: Comment) -> str:
        return item.display_name

    # Never an email address: commenters' addresses are not public.
    item_author_email = None
    author_email = None


class ArticleCommentFeed(CommentFeed):
    def get_object(self, request, year: int, month: str, day: str, slug: str):
        article = Article.objects.live().filter(slug=slug).first()
        if article is None:
            raise Http404("No story lives at this address.")
        return article


def atom(feed_class: type[CommentFeed]) -> type[CommentFeed]:
    return type(f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": Atom1Feed})
