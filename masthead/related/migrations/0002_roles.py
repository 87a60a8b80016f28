"""Editors' control of related stories: every newsroom role may pin and exclude related
stories on the stories it may edit, and see the stored lists."""

from django.db import migrations

from masthead.core.roles import role_permissions

CODES = [
    "add_relatedpin", "change_relatedpin", "delete_relatedpin", "view_relatedpin",
    "add_relatedexclusion", "change_relatedexclusion", "delete_relatedexclusion",
    "view_relatedexclusion", "view_relatedlink",
]  # fmt: skip
ROLES = ["Contributor", "Author", "Editor", "Administrator"]


grant, revoke = role_permissions("related", CODES, ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("related", "0001_initial"),
        ("newsroom", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
