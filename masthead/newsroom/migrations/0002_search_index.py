"""Full-text search index, kept current by the database itself.

SQLite: an FTS5 external-content table with triggers. PostgreSQL: a stored generated
tsvector column with a GIN index. Other databases: nothing (search is unavailable).
"""

from django.db import DatabaseError, migrations, transaction

SQLITE_INSTALL = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS newsroom_article_fts USING fts5(
        headline, standfirst, body_text,
        content='newsroom_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS newsroom_article_fts_insert AFTER INSERT ON newsroom_article
    BEGIN
        INSERT INTO newsroom_article_fts(rowid, headline, standfirst, body_text)
        VALUES (new.id, new.headline, new.standfirst, new.body_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS newsroom_article_fts_delete AFTER DELETE ON newsroom_article
    BEGIN
        INSERT INTO newsroom_article_fts(newsroom_article_fts, rowid, headline, standfirst, body_text)
        VALUES ('delete', old.id, old.headline, old.standfirst, old.body_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS newsroom_article_fts_update
    AFTER UPDATE OF headline, standfirst, body_text ON newsroom_article
    BEGIN
        INSERT INTO newsroom_article_fts(newsroom_article_fts, rowid, headline, standfirst, body_text)
        VALUES ('delete', old.id, old.headline, old.standfirst, old.body_text);
        INSERT INTO newsroom_article_fts(rowid, headline, standfirst, body_text)
        VALUES (new.id, new.headline, new.standfirst, new.body_text);
    END""",
    "INSERT INTO newsroom_article_fts(newsroom_article_fts) VALUES ('rebuild')",
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS newsroom_article_fts_insert",
    "DROP TRIGGER IF EXISTS newsroom_article_fts_delete",
    "DROP TRIGGER IF EXISTS newsroom_article_fts_update",
    "DROP TABLE IF EXISTS newsroom_article_fts",
]
POSTGRES_INSTALL = [
    """ALTER TABLE newsroom_article ADD COLUMN IF NOT EXISTS search_document tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('masthead_search', coalesce(headline, '')), 'A') ||
        setweight(to_tsvector('masthead_search', coalesce(standfirst, '')), 'B') ||
        setweight(to_tsvector('masthead_search', coalesce(body_text, '')), 'C')
    ) STORED""",
    "CREATE INDEX IF NOT EXISTS newsroom_article_search_idx ON newsroom_article USING GIN (search_document)",
]
POSTGRES_UNINSTALL = [
    "DROP INDEX IF EXISTS newsroom_article_search_idx",
    "ALTER TABLE newsroom_article DROP COLUMN IF EXISTS search_document",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS masthead_search",
]


def install_postgres_configuration(schema_editor):
    """English stemming; accents folded by the `unaccent` extension where it can be had."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'masthead_search'")
        if cursor.fetchone():
            return
        cursor.execute("CREATE TEXT SEARCH CONFIGURATION masthead_search (COPY = pg_catalog.english)")
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        except DatabaseError:
            return  # no privilege for the extension: search works, without folding accents
        cursor.execute(
            "ALTER TEXT SEARCH CONFIGURATION masthead_search ALTER MAPPING FOR "
            "hword, hword_part, word WITH unaccent, english_stem"
        )


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql" and statements_by_vendor.get(
            "postgresql"
        ) is POSTGRES_INSTALL:
            install_postgres_configuration(schema_editor)
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_INSTALL, "postgresql": POSTGRES_INSTALL}),
            _run({"sqlite": SQLITE_UNINSTALL, "postgresql": POSTGRES_UNINSTALL}),
        )
    ]
