# The worksheet tables take the analysis app's names; their rows move with them.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0001_initial"),
        ("frameworks", "0007_worksheets_move_to_analysis"),
    ]

    operations = [
        migrations.AlterModelTable(name="worksheetupload", table=None),
        migrations.AlterModelTable(name="worksheetentry", table=None),
        migrations.RenameIndex(
            model_name="worksheetentry",
            new_name="worksheet_entry_item_idx",
            old_name="frameworks__item_id_0066e5_idx",
        ),
    ]
