from datetime import timedelta

from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "masthead.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from masthead.core import periodic
        from masthead.newsroom import receivers  # noqa: F401  (connects signal receivers)

        class PublishDueArticles(periodic.PeriodicTask):
            """A safety net: each scheduled story also has its own task at its time."""

            task = "masthead.newsroom.tasks.publish_due_articles"
            interval = timedelta(minutes=1)

        periodic.register(PublishDueArticles)
