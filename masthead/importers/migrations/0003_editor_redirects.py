"""Editors look after old addresses: add the redirect permissions to the "Editor" group.

The newsroom records a redirect itself when a published story's address changes; editors
can see, correct or remove those (and add one by hand) under Importers → Redirects. The
groups are created in newsroom's 0003_roles; Administrators get every permission after each
migrate (masthead.core.apps).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = ["view_redirect", "add_redirect", "change_redirect", "delete_redirect"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("importers")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editor")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="importers", codename__in=EDITOR_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editor").first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="importers", codename__in=EDITOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("importers", "0002_media"),
        ("newsroom", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
