from django_tasks import task

from masthead.core import pagemirror
from masthead.core.pagecache import app_settings


@task()
def expire_page_mirror() -> int:
    """Delete pages mirrored to disk that are older than the page cache keeps them."""
    return pagemirror.expire(older_than=app_settings.PAGE_CACHE_SECONDS)
