# The worksheet models now belong to the analysis app (its 0001 took them into its state):
# they leave the frameworks app's state only; their tables and rows are untouched here.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("frameworks", "0006_rendered_export"),
        ("analysis", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="WorksheetEntry"),
                migrations.DeleteModel(name="WorksheetUpload"),
            ],
            database_operations=[],
        ),
    ]
