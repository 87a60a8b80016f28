from datetime import timedelta

from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "masthead.discussion"
    label = "discussion"
    verbose_name = "Discussion"

    def ready(self) -> None:
        from masthead.core import periodic
        from masthead.discussion import checks  # noqa: F401  (registers the system checks)

        class DiscussionMaintenance(periodic.PeriodicTask):
            """Purge old spam and trash, drop old IP addresses, expire flood marks."""

            task = "masthead.discussion.tasks.discussion_maintenance"
            interval = timedelta(hours=1)

        periodic.register(DiscussionMaintenance)
