import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from cmc.core.errors import InvalidInput
from cmc.occupations.files import open_table
from cmc.occupations.models import (
    AlternateTitle,
    Dataset,
    ElementRating,
    Occupation,
    Task,
)
from cmc.occupations.services import import_onet

from .conftest import ONET

pytestmark = pytest.mark.django_db

FIRST_IMPORT = [
    "O*NET 29.3 Database, May 2025 Release: changed",
    "  content model elements  627 new, 0 changed, 0 removed, 0 unchanged",
    "  scales                  29 new, 0 changed, 0 removed, 0 unchanged",
    "  job zones               5 new, 0 changed, 0 removed, 0 unchanged",
    "  education categories    41 new, 0 changed, 0 removed, 0 unchanged",
    "  occupations             3 new, 0 changed, 0 removed, 0 unchanged",
    "  tasks                   66 new, 0 changed, 0 removed, 0 unchanged",
    "  skills                  105 new, 0 changed, 0 removed, 0 unchanged",
    "  knowledge               99 new, 0 changed, 0 removed, 0 unchanged",
    "  alternate titles        173 new, 0 changed, 0 removed, 0 unchanged",
    "  related occupations     60 new, 0 changed, 0 removed, 0 unchanged",
    "  education ratings       123 new, 0 changed, 0 removed, 0 unchanged",
    "  Abilities: not in this release; what was loaded before is kept",
    "  Work Activities: not in this release; what was loaded before is kept",
]


def test_import_reads_text_and_excel_tables(onet_dir):
    report = import_onet(directory=onet_dir)
    assert report.lines() == FIRST_IMPORT
    chief = Occupation.objects.get(code="11-1011.00")
    assert (chief.soc_code, chief.title, chief.job_zone) == ("11-1011", "Chief Executives", 5)
    reading = ElementRating.objects.get(occupation=chief, element_id="2.A.1.a")
    assert (reading.domain, reading.importance, reading.level) == ("skill", 4.12, 4.62)
    task = Task.objects.get(task_id=8823)
    assert (task.occupation_id, task.task_type, task.importance) == ("11-1011.00", "Core", None)
    assert Dataset.objects.get(name="onet").release == "O*NET 29.3 Database, May 2025 Release"


def test_reimport_changes_nothing_then_updates_in_place(onet_dir):
    import_onet(directory=onet_dir)
    chief_pk = Occupation.objects.get(code="11-1011.00").pk
    again = import_onet(directory=onet_dir)
    assert again.lines()[0] == "O*NET 29.3 Database, May 2025 Release: unchanged"
    assert again.lines()[6] == "  tasks                   0 new, 0 changed, 0 removed, 66 unchanged"
    data = onet_dir / "Occupation Data.txt"
    lines = data.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace("\tChief Executives\t", "\tChief Executive Officers\t")
    data.write_text("".join(lines[:3]))  # the third occupation (11-1021.00) is gone
    for name in ("Task Statements.txt", "Related Occupations.txt", "Job Zones.txt"):
        path = onet_dir / name
        kept = [
            line
            for line in path.read_text().splitlines(True)
            if "11-1021.00\t" not in line.split("\t", 1)[0] + "\t"
        ]
        path.write_text("".join(kept))
    for name in (
        "Skills.xlsx",
        "Knowledge.xlsx",
        "Alternate Titles.xlsx",
        "Education, Training, and Experience.xlsx",
    ):
        _drop_rows(onet_dir / name, "11-1021.00")
    report = import_onet(directory=onet_dir)
    assert report.tables["occupations"].__dict__ == {
        "created": 0,
        "updated": 1,
        "deleted": 1,
        "unchanged": 1,
    }
    chief = Occupation.objects.get(code="11-1011.00")
    assert (chief.pk, chief.title) == (chief_pk, "Chief Executive Officers")
    assert not Occupation.objects.filter(code="11-1021.00").exists()


def _drop_rows(path: Path, code: str) -> None:
    book = load_workbook(path)
    sheet = book.worksheets[0]
    rows = [row for row in sheet.iter_rows(values_only=True) if row[0] != code]
    out = Workbook()
    out.active.title = sheet.title
    for row in rows:
        out.active.append(row)
    out.save(path)


def test_the_same_table_as_text_or_excel_gives_the_same_rows(onet_dir):
    excel = onet_dir / "Skills.xlsx"
    table = open_table(excel, required=("O*NET-SOC Code",), what="Skills")
    with (onet_dir / "Skills.txt").open("w") as out:
        out.write("\t".join(table.header) + "\n")
        for _, row in table.rows():
            out.write("\t".join(row.values()) + "\n")
    excel.unlink()
    import_onet(directory=onet_dir)
    rows = list(
        ElementRating.objects.filter(domain="skill")
        .values_list("occupation_id", "element_id", "importance", "level")
        .order_by("occupation_id", "element_id")[:2]
    )
    assert rows == [("11-1011.00", "2.A.1.a", 4.12, 4.62), ("11-1011.00", "2.A.1.b", 4.0, 4.75)]


FULL_RELEASE_HEADER = (
    "O*NET-SOC Code\tTitle\tElement ID\tElement Name\tScale ID\tScale Name\tData Value\tN\t"
    "Standard Error\tLower CI Bound\tUpper CI Bound\tRecommend Suppress\tNot Relevant\tDate\t"
    "Domain Source\n"
)


def test_a_full_release_adds_abilities_work_activities_and_task_ratings(onet_dir):
    (onet_dir / "Abilities.txt").write_text(
        FULL_RELEASE_HEADER
        + "11-1011.00\tChief Executives\t1.A.1.a.1\tOral Comprehension\tIM\tImportance\t4.50\t8\t0.19\t4.13\t4.87\tN\tn/a\t08/2023\tAnalyst\n"
        + "11-1011.00\tChief Executives\t1.A.1.a.1\tOral Comprehension\tLV\tLevel\t4.88\t8\t0.13\t4.63\t5.12\tN\tN\t08/2023\tAnalyst\n"
    )
    (onet_dir / "Work Activities.txt").write_text(
        FULL_RELEASE_HEADER
        + "11-1011.00\tChief Executives\t4.A.1.a.1\tGetting Information\tIM\tImportance\t4.29\t21\t0.16\t3.96\t4.62\tN\tn/a\t08/2023\tIncumbent\n"
    )
    (onet_dir / "Task Ratings.txt").write_text(
        "O*NET-SOC Code\tTitle\tTask ID\tTask\tScale ID\tScale Name\tCategory\tData Value\tN\tStandard Error\tLower CI Bound\tUpper CI Bound\tRecommend Suppress\tDate\tDomain Source\n"
        "11-1011.00\tChief Executives\t8823\tDirect or coordinate.\tIM\tImportance\tn/a\t4.54\t95\t0.08\t4.37\t4.70\tN\t08/2023\tIncumbent\n"
        "11-1011.00\tChief Executives\t8823\tDirect or coordinate.\tRT\tRelevance of Task\tn/a\t92.14\t95\t4.24\t80.49\t97.23\tN\t08/2023\tIncumbent\n"
    )
    report = import_onet(directory=onet_dir)
    assert report.tables["abilities"].created == 1
    assert report.tables["work activities"].created == 1
    ability = ElementRating.objects.get(element_id="1.A.1.a.1")
    assert (ability.domain, ability.importance, ability.level) == ("ability", 4.5, 4.88)
    activity = ElementRating.objects.get(element_id="4.A.1.a.1")
    assert (activity.domain, activity.importance, activity.level) == ("work_activity", 4.29, None)
    assert Task.objects.get(task_id=8823).importance == 4.54
    assert Task.objects.filter(importance__isnull=False).count() == 1


def _refused(directory) -> list[str]:
    with pytest.raises(InvalidInput) as raised:
        import_onet(directory=directory)
    assert Occupation.objects.count() == 0
    assert AlternateTitle.objects.count() == 0
    return [str(problem) for problem in raised.value.problems]


def test_a_missing_table_is_named(onet_dir):
    (onet_dir / "Skills.xlsx").unlink()
    (onet_dir / "Job Zones.txt").unlink()
    assert _refused(onet_dir) == [
        f"{onet_dir}, Job Zones: neither 'Job Zones.txt' nor 'Job Zones.xlsx' is here",
        f"{onet_dir}, Skills: neither 'Skills.txt' nor 'Skills.xlsx' is here",
    ]


def test_a_file_of_the_wrong_kind_is_refused(onet_dir):
    shutil.copyfile(onet_dir / "Job Zones.txt", onet_dir / "Occupation Data.txt")
    assert _refused(onet_dir) == [
        "Occupation Data.txt, line 1, file: is not O*NET's Occupation Data table: its header "
        "lacks the column(s) Description"
    ]


def test_a_text_file_named_xlsx_is_refused(onet_dir):
    shutil.copyfile(onet_dir / "Job Zones.txt", onet_dir / "Skills.xlsx")
    assert _refused(onet_dir) == [
        "Skills.xlsx, line 1, file: is not an Excel workbook, or is damaged or truncated; give "
        "the file as published"
    ]


def test_a_truncated_excel_file_is_refused(onet_dir):
    path = onet_dir / "Knowledge.xlsx"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert _refused(onet_dir) == [
        "Knowledge.xlsx, line 1, file: is not an Excel workbook, or is damaged or truncated; "
        "give the file as published"
    ]


def test_a_truncated_text_file_is_refused_with_its_line(onet_dir):
    path = onet_dir / "Task Statements.txt"
    text = path.read_text()
    path.write_text(text[: text.index("\n", len(text) // 2) + 30])
    assert _refused(onet_dir) == [
        "Task Statements.txt, line 36, row: has 2 fields where the header has 8; the file "
        "looks truncated or is not tab-separated as published"
    ]


def test_bad_and_unknown_codes_are_named_with_their_lines(onet_dir):
    path = onet_dir / "Related Occupations.txt"
    lines = path.read_text().splitlines(True)
    lines[2] = lines[2].replace("11-1011.00", "11-1011", 1)
    lines[4] = lines[4].replace("11-1011.00", "99-9999.00", 1)
    path.write_text("".join(lines))
    assert _refused(onet_dir) == [
        "Related Occupations.txt, line 3, O*NET-SOC Code: '11-1011' is not a code like 29-1141.00",
        "Related Occupations.txt, line 5, O*NET-SOC Code: '99-9999.00' is not in Occupation Data",
    ]


def _repeat_line(path: Path, line: int, after: int) -> None:
    """Write the file's `line` (1 = the header) again after its line `after`."""
    lines = path.read_text().splitlines(True)
    lines.insert(after, lines[line - 1])
    path.write_text("".join(lines))


def test_a_row_read_twice_is_named_at_its_second_line(onet_dir):
    _repeat_line(onet_dir / "Task Statements.txt", 3, 5)
    task = (onet_dir / "Task Statements.txt").read_text().splitlines()[2].split("\t")[2]
    assert _refused(onet_dir) == [f"Task Statements.txt, line 6, task_id: {task} appears twice"]


@pytest.mark.parametrize("batch", [4, 2000])
def test_a_row_read_twice_is_found_across_batches_and_on_a_reimport(onet_dir, monkeypatch, batch):
    from cmc.occupations.services import syncing

    monkeypatch.setattr(syncing, "BATCH", batch)
    import_onet(directory=onet_dir)
    before = sorted(AlternateTitle.objects.values_list("pk", "title"))
    _repeat_line(onet_dir / "Related Occupations.txt", 2, 30)
    first = (onet_dir / "Related Occupations.txt").read_text().splitlines()[1].split("\t")
    related = f"{first[0]}, {first[2]}"
    with pytest.raises(InvalidInput) as raised:
        import_onet(directory=onet_dir)
    assert [str(p) for p in raised.value.problems] == [
        f"Related Occupations.txt, line 31, related_code: {related} appears twice"
    ]
    assert sorted(AlternateTitle.objects.values_list("pk", "title")) == before


def test_command_prints_the_summary_and_skips_unchanged_files(onet_dir, capsys):
    call_command("import_onet", str(onet_dir), "--quiet")
    assert capsys.readouterr().out.splitlines() == FIRST_IMPORT
    call_command("import_onet", str(onet_dir), "--quiet", "--if-changed")
    assert capsys.readouterr().out.splitlines() == [
        "O*NET 29.3 Database, May 2025 Release: the files are unchanged since the last import; skipped"
    ]


def test_command_refuses_a_directory_that_is_not_a_release(tmp_path, capsys):
    with pytest.raises(CommandError, match=r"^12 problem\(s\); nothing was written$"):
        call_command("import_onet", str(tmp_path), "--quiet")
    assert Occupation.objects.count() == 0


def test_real_excel_headers_are_read():
    table = open_table(
        ONET / "Skills.xlsx", required=("O*NET-SOC Code", "Data Value"), what="Skills"
    )
    assert table.header[:4] == ["O*NET-SOC Code", "Title", "Element ID", "Element Name"]
