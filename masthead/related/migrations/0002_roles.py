"""Editors' control of related stories: every newsroom role may pin and exclude related
stories on the stories it may edit, and see the stored lists."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODES = [
    "add_relatedpin", "change_relatedpin", "delete_relatedpin", "view_relatedpin",
    "add_relatedexclusion", "change_relatedexclusion", "delete_relatedexclusion",
    "view_relatedexclusion", "view_relatedlink",
]  # fmt: skip
ROLES = ["Contributor", "Author", "Editor", "Administrator"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("related")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="related", codename__in=CODES)
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="related", codename__in=CODES)
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("related", "0001_initial"),
        ("newsroom", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
