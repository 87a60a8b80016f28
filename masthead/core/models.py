from django.db import models


class TimestampedModel(models.Model):
    """Records when a row was created and last saved."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    modified_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


class PeriodicTaskState(models.Model):
    """When each periodic task is next due; shared by every worker, so each runs once."""

    name = models.CharField(max_length=200, primary_key=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "periodic task"

    def __str__(self) -> str:
        return self.name


class PostponedCacheDelete(models.Model):
    """A cache key to delete that could not be deleted: the cache was unreachable. Kept in the
    database so that whichever process comes next (the worker, every tick) deletes it once
    the cache is back, even if the process that failed (a ``masthead restore``) has ended.
    Page purges land here as the version keys of their groups."""

    key = models.CharField(max_length=250)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "postponed cache delete"

    def __str__(self) -> str:
        return self.key
