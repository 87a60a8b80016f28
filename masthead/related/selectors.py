"""Reads for the article page: the stored related list, in one query, split into the
inline links and the "Related stories" block."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.safestring import SafeString

from masthead.core.db.prepared import Param, PreparedRead
from masthead.newsroom.body import body_for_readers
from masthead.newsroom.models import Article
from masthead.related import inline
from masthead.related.conf import app_settings
from masthead.related.models import RelatedLink

# A linked story's page needs its headline, address, date and picture, never its text: naming
# the columns keeps the query short to build and to read.
_TARGET_FIELDS = [
    "rank",
    "source",
    "target__headline",
    "target__slug",
    "target__published_at",
    "target__created_at",
    "target__featured_image",
]


@dataclass
class RelatedPage:
    body: SafeString
    inline: list[Article] = field(default_factory=list)
    block: list[Article] = field(default_factory=list)


# Compiled once (see masthead.core.db.prepared): the page reads it on every view.
_stored_list = PreparedRead(
    lambda article, now: (
        RelatedLink.objects.filter(
            article_id=article,
            target__status=Article.Status.PUBLISHED,
            target__published_at__lte=now,
        )
        .select_related("target", "target__featured_image")
        .only(*_TARGET_FIELDS)
        .order_by("rank")
    ),
    article=Param(RelatedLink, "article"),
    now=Param(Article, "published_at"),
)


def related_links(*, article: Article) -> list[RelatedLink]:
    """The story's stored list, live stories only (one query, whatever its length)."""
    if article.pk is None:
        return []
    return _stored_list(article=article.pk, now=timezone.now())


def related_page(*, article: Article) -> RelatedPage:
    """The body with its inline links (and pictures from other hosts shown as links, see
    :mod:`masthead.newsroom.body`), and the block's stories (kept on ``article``, so the
    body and the block of one page share the one query)."""
    cached = getattr(article, "_related_page", None)
    if cached is not None:
        return cached
    links = related_links(article=article)
    worthy = [link for link in links if link.inline_worthy]
    body, used = inline.insert(
        body_for_readers(article.body),
        [(link.target.get_absolute_url(), link.target.headline) for link in worthy],
        app_settings.INLINE,
        app_settings.INLINE_MIN_PARAGRAPHS,
    )
    placed = {link.pk for link in worthy[:used]}
    page = RelatedPage(
        body=body,
        inline=[link.target for link in worthy[:used]],
        block=[link.target for link in links if link.pk not in placed][: app_settings.COUNT],
    )
    article._related_page = page
    return page
