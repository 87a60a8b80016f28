from django_tasks import task

from masthead.newsroom import services


@task()
def publish_due_articles() -> int:
    """Put live the scheduled stories whose time has come (idempotent, safe to run often)."""
    return services.article_publish_due()
