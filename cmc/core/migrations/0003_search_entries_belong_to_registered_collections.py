"""Search entries belong to a registered collection and one of its scopes, not to a framework:
the foreign key becomes a scope id (copied from framework_id, the collection "frameworks"), the
tier number a facet number, and the kind free text that the registry checks.

SQLite rebuilds the table to change it, which drops the triggers that keep the FTS5 index in
step: they are dropped first and created again last (both ways). The FTS5 index stays valid
because every row keeps its id, title and body. PostgreSQL's generated `document` column and
its index read only title and body, which do not change."""

from importlib import import_module

from django.db import migrations, models
from django.db.models import F

_initial = import_module("cmc.core.migrations.0001_initial")
# The three triggers of 0001 (the FTS5 table itself stays).
CREATE_TRIGGERS = [s for s in _initial.SQLITE_FORWARD if s.startswith("CREATE TRIGGER")]
DROP_TRIGGERS = [s for s in _initial.SQLITE_BACKWARD if s.startswith("DROP TRIGGER")]


def _on_sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


def scope_from_framework(apps, schema_editor):
    SearchEntry = apps.get_model("core", "SearchEntry")
    SearchEntry.objects.update(scope_id=F("framework_id"))


def framework_from_scope(apps, schema_editor):
    """Back to entries of frameworks only: other collections' entries have no framework (their
    apps index them again after migrating forward)."""
    SearchEntry = apps.get_model("core", "SearchEntry")
    SearchEntry.objects.exclude(collection="frameworks").delete()
    SearchEntry.objects.update(framework_id=F("scope_id"))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_search_folds_accents_on_postgresql")]

    operations = [
        migrations.RunPython(_on_sqlite(DROP_TRIGGERS), _on_sqlite(CREATE_TRIGGERS)),
        migrations.AlterField(
            model_name="searchentry",
            name="framework",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.CASCADE,
                related_name="search_entries",
                to="frameworks.framework",
            ),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="collection",
            field=models.CharField(default="frameworks", max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="searchentry",
            name="scope_id",
            field=models.BigIntegerField(null=True),
        ),
        migrations.RunPython(scope_from_framework, framework_from_scope),
        migrations.AlterField(
            model_name="searchentry",
            name="scope_id",
            field=models.BigIntegerField(),
        ),
        migrations.RemoveIndex(model_name="searchentry", name="core_search_fw_tier_idx"),
        migrations.RemoveField(model_name="searchentry", name="framework"),
        migrations.RenameField(model_name="searchentry", old_name="tier_number", new_name="facet"),
        migrations.AlterField(
            model_name="searchentry",
            name="kind",
            field=models.CharField(max_length=40),
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(
                fields=["collection", "scope_id", "facet"], name="core_search_scope_idx"
            ),
        ),
        migrations.RunPython(_on_sqlite(CREATE_TRIGGERS), _on_sqlite(DROP_TRIGGERS)),
    ]
