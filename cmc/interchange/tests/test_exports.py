"""Exports of the exchange formats written to a file as they are made."""

import io

import openpyxl
import pytest

from cmc.core.actors import SYSTEM
from cmc.factories import welding_tree
from cmc.frameworks.models import Framework
from cmc.frameworks.services import save_framework_tree
from cmc.frameworks.trees import BehaviorNode, CompetencyNode, FrameworkTree, TierNode
from cmc.interchange import exports, formats
from cmc.interchange.formats import tabular, tabular_writing

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
        assert cells == list(tabular_writing.rows_of(tree))
    else:
        assert handle.getvalue() == exports.export(framework, fmt, reader=SYSTEM)
    assert progress == [(0, 4), (4, 4)]


def test_rows_are_counted_as_rows_of_writes_them():
    tree = welding_tree()
    tree.tiers.append(TierNode(number=3, name="Empty"))
    assert tabular_writing.count_rows(tree) == len(list(tabular_writing.rows_of(tree))) - 1 == 5
    assert tabular_writing.count_rows(FrameworkTree(name="None")) == 0


def awkward_tree() -> FrameworkTree:
    """Texts a spreadsheet would run or a writer could mangle, extensions on every level, a
    tier without competencies and a competency without key behaviors, tiers and items saved
    out of the order of their numbers and codes."""
    extensions = {"case": {"notes": ["a", 1, 2.5, True, None], "é": {"deep": []}}, "x": {}}
    return FrameworkTree(
        name='=Awkward, "quoted" model',
        slug="awkward",
        description="Line one\nline two \u2028 and 💡",
        variants=[{"name": "short"}],
        extensions={"tiers": [], "ctdl": {"k": "v"}},
        tiers=[
            TierNode(
                number=3,
                name="+Third",
                group="industry_related",
                note="A note",
                extensions=extensions,
                competencies=[
                    CompetencyNode(
                        code="3.10",
                        name="-Minus",
                        definition="@at\r\nnext",
                        extensions={"n": 3},
                        behaviors=[
                            BehaviorNode(text="'quoted start", title="=1+1", extensions=extensions),
                            BehaviorNode(text='tab\there, comma, and "quote"'),
                        ],
                    ),
                    CompetencyNode(code="3.2", name="No behaviors"),
                ],
            ),
            TierNode(number=1, name="Empty tier"),
            TierNode(
                number=2,
                name="Ünïcode",
                competencies=[
                    CompetencyNode(
                        code="2.1",
                        name="Ok",
                        behaviors=[
                            BehaviorNode(text=f"Behavior {n} \\ backslash") for n in range(3)
                        ],
                    ),
                ],
            ),
        ],
    )


def _csv_of(tree: FrameworkTree) -> bytes:
    """The CSV as written before exports streamed: every cell of rows_of guarded."""
    import csv

    text = io.StringIO()
    text.write("\ufeff")
    rows = [[tabular.guard_formula(v) for v in row] for row in tabular_writing.rows_of(tree)]
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode()


def _json_of(tree: FrameworkTree) -> bytes:
    """The JSON as json writes the document."""
    import json

    from cmc.frameworks import snapshots

    return (json.dumps(snapshots.to_dict(tree), ensure_ascii=False, indent=2) + "\n").encode()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_draft_streamed_is_written_as_its_tree_would_be(fmt):
    from cmc.frameworks.selectors import draft_tree

    save_framework_tree(tree=awkward_tree(), where="test")
    framework = Framework.objects.get(slug="awkward")
    tree = draft_tree(framework, reader=SYSTEM)
    assert [t.number for t in tree.tiers] == [3, 1, 2] and tree.tiers[0].competencies[0].extensions

    written = exports.export(framework, fmt, reader=SYSTEM)

    assert written == (_csv_of(tree) if fmt == "csv" else _json_of(tree))
    assert written == formats.write(tree, fmt)


def test_a_version_is_written_as_json_writes_its_document():
    from cmc.frameworks.selectors.trees import version_tree
    from cmc.frameworks.services import publish_version

    save_framework_tree(tree=awkward_tree(), where="test")
    framework = Framework.objects.get(slug="awkward")
    version = publish_version(framework=framework, actor=SYSTEM, note="first")

    written = exports.export(framework, "json", reader=SYSTEM, version=version)

    assert written == _json_of(version_tree(framework, version, reader=SYSTEM))


def test_a_framework_without_tiers_is_written_as_json_writes_it():
    tree = FrameworkTree(name="Bare", slug="bare")
    assert formats.write(tree, "json") == _json_of(tree)
    assert formats.write(tree, "csv") == _csv_of(tree)
