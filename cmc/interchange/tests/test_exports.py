"""Exports of the exchange formats written to a file as they are made."""

import io

import openpyxl
import pytest

from cmc.core.actors import SYSTEM
from cmc.factories import welding_tree
from cmc.frameworks.models import Framework
from cmc.frameworks.services import save_framework_tree
from cmc.frameworks.trees import FrameworkTree, TierNode
from cmc.interchange import exports
from cmc.interchange.formats import tabular

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_export_to_a_handle_writes_what_export_returns_and_reports_its_rows(fmt):
    save_framework_tree(tree=welding_tree(), where="test")
    framework = Framework.objects.get(slug="welding")
    handle, progress = io.BytesIO(), []

    exports.export_to(
        framework, fmt, handle, reader=SYSTEM, on_progress=lambda *done: progress.append(done)
    )

    if fmt == "xlsx":  # a workbook names the time it was made: compare its rows
        sheet = openpyxl.load_workbook(handle, read_only=True).worksheets[0]
        cells = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
        tree = exports.exchange_tree(framework, reader=SYSTEM)
        assert cells == list(tabular.rows_of(tree))
    else:
        assert handle.getvalue() == exports.export(framework, fmt, reader=SYSTEM)
    assert progress == [(0, 4), (4, 4)]


def test_rows_are_counted_as_rows_of_writes_them():
    tree = welding_tree()
    tree.tiers.append(TierNode(number=3, name="Empty"))
    assert tabular.count_rows(tree) == len(list(tabular.rows_of(tree))) - 1 == 5
    assert tabular.count_rows(FrameworkTree(name="None")) == 0
