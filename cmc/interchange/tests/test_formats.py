"""The exchange formats (CSV, XLSX, JSON): what goes out comes back, and bad files are refused
with located problems before anything is written."""

import io
import re
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmc.core.errors import InvalidInput, Problem
from cmc.core.models import SearchEntry
from cmc.factories import loaded, welding_tree
from cmc.frameworks.models import Competency, Framework, KeyBehavior, Kind, Status, Tier, TierGroup
from cmc.frameworks.selectors import tree_of
from cmc.frameworks.services import import_trees, save_framework_tree
from cmc.frameworks.trees import BehaviorNode, CompetencyNode, FrameworkTree, TierNode
from cmc.interchange import formats
from cmc.interchange.formats import tabular, tabular_writing

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx", "json"]
HEADER = ",".join(tabular.REQUIRED)


def row_counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Framework, Tier, Competency, KeyBehavior, SearchEntry)
    )


def read_and_import(path: Path) -> list:
    """What every door does with a file: parse it, then write all of it or nothing."""
    trees, problems = formats.read_file(path)
    if problems:
        raise InvalidInput(problems)
    return import_trees(trees=trees, where=path.name)


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(InvalidInput) as caught:
        read_and_import(path)
    return caught.value.problems


def carried(tree: FrameworkTree, *, strip: bool = False) -> tuple:
    """What the tabular format carries: names, codes, texts, groups and identifiers. Its cells
    are read without surrounding spaces, so `strip` gives what an import of it must make."""

    def s(text: str) -> str:
        return text.strip() if strip else text

    return (
        tree.identifier,
        tree.slug,
        s(tree.name),
        [
            (
                t.identifier,
                t.number,
                s(t.name),
                t.group,
                [
                    (
                        c.identifier,
                        c.code,
                        s(c.name),
                        s(c.definition),
                        [(b.identifier, s(b.title), s(b.text)) for b in c.behaviors],
                    )
                    for c in t.competencies
                ],
            )
            for t in tree.tiers
        ],
    )


def counts(c) -> tuple[int, int, int, int]:
    """(created, updated, deleted, unchanged)"""
    return (c.created, c.updated, c.deleted, c.unchanged)


@contextmanager
def rolled_back():
    """One hypothesis example's writes, undone when it ends (the test's transaction stays)."""
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# Characters the formats must carry: any printable text, plus what CSV quoting, spreadsheet
# formulas and XML are touchy about. Control characters other than tab and line breaks are
# left out: an XLSX cell cannot hold them (the writer turns them into spaces, by design).
TOUCHY = st.sampled_from([",", '"', "'", ";", "\n", "\r", "\t", " ", "=", "+", "-", "@"])
ANY = st.characters(exclude_categories=("Cc", "Cs", "Cn")) | TOUCHY
INK = st.characters(categories=("L", "N", "P", "S"))  # never whitespace


def text(max_size: int = 12) -> st.SearchStrategy[str]:
    return st.text(ANY, max_size=max_size)


def filled(max_size: int = 12) -> st.SearchStrategy[str]:
    """Text with at least one visible character, maybe with spaces and line breaks around it."""
    return st.tuples(text(4), st.text(INK, min_size=1, max_size=max_size), text(4)).map("".join)


@st.composite
def trees(draw) -> FrameworkTree:
    numbers = draw(st.lists(st.integers(1, 99), min_size=1, max_size=3, unique=True))
    sizes = [draw(st.integers(0, 3)) for _ in numbers]
    codes = iter(
        draw(
            st.lists(
                st.text(INK, min_size=1, max_size=8),
                min_size=sum(sizes),
                max_size=sum(sizes),
                unique=True,
            )
        )
    )
    tiers = [
        TierNode(
            number=number,
            name=draw(filled()),
            group=draw(st.sampled_from(["", *TierGroup.values])),
            note=draw(text()),
            competencies=[
                CompetencyNode(
                    code=next(codes),
                    name=draw(filled()),
                    definition=draw(text(40)),
                    behaviors=[
                        BehaviorNode(text=draw(filled(40)), title=draw(text()))
                        for _ in range(draw(st.integers(0, 3)))
                    ],
                )
                for _ in range(size)
            ],
        )
        for number, size in zip(numbers, sizes, strict=True)
    ]
    return FrameworkTree(
        name=draw(filled(30)),
        slug="round-trip",
        kind=draw(st.sampled_from(Kind.values)),
        status=draw(st.sampled_from(Status.values)),
        industry=draw(text()),
        naics=draw(st.text("0123456789", max_size=6)),
        description=draw(text(60)),
        source_citation=draw(text()),
        source_url=draw(st.sampled_from(["", "https://example.org/model?a=1&b=2"])),
        version_label=draw(text()),
        content_note=draw(text()),
        content_included=draw(st.booleans()),
        variants=draw(st.lists(st.fixed_dictionaries({"name": text()}), max_size=2)),
        tiers=tiers,
    )


@pytest.mark.parametrize("fmt", FORMATS)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tree=trees())
def test_export_then_import_gives_back_the_same_framework(tmp_path, fmt, tree):
    with rolled_back():
        save_framework_tree(tree=tree, where="generated")
        before = tree_of(loaded("round-trip"))
        path = tmp_path / f"round-trip.{fmt}"
        path.write_bytes(formats.write(before, fmt))
        expected = before if fmt == "json" else carried(before, strip=True)

        # Over the framework itself: nothing changes but what the format does not keep
        # (spaces around a tabular cell); the fields and tier notes the tabular format does not
        # carry are kept.
        [report] = read_and_import(path)
        again = tree_of(loaded("round-trip"))
        if fmt == "json":
            assert report.changed is False
            assert again == before
        else:
            # (A file with tiers also marks a framework listed without its content as having it.)
            assert report.changed is (expected != carried(before) or not before.content_included)
            assert carried(again) == expected
            assert (again.description, [t.note for t in again.tiers]) == (
                before.description,
                [t.note for t in before.tiers],
            )

        # Into a database without it: the same framework is made again.
        Framework.objects.all().delete()
        [report] = read_and_import(path)
        after = tree_of(loaded("round-trip"))
        assert report.created is True
        if fmt == "json":
            assert after == before
        else:
            assert carried(after) == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_building_blocks_exported_and_imported_again_is_the_same_framework(
    reference, tmp_path, fmt
):
    before = tree_of(loaded("building-blocks"))
    path = tmp_path / f"building-blocks.{fmt}"
    path.write_bytes(formats.write(before, fmt))
    competencies = [c for t in before.tiers for c in t.competencies]
    behaviors = [b for c in competencies for b in c.behaviors]
    assert (len(before.tiers), len(competencies), len(behaviors)) == (9, 41, 67)

    [report] = read_and_import(path)

    assert (report.created, report.changed) == (False, False)
    assert counts(report.tiers) == (0, 0, 0, 9)
    assert counts(report.competencies) == (0, 0, 0, 41)
    assert counts(report.behaviors) == (0, 0, 0, 67)
    assert tree_of(loaded("building-blocks")) == before

    Framework.objects.filter(slug="building-blocks").delete()
    [report] = read_and_import(path)

    after = tree_of(loaded("building-blocks"))
    assert report.created is True
    if fmt == "json":
        assert after == before
    else:
        assert carried(after) == carried(before)


def test_the_tabular_layout_is_the_documented_one(tmp_path):
    save_framework_tree(tree=welding_tree(), where="test")
    tree = tree_of(loaded("welding"))
    tier = tree.tiers[0]
    competency = tier.competencies[0]
    behavior = competency.behaviors[1]

    lines = formats.write(tree, "csv").decode("utf-8").split("\r\n")

    assert lines[0] == (
        "\ufeffframework,tier number,tier name,competency code,competency name,definition,"
        "behavior title,behavior text,tier group,framework slug,framework identifier,"
        "tier identifier,competency identifier,behavior identifier"
    )
    assert lines[2] == (
        "Welding Model,1,Personal Effectiveness,1.1,Teamwork,Working with others.,Asking,"
        f"Asking for help early,foundational,welding,{tree.identifier},{tier.identifier},"
        f"{competency.identifier},{behavior.identifier}"
    )
    assert len(lines) == 1 + 4 + 1  # header, one row per behavior, and the final line break


def test_a_minimal_csv_with_only_the_required_columns_imports(tmp_path):
    path = tmp_path / "model.csv"
    path.write_text(
        "Behavior Text,Framework,TIER NUMBER,tier name,competency code,competency name,"
        "definition,behavior title\n"
        "Sharing tools,Shop Floor,1.0,Personal,1.1,Teamwork,,\n"
        ",Shop Floor,1,,1.2,Integrity,Being honest.,\n"
        ",Shop Floor,4,Industry,,,,\n",
        encoding="utf-8",
    )

    [report] = read_and_import(path)

    tree = tree_of(loaded("shop-floor"))
    assert report.created is True
    assert [(t.number, t.name, t.group) for t in tree.tiers] == [
        (1, "Personal", "foundational"),
        (4, "Industry", "industry_related"),
    ]
    assert [
        (c.code, c.name, c.definition, [b.text for b in c.behaviors])
        for c in tree.tiers[0].competencies
    ] == [("1.1", "Teamwork", "", ["Sharing tools"]), ("1.2", "Integrity", "Being honest.", [])]


# Malformed files: every problem located, nothing written.


@pytest.fixture
def existing():
    """A framework already in the database: a bad file must leave it as it was."""
    save_framework_tree(tree=welding_tree(), where="test")
    return tree_of(loaded("welding"))


def csv_bytes(*rows: str) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8")


def xlsx_of_welding() -> bytes:
    return formats.write(welding_tree(), "xlsx")


def damaged_member(member: str) -> bytes:
    """The welding workbook with one of its parts cut short, the archive itself intact."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_of_welding()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(
                info.filename, data[: len(data) // 2] if info.filename == member else data
            )
    return out.getvalue()


def scrambled_sheet() -> bytes:
    """The welding workbook with bytes of its sheet's compressed data flipped."""
    data = bytearray(xlsx_of_welding())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 5
    data[start : start + 8] = bytes(b ^ 0xFF for b in data[start : start + 8])
    return bytes(data)


NOT_UTF8 = "is not UTF-8 text (bad byte 0xe0 on line 3); save it as 'CSV UTF-8' and import it again"
TRUNCATED = (
    "is not a readable XLSX workbook (it may be truncated or damaged: File is not a zip file); "
    "open it in a spreadsheet program and save it again"
)

BAD_FILES = {
    "latin-1 csv": (
        "model.csv",
        (HEADER + "\r\nWelding Model,1,Personal,1.1,Teamwork,,,Sharing\r\n").encode()
        + "Welding Model,1,Personal,1.2,Soudage à l'arc,,,Welding\r\n".encode("latin-1"),
        [Problem("model.csv", "file", NOT_UTF8)],
    ),
    "missing columns": (
        "model.csv",
        b"framework,tier number,tier name,competency code,competency name,behavior title\r\n"
        b"Welding Model,1,Personal,1.1,Teamwork,\r\n",
        [
            Problem(
                "model.csv, row 1",
                "header",
                "missing column(s) 'definition', 'behavior text'; the header must name "
                "framework, tier number, tier name, competency code, competency name, "
                "definition, behavior title, behavior text",
            )
        ],
    ),
    "a code in two tiers": (
        "model.csv",
        csv_bytes(
            "Welding Model,1,Personal,1.1,Teamwork,,,Sharing tools",
            "Welding Model,2,Academic,1.2,Reading,,,Reading specifications",
            "Welding Model,2,Academic,1.1,Writing,,,Writing reports",
        ),
        [
            Problem(
                "model.csv, row 4",
                "competency code",
                "'1.1' is already used in another tier (at model.csv, row 2); "
                "codes are unique within a framework",
            )
        ],
    ),
    "a code twice in a tier with two names": (
        "model.csv",
        csv_bytes(
            "Welding Model,1,Personal,1.1,Teamwork,,,Sharing tools",
            "Welding Model,1,Personal,1.1,Integrity,,,Reporting defects",
        ),
        [
            Problem(
                "model.csv, row 3",
                "competency name",
                "differs from the text given for competency 1.1 at model.csv, row 2; "
                "repeat it exactly or leave it empty",
            )
        ],
    ),
    "a code twice in json": (
        "model.json",
        b'{"format": "cmc-framework", "version": 1, "framework": {"name": "Welding Model",'
        b' "tiers": [{"number": 1, "name": "Personal", "competencies": ['
        b'{"code": "1.1", "name": "Teamwork"}, {"code": "1.1", "name": "Integrity"}]}]}}',
        [
            Problem(
                "model.json, framework.tiers[0].competencies[1]",
                "competency code",
                "'1.1' is used twice (first at model.json, framework.tiers[0].competencies[0]); "
                "codes are unique within a framework",
            )
        ],
    ),
    "empty names": (
        "model.csv",
        csv_bytes(
            "Welding Model,1,Personal,1.1,Teamwork,,,Sharing tools",
            "Welding Model,1,,1.2,  ,,,Reporting defects",
            'Welding Model,2," ",2.1,Reading,,,Reading specifications',
        ),
        [
            Problem("model.csv, row 3", "competency name", "is empty; name the competency"),
            Problem("model.csv, row 4", "tier name", "is empty; name the tier"),
        ],
    ),
    "an empty framework name": (
        "model.csv",
        csv_bytes(",1,Personal,1.1,Teamwork,,,Sharing tools"),
        [Problem("model.csv, row 2", "framework", "is empty; name the framework on every row")],
    ),
    "an empty competency name in xlsx": (
        "model.xlsx",
        formats.write(
            FrameworkTree(
                name="Welding Model",
                tiers=[TierNode(1, "Personal", competencies=[CompetencyNode("1.1", "")])],
            ),
            "xlsx",
        ),
        [
            Problem(
                "model.xlsx (sheet 'Framework'), row 2",
                "competency name",
                "is empty; name the competency",
            )
        ],
    ),
    "a truncated xlsx": (
        "model.xlsx",
        xlsx_of_welding()[: len(xlsx_of_welding()) // 2],
        [Problem("model.xlsx", "file", TRUNCATED)],
    ),
    "an unknown ending": (
        "model.txt",
        csv_bytes("Welding Model,1,Personal,1.1,Teamwork,,,Sharing tools"),
        [Problem("model.txt", "file", "has an unknown ending; use .csv, .xlsx or .json")],
    ),
    "an empty csv": ("model.csv", b"", [Problem("model.csv", "file", "is empty")]),
    "an empty xlsx": ("model.xlsx", b"", [Problem("model.xlsx", "file", "is empty")]),
    "an empty json": ("model.json", b"", [Problem("model.json", "file", "is empty")]),
    "invalid json": (
        "model.json",
        b'{"format": "cmc-framework",\n "version": 1,\n',
        [
            Problem(
                "model.json",
                "line 3, column 1",
                "is not valid JSON (Expecting property name enclosed in double quotes)",
            )
        ],
    ),
    "json nested too deeply": (
        "model.json",
        b"[" * 100_000,
        [Problem("model.json", "file", "is nested too deeply to be a framework exported by cmc")],
    ),
    "json of another version": (
        "model.json",
        b'{"format": "cmc-framework", "version": 2, "framework": {}}',
        [Problem("model.json", "version", "2 is not a version this cmc reads (1)")],
    ),
    "json of the wrong types": (
        "model.json",
        b'{"format": "cmc-framework", "version": 1, "framework": {"name": 7,'
        b' "tiers": [{"number": "1", "name": "Personal"}]}}',
        [
            Problem("model.json", "framework.name", "must be text, not int"),
            Problem("model.json", "framework.tiers[0].number", "must be a whole number"),
        ],
    ),
}


@pytest.mark.parametrize(("name", "content", "problems"), BAD_FILES.values(), ids=BAD_FILES)
def test_a_bad_file_is_refused_with_located_problems_and_nothing_is_written(
    existing, tmp_path, name, content, problems
):
    path = tmp_path / name
    path.write_bytes(content)
    before = row_counts()

    assert problems_of(path) == problems
    assert row_counts() == before
    assert tree_of(loaded("welding")) == existing


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            damaged_member("xl/worksheets/sheet1.xml"),
            r"could not be read to the end \(it may be damaged: .+, line 1, column \d+ "
            r"\(sheet1\.xml, line 1\)\); open it in a spreadsheet program and save it again",
        ),
        (
            damaged_member("xl/workbook.xml"),
            r"is not a readable XLSX workbook \(it may be truncated or damaged: .+\); "
            r"open it in a spreadsheet program and save it again",
        ),
        (
            scrambled_sheet(),
            r"could not be read to the end \(it may be damaged: "
            r"Error -3 while decompressing data: .+\); open it in a spreadsheet program and save it again",
        ),
    ],
    ids=["cut sheet", "cut workbook part", "scrambled compressed data"],
)
def test_a_damaged_xlsx_is_refused_without_a_traceback(existing, tmp_path, content, problem):
    path = tmp_path / "model.xlsx"
    path.write_bytes(content)
    before = row_counts()

    [found] = problems_of(path)

    assert (found.where, found.field) == ("model.xlsx", "file")
    assert re.fullmatch(problem, found.message)
    assert row_counts() == before


@pytest.mark.parametrize(
    ("limit", "sizes"),
    [
        (1000, "is 2.0 KB, larger than the 1000 bytes"),
        (2047, "is 2,048 bytes, larger than the 2,047 bytes"),
    ],
)
def test_a_file_over_the_size_limit_is_refused(existing, tmp_path, settings, limit, sizes):
    path = tmp_path / "model.csv"
    content = csv_bytes("Shop Floor,1,Personal,1.1,Teamwork,,,Sharing tools")
    path.write_bytes(content.ljust(2048, b"\n"))  # blank rows are skipped
    settings.CMC_MAX_IMPORT_BYTES = limit
    before = row_counts()

    assert problems_of(path) == [
        Problem(
            "model.csv",
            "file",
            f"{sizes} limit; split it into one file per framework, or import a file you trust "
            "with cmc import --trusted",
        )
    ]
    assert row_counts() == before

    settings.CMC_MAX_IMPORT_BYTES = 2048
    [report] = read_and_import(path)
    assert report.created is True


def test_a_100_mb_file_is_refused_under_the_default_limit_without_being_read(existing, tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: no disk is used
    before = row_counts()

    assert problems_of(path) == [
        Problem(
            "huge.csv",
            "file",
            "is 100.0 MB, larger than the 50.0 MB limit; split it into one file per framework, "
            "or import a file you trust with cmc import --trusted",
        )
    ]
    assert row_counts() == before


def test_one_bad_framework_in_a_file_keeps_the_good_ones_out_too(existing, tmp_path):
    path = tmp_path / "model.csv"
    path.write_bytes(
        csv_bytes(
            "Welding Model,1,Personal Effectiveness,1.1,Teamwork,,,Sharing tools with the crew",
            "Shop Floor,1,Personal,1.1,Teamwork,,,Sharing tools",
            "Shop Floor,1,Personal,1.2,,,,Reporting defects",
        )
    )
    before = row_counts()

    assert problems_of(path) == [
        Problem("model.csv, row 4", "competency name", "is empty; name the competency")
    ]
    assert row_counts() == before
    assert tree_of(loaded("welding")) == existing


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_written_as_text(tmp_path):
    import csv

    from cmc.frameworks.trees import BehaviorNode, CompetencyNode, FrameworkTree, TierNode

    texts = ['=HYPERLINK("http://x")', "+1", "-2 items", "@SUM(A1)", "'quoted", "''=x", "'"]
    tree = FrameworkTree(
        name="Formulas",
        tiers=[TierNode(number=1, name="Base", competencies=[
            CompetencyNode(code="1.1", name="Cells", behaviors=[BehaviorNode(text=t) for t in texts])
        ])],
    )  # fmt: skip
    data = tabular_writing.write_csv(tree).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(data)) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    path = tmp_path / "formulas.csv"
    path.write_text(data, encoding="utf-8")
    trees, problems = formats.read_file(path)
    assert problems == []
    assert [b.text for b in trees[0].tiers[0].competencies[0].behaviors] == texts


def test_one_run_names_reading_and_validation_problems_together(tmp_path):
    path = tmp_path / "both.csv"
    path.write_text(
        "framework,tier number,tier name,competency code,competency name,definition,"
        "behavior title,behavior text\n"
        f"Both,1,Base,{'9' * 25},Long code,,,Does a thing\n"
        "Both,1,Another name,1.2,Fine,,,Does another\n",
        encoding="utf-8",
    )
    trees, problems = formats.read_file(path)
    fields = {(p.where, p.field) for p in problems}
    assert ("both.csv, row 3", "tier name") in fields  # found while reading
    assert ("both.csv, row 2", "competency code") in fields  # found by validation
    assert len(problems) == len(fields)  # each place and field once
