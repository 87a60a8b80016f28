from datetime import timedelta

from django.apps import AppConfig


class AntispamConfig(AppConfig):
    name = "masthead.antispam"
    label = "antispam"
    verbose_name = "Spam filter"

    def ready(self) -> None:
        from masthead.antispam import checks  # noqa: F401  (registers the system checks)
        from masthead.antispam.conf import app_settings
        from masthead.core import periodic

        class SpamRetrain(periodic.PeriodicTask):
            """Fold moderators' new decisions into the spam model."""

            task = "masthead.antispam.tasks.spam_model_retrain"

            @classmethod
            def get_interval(cls) -> timedelta:
                return timedelta(minutes=max(1, int(app_settings.RETRAIN_MINUTES)))

        class SpamDecisionsExpire(periodic.PeriodicTask):
            """Keep moderators' decisions no longer than the privacy page says."""

            task = "masthead.antispam.tasks.spam_decisions_expire"

        periodic.register(SpamRetrain)
        periodic.register(SpamDecisionsExpire)
