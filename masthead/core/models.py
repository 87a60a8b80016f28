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
