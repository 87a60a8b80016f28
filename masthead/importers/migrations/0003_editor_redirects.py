"""Editors look after old addresses: add the redirect permissions to the "Editor" group.

The newsroom records a redirect itself when a published story's address changes; editors
can see, correct or remove those (and add one by hand) under Importers → Redirects. The
groups are created in newsroom's 0003_roles; Administrators get every permission after each
migrate (masthead.core.apps).
"""

from django.db import migrations

from masthead.core.roles import role_permissions

EDITOR_PERMISSIONS = ["view_redirect", "add_redirect", "change_redirect", "delete_redirect"]


grant, revoke = role_permissions("importers", EDITOR_PERMISSIONS, ["Editor"], create_groups=True)


class Migration(migrations.Migration):
    dependencies = [
        ("importers", "0002_media"),
        ("newsroom", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
