"""Newsroom roles as groups: contributor, author, editor, administrator.

Later apps add their own permissions to these groups in their own migrations (the
discussion app gives editors comment moderation, for example).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Contributor": [
        "newsroom.add_article", "newsroom.change_article", "newsroom.view_article",
        "newsroom.view_section", "newsroom.view_tag", "newsroom.view_author",
        "newsroom.add_image", "newsroom.change_image", "newsroom.view_image",
        "newsroom.add_byline", "newsroom.change_byline", "newsroom.delete_byline",
        "newsroom.view_byline",
    ],
    "Author": [
        "newsroom.publish_article", "newsroom.delete_article", "newsroom.add_tag",
        "newsroom.add_articlenote", "newsroom.change_articlenote", "newsroom.view_articlenote",
    ],
    "Editor": [
        "newsroom.publish_any_article", "newsroom.delete_articlenote",
        "newsroom.add_section", "newsroom.change_section", "newsroom.delete_section",
        "newsroom.change_tag", "newsroom.delete_tag",
        "newsroom.add_author", "newsroom.change_author", "newsroom.delete_author",
        "newsroom.delete_image",
    ],
}  # fmt: skip
INHERITS = {"Author": ["Contributor"], "Editor": ["Author"]}


def permissions_for(role):
    codes = list(ROLES.get(role, []))
    for parent in INHERITS.get(role, []):
        codes += permissions_for(parent)
    return codes


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def lookup(code):
        app_label, codename = code.split(".")
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*[lookup(code) for code in permissions_for(role)])
    admins, _ = Group.objects.get_or_create(name="Administrator")
    admins.permissions.add(*Permission.objects.all())


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[*ROLES, "Administrator"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0002_search_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
