"""Contributors, as in WordPress, add new tags while writing and delete their own stories
that are not yet published (``permissions.can_delete`` keeps published ones from them)."""

from django.db import migrations

from masthead.core.roles import role_permissions

grant, revoke = role_permissions("newsroom", ["add_tag", "delete_article"], ["Contributor"])


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0009_story_names")]

    operations = [migrations.RunPython(grant, revoke)]
