from django.apps import AppConfig
from django.db.models.signals import post_migrate


def grant_administrators_everything(sender, using="default", **kwargs) -> None:
    """Keep the Administrator role complete as apps add permissions in later migrations."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.using(using).filter(name="Administrator").first()
    if group is not None:
        group.permissions.set(Permission.objects.using(using).all())


class CoreConfig(AppConfig):
    name = "masthead.core"
    label = "core"
    verbose_name = "Masthead"

    def ready(self) -> None:
        from masthead.core import checks  # noqa: F401  (registers the system checks)

        post_migrate.connect(grant_administrators_everything, dispatch_uid="masthead-admin-role")

        from datetime import timedelta

        from masthead.core import periodic

        class ExpirePageMirror(periodic.PeriodicTask):
            task = "masthead.core.tasks.expire_page_mirror"
            interval = timedelta(minutes=5)

        periodic.register(ExpirePageMirror)
