"""Side work after newsroom changes: navigation and page-cache purges."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from masthead.core.pagecache import purge
from masthead.newsroom import signals
from masthead.newsroom.cache import purge_article
from masthead.newsroom.models import Article, ArticleNote, Author, Byline, Section, Tag
from masthead.newsroom.selectors import navigation_invalidate


@receiver([post_save, post_delete], sender=Section, dispatch_uid="newsroom-section-changed")
def section_changed(sender, instance, **kwargs) -> None:
    navigation_invalidate()
    purge("site")  # every page shows the sections in its navigation


@receiver([post_save, post_delete], sender=Tag, dispatch_uid="newsroom-tag-changed")
def tag_changed(sender, instance, **kwargs) -> None:
    purge(f"tag:{instance.slug}")


@receiver([post_save, post_delete], sender=Author, dispatch_uid="newsroom-author-changed")
def author_changed(sender, instance, **kwargs) -> None:
    purge(f"author:{instance.slug}", "feeds")


@receiver(
    [signals.article_published, signals.article_changed, signals.article_withdrawn],
    dispatch_uid="newsroom-article-purge",
)
def article_event(sender, article, previous_slug, previous_section_id, groups=None, **kwargs):
    if groups is not None:  # deleted: the rows behind its groups are gone
        purge(*groups)
        return
    extra = [f"article:{previous_slug}"]
    if previous_section_id != article.section_id:
        old = Section.objects.filter(pk=previous_section_id).values_list("slug", flat=True)
        extra += [f"section:{slug}" for slug in old]
    purge_article(article, extra=extra)


def _purge_if_live(article: Article, *extra: str) -> None:
    if article.is_live:
        purge_article(article, extra=extra)


@receiver(m2m_changed, sender=Article.tags.through, dispatch_uid="newsroom-tags-purge")
def article_tags_changed(sender, instance, action, pk_set, **kwargs) -> None:
    if action in ("post_add", "post_remove") and isinstance(instance, Article):
        removed = Tag.objects.filter(pk__in=pk_set or ()).values_list("slug", flat=True)
        _purge_if_live(instance, *(f"tag:{slug}" for slug in removed))


@receiver([post_save, post_delete], sender=Byline, dispatch_uid="newsroom-byline-purge")
def byline_changed(sender, instance, **kwargs) -> None:
    article = Article.objects.filter(pk=instance.article_id).first()
    if article is not None:
        _purge_if_live(article, f"author:{instance.author.slug}")


@receiver([post_save, post_delete], sender=ArticleNote, dispatch_uid="newsroom-note-purge")
def note_changed(sender, instance, **kwargs) -> None:
    article = Article.objects.filter(pk=instance.article_id).first()
    if article is not None:
        _purge_if_live(article)
