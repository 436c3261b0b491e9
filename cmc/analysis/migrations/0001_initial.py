# The worksheet models move here from the frameworks app. This migration only takes them into
# the analysis app's state: their tables and rows stay where they are (0002 renames the tables).

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("frameworks", "0006_rendered_export"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WorksheetUpload",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("identifier", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("kind", models.CharField(choices=[("credential", "Credential competency identification"), ("curriculum", "Curriculum analysis"), ("employer", "Employer analysis"), ("gap", "Gap analysis")], max_length=12)),
                        ("filename", models.CharField(max_length=255)),
                        ("columns", models.JSONField(default=list)),
                        ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                        ("entry_count", models.PositiveIntegerField(default=0)),
                        ("framework", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="worksheet_uploads", to="frameworks.framework")),
                        ("uploaded_by", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="worksheet_uploads", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"ordering": ["-uploaded_at"], "db_table": "frameworks_worksheetupload"},
                ),
                migrations.CreateModel(
                    name="WorksheetEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("item_kind", models.CharField(max_length=12)),
                        ("item_identifier", models.UUIDField()),
                        ("ref", models.CharField(max_length=40)),
                        ("label", models.TextField()),
                        ("column", models.CharField(max_length=200)),
                        ("value", models.TextField()),
                        ("upload", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="entries", to="analysis.worksheetupload")),
                    ],
                    options={
                        "ordering": ["upload", "id"],
                        "indexes": [models.Index(fields=["item_identifier"], name="frameworks__item_id_0066e5_idx")],
                        "db_table": "frameworks_worksheetentry",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
