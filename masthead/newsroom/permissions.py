"""Who may do what in the newsroom. Roles are groups; these rules add ownership on top."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from masthead.newsroom.models import Article, Image


def is_own(user, article: Article) -> bool:
    """The user created the story or writes under one of its bylines."""
    if not user.is_authenticated:
        return False
    if article.pk is None or article.created_by_id == user.pk:
        return True
    return article.bylines.filter(author__user=user).exists()


def can_publish(user, article: Article) -> bool:
    if user.has_perm("newsroom.publish_any_article"):
        return True
    return user.has_perm("newsroom.publish_article") and is_own(user, article)


def _holds(user, article: Article) -> bool:
    """The story is the user's to handle, given the action's own permission: editors any;
    authors their own; contributors their own while it is a draft or waits for review (as
    in WordPress: once an editor schedules or publishes it, it is the editors')."""
    if user.has_perm("newsroom.publish_any_article"):
        return True
    if not is_own(user, article):
        return False
    unpublished = (article.Status.DRAFT, article.Status.PENDING)
    return user.has_perm("newsroom.publish_article") or article.status in unpublished


def can_edit(user, article: Article) -> bool:
    return user.has_perm("newsroom.change_article") and _holds(user, article)


def can_delete(user, article: Article) -> bool:
    return user.has_perm("newsroom.delete_article") and _holds(user, article)


def can_change_image(user, image: Image) -> bool:
    """Editors change any picture. Others (contributors, authors) only pictures they uploaded
    that no live story shows: replacing one would change what readers see without review."""
    if not user.has_perm("newsroom.change_image"):
        return False
    if user.has_perm("newsroom.publish_any_article"):
        return True
    if image.uploaded_by_id != user.pk:
        return False
    from masthead.newsroom.images import image_stories

    return not image_stories(image=image).exists()
