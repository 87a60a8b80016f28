"""RSS 2.0 and Atom feeds for the site, each section, tag and author."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from masthead.newsroom import selectors
from masthead.newsroom.models import Author, Section, Tag
from masthead.newsroom.models.article import prefetch_bylines
from masthead.syndication.structured import absolute

FEED_LENGTH = 30


class ArticleFeed(Feed):
    feed_type = Rss201rev2Feed
    description_template = None

    def title(self, obj=None) -> str:
        return settings.SITE_NAME if obj is None else f"{obj.name} — {settings.SITE_NAME}"

    def link(self, obj=None) -> str:
        return absolute(obj.get_absolute_url() if obj is not None else "/")

    def description(self, obj=None) -> str:
        if obj is None:
            return f"The latest stories from {settings.SITE_NAME}."
        return f"The latest stories in {obj.name} from {settings.SITE_NAME}."

    subtitle = description

    def articles(self, obj):
        return selectors.article_list()

    def items(self, obj=None):
        # Feeds show descriptions, which may come from the body text that cards leave out.
        items = list(self.articles(obj).defer(None).prefetch_related("tags")[:FEED_LENGTH])
        prefetch_bylines(items)
        return items

    def item_title(self, item) -> str:
        return item.headline

    def item_description(self, item) -> str:
        return item.description

    def item_link(self, item) -> str:
        return absolute(item.get_absolute_url())

    def item_guid(self, item) -> str:
        return absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at or item.published_at

    def item_author_name(self, item) -> str:
        return ", ".join(author.name for author in item.byline_authors())

    def item_categories(self, item) -> list[str]:
        return [item.section.name, *(tag.name for tag in item.tags.all())]


class SectionFeed(ArticleFeed):
    def get_object(self, request, slug: str):
        return get_object_or_404(Section, slug=slug)

    def articles(self, obj):
        return selectors.article_list(section=obj)


class TagFeed(ArticleFeed):
    def get_object(self, request, slug: str):
        return get_object_or_404(Tag, slug=slug)

    def articles(self, obj):
        return selectors.article_list(tag=obj)


class AuthorFeed(ArticleFeed):
    def get_object(self, request, slug: str):
        return get_object_or_404(Author, slug=slug)

    def articles(self, obj):
        return selectors.article_list(author=obj)


def atom(feed_class: type[ArticleFeed]) -> type[ArticleFeed]:
    """The same feed in Atom 1.0."""
    return type(f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": Atom1Feed})
