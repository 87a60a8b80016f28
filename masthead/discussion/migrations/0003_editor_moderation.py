"""Editors moderate comments: add the discussion permissions to the "Editor" group.

The groups are created in newsroom's 0003_roles; Administrators get every permission after
each migrate (masthead.core.apps).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    "moderate_comment", "view_comment", "change_comment", "delete_comment",
    "view_moderationlog", "view_subscription", "delete_subscription",
    "view_discussionsettings", "change_discussionsettings",
]  # fmt: skip


def grant(apps, schema_editor):
    app_config = apps.get_app_config("discussion")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editor")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="discussion", codename__in=EDITOR_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editor").first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="discussion", codename__in=EDITOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0002_settings_subscriptions_log"),
        ("newsroom", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
