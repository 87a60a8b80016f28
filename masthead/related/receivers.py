"""Newsroom changes queue related-list work for after the commit; nothing runs per view."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from masthead.newsroom import signals
from masthead.newsroom.models import Article
from masthead.related.models import RelatedExclusion, RelatedPin


def schedule(article_id: int | None, *, reindex: bool) -> None:
    """Enqueue ``update_related`` once the current transaction commits."""
    if article_id is None:
        return
    from masthead.related.tasks import update_related

    transaction.on_commit(
        lambda: update_related.enqueue(article_id=article_id, reindex=reindex), robust=True
    )


@receiver(
    [signals.article_published, signals.article_changed, signals.article_withdrawn],
    dispatch_uid="related-story-changed",
)
def story_changed(sender, article, **kwargs) -> None:
    # After a delete the instance has lost its id; post_delete below covers that case.
    schedule(article.pk, reindex=True)


@receiver(post_delete, sender=Article, dispatch_uid="related-story-deleted")
def story_deleted(sender, instance, **kwargs) -> None:
    schedule(instance.pk, reindex=True)


@receiver([post_save, post_delete], sender=RelatedPin, dispatch_uid="related-pin-changed")
@receiver(
    [post_save, post_delete], sender=RelatedExclusion, dispatch_uid="related-exclusion-changed"
)
def editor_choice_changed(sender, instance, **kwargs) -> None:
    schedule(instance.article_id, reindex=False)
