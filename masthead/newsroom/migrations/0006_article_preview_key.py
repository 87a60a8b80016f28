"""Preview links carry a per-story key, so that they can be revoked.

On SQLite, adding a NOT NULL column makes Django rebuild the article table, and dropping
the old table drops the full-text search triggers with it: they are put back here, and the
index rebuilt, or search would stop following edits.
"""

import importlib

from django.db import migrations, models

import masthead.newsroom.models.article

search = importlib.import_module("masthead.newsroom.migrations.0002_search_index")


def restore_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in search.SQLITE_INSTALL:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0005_image_file_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="preview_key",
            field=models.CharField(
                default=masthead.newsroom.models.article.new_preview_key,
                editable=False,
                max_length=24,
            ),
        ),
        migrations.RunPython(restore_search_triggers, migrations.RunPython.noop),
    ]
