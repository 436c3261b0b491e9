"""The worksheet tables moved from the frameworks app to this one without losing a row."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("frameworks", "0006_rendered_export"), ("accounts", "0002_invitations")]
AFTER = [("analysis", "0002_own_tables")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_uploads_and_entries_survive_the_move_and_come_back_on_the_way_down():
    old = _migrate(BEFORE)
    user = old.get_model("auth", "User").objects.create(username="olga")
    framework = old.get_model("frameworks", "Framework").objects.create(
        slug="ours", name="Ours", identifier=uuid.uuid4(), owner_id=user.pk
    )
    upload = old.get_model("frameworks", "WorksheetUpload").objects.create(
        framework_id=framework.pk, kind="employer", filename="filled.xlsx",
        columns=["Importance"], uploaded_by_id=user.pk, entry_count=1,
    )  # fmt: skip
    item = uuid.uuid4()
    old.get_model("frameworks", "WorksheetEntry").objects.create(
        upload_id=upload.pk, item_kind="competency", item_identifier=item, ref="3.1",
        label="Teamwork", column="Importance", value="4",
    )  # fmt: skip

    new = _migrate(AFTER)
    moved = new.get_model("analysis", "WorksheetUpload").objects.get()
    entry = new.get_model("analysis", "WorksheetEntry").objects.get()
    assert (moved.identifier, moved.filename, moved.columns, moved.framework_id) == (
        upload.identifier, "filled.xlsx", ["Importance"], framework.pk,
    )  # fmt: skip
    assert (entry.upload_id, entry.item_identifier, entry.value) == (moved.pk, item, "4")
    tables = connection.introspection.table_names()
    assert {"analysis_worksheetupload", "analysis_worksheetentry"} <= set(tables)
    assert "frameworks_worksheetupload" not in tables

    back = _migrate(BEFORE)
    assert back.get_model("frameworks", "WorksheetEntry").objects.get().value == "4"
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
