"""Editors moderate comments: add the discussion permissions to the "Editor" group.

The groups are created in newsroom's 0003_roles; Administrators get every permission after
each migrate (masthead.core.apps).
"""

from django.db import migrations

from masthead.core.roles import role_permissions

EDITOR_PERMISSIONS = [
    "moderate_comment", "view_comment", "change_comment", "delete_comment",
    "view_moderationlog", "view_subscription", "delete_subscription",
    "view_discussionsettings", "change_discussionsettings",
]  # fmt: skip


grant, revoke = role_permissions("discussion", EDITOR_PERMISSIONS, ["Editor"], create_groups=True)


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0002_settings_subscriptions_log"),
        ("newsroom", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
