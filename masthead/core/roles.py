"""Giving an app's permissions to the newsroom's roles (groups), from a data migration.

The groups are created in newsroom's 0003_roles; Administrators get every permission after
each migrate (masthead.core.apps). This module must keep working with historical models:
it only uses what ``apps`` gives.
"""

from __future__ import annotations

from django.contrib.auth.management import create_permissions

# The newsroom's roles (groups made by newsroom's 0003_roles), least to most.
ROLES = ("Contributor", "Author", "Editor", "Administrator")


def role_permissions(
    app_label: str, codenames: list[str], roles: list[str], *, create_groups: bool = False
):
    """``(grant, revoke)`` for ``migrations.RunPython``: add ``app_label``'s ``codenames``
    to the groups named ``roles`` (made if missing when ``create_groups``), or take them
    away."""

    def permissions(apps):
        Permission = apps.get_model("auth", "Permission")
        return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)

    def grant(apps, schema_editor):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # create_permissions skips apps without models
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        Group = apps.get_model("auth", "Group")
        if create_groups:
            groups = [Group.objects.get_or_create(name=name)[0] for name in roles]
        else:
            groups = Group.objects.filter(name__in=roles)
        for group in groups:
            group.permissions.add(*permissions(apps))

    def revoke(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        for group in Group.objects.filter(name__in=roles):
            group.permissions.remove(*permissions(apps))

    return grant, revoke
