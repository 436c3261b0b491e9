"""PostgreSQL search folds accents as SQLite's FTS5 does (remove_diacritics): "electrique" finds
"électrique" on both engines. The unaccent extension is trusted, so the database's owner may
create it."""

from django.db import migrations

DOCUMENT = """ALTER TABLE core_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('{config}', coalesce(title, '')), 'A')
    || setweight(to_tsvector('{config}', coalesce(body, '')), 'B')) STORED"""
INDEX = "CREATE INDEX core_searchentry_document_gin ON core_searchentry USING gin (document)"
DROP = [
    "DROP INDEX IF EXISTS core_searchentry_document_gin",
    "ALTER TABLE core_searchentry DROP COLUMN IF EXISTS document",
]
FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION cmc_english (COPY = english)",
    """ALTER TEXT SEARCH CONFIGURATION cmc_english
        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem""",
    *DROP,
    DOCUMENT.format(config="cmc_english"),
    INDEX,
]
BACKWARD = [
    *DROP,
    DOCUMENT.format(config="english"),
    INDEX,
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS cmc_english",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
