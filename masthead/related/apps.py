from datetime import timedelta

from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "masthead.related"
    label = "related"
    verbose_name = "Related stories"

    def ready(self) -> None:
        from masthead.core import periodic
        from masthead.related import checks, receivers  # noqa: F401  (register themselves)
        from masthead.related.conf import app_settings

        class RebuildRelated(periodic.PeriodicTask):
            """Fresh term statistics and story map; incremental updates keep lists current
            in between."""

            task = "masthead.related.tasks.rebuild_related"

            @classmethod
            def get_interval(cls) -> timedelta:
                return timedelta(days=app_settings.REBUILD_DAYS or 365)

        periodic.register(RebuildRelated)
