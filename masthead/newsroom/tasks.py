from django_tasks import task

from masthead.newsroom import services


@task()
def publish_due_articles() -> int:
    """Put live the scheduled stories whose time has come (idempotent, safe to run often)."""
    return services.article_publish_due()


@task()
def notify_review(article_id: int, sent_by_id: int | None = None) -> int:
    """Email the editors that a story waits for their review (REVIEW_EMAILS)."""
    from django.contrib.auth import get_user_model

    from masthead.core.mail import send
    from masthead.newsroom import notifications
    from masthead.newsroom.models import Article

    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return 0
    sent_by = get_user_model().objects.filter(pk=sent_by_id).first() if sent_by_id else None
    return send(notifications.review_messages(article, sent_by))


@task()
def notify_writer(article_id: int, by_id: int | None = None) -> int:
    """Email the writer of a story that waited for review that it is published or scheduled
    (REVIEW_EMAILS)."""
    from django.contrib.auth import get_user_model

    from masthead.core.mail import send
    from masthead.newsroom import notifications
    from masthead.newsroom.models import Article

    article = Article.objects.select_related("created_by").filter(pk=article_id).first()
    if article is None:
        return 0
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    return send(notifications.published_messages(article, by))
