"""The command line: `cmc import`, `cmc export`, `cmc search`, `cmc load-reference` and the `cmc`
console script itself (help, exit codes, one-line reasons)."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from cmc.cli import COMMANDS
from cmc.core.models import SearchEntry
from cmc.factories import loaded, welding_tree
from cmc.frameworks.models import Competency, Framework, KeyBehavior, Tier
from cmc.frameworks.selectors import tree_of
from cmc.frameworks.services import save_framework_tree
from cmc.frameworks.trees import BehaviorNode, CompetencyNode, TierNode
from cmc.interchange import formats
from cmc.interchange.formats import tabular, tabular_writing

HEADER = ",".join(tabular.REQUIRED)
CMC = str(Path(sys.executable).parent / "cmc")


def row_counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Framework, Tier, Competency, KeyBehavior, SearchEntry)
    )


def run(*args: str) -> tuple[str, str]:
    """Run a management command as the `cmc` script does; its standard output and error."""
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args: str) -> tuple[str, str]:
    """Run a command that must fail; the one-line reason and what it wrote on standard error."""
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=StringIO(), stderr=err)
    return str(caught.value), err.getvalue()


def welding_csv(path: Path) -> Path:
    path.write_bytes(formats.write(welding_tree(), "csv"))
    return path


# export


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_export_writes_the_framework_to_a_file(tmp_path, fmt):
    save_framework_tree(tree=welding_tree(), where="test")  # private: the command line sees it
    tree = tree_of(loaded("welding"))
    path = tmp_path / f"out.{fmt}"

    out, err = run("export_framework", "welding", "--format", fmt, "-o", str(path))

    size = path.stat().st_size
    assert (out, err) == ("", f"Wrote Welding Model to {path} ({size:,} bytes)\n")
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        cells = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
        assert cells == list(tabular_writing.rows_of(tree))
        assert len(cells) == 1 + 4
    else:
        assert path.read_bytes() == formats.write(tree, fmt)
    assert formats.read_file(path)[1] == []


@pytest.mark.django_db
def test_export_without_a_file_writes_json_to_standard_output(capsysbinary):
    save_framework_tree(tree=welding_tree(), where="test")

    call_command("export_framework", "welding")

    assert capsysbinary.readouterr().out == formats.write(tree_of(loaded("welding")), "json")


@pytest.mark.django_db
def test_export_of_an_unknown_slug_fails_with_its_name():
    assert fails("export_framework", "nope", "--format", "csv") == (
        "no framework with the slug 'nope'",
        "",
    )


# import


@pytest.mark.django_db
def test_import_creates_the_framework_and_reports_it(tmp_path):
    path = welding_csv(tmp_path / "welding.csv")

    out, err = run("import_framework", str(path))

    assert out.splitlines() == [
        "Welding Model (welding) was created",
        "  tiers: 2 new, 0 changed, 0 removed, 0 unchanged",
        "  competencies: 3 new, 0 changed, 0 removed, 0 unchanged",
        "  key behaviors: 4 new, 0 changed, 0 removed, 0 unchanged",
    ]
    assert err == ""
    framework = Framework.objects.get()
    assert (framework.slug, framework.visibility) == ("welding", "private")
    assert row_counts()[:4] == (1, 2, 3, 4)


@pytest.mark.django_db
def test_import_public_makes_a_new_framework_public(tmp_path):
    run("import_framework", str(welding_csv(tmp_path / "welding.csv")), "--public")

    assert Framework.objects.get().visibility == "public"


@pytest.mark.django_db
def test_import_dry_run_of_a_new_framework_reports_it_and_writes_nothing(tmp_path):
    path = welding_csv(tmp_path / "welding.csv")

    out, _ = run("import_framework", str(path), "--dry-run")

    assert out.splitlines() == [
        "Welding Model (welding) would be created",
        "  tiers: 2 new, 0 changed, 0 removed, 0 unchanged",
        "  competencies: 3 new, 0 changed, 0 removed, 0 unchanged",
        "  key behaviors: 4 new, 0 changed, 0 removed, 0 unchanged",
    ]
    assert row_counts() == (0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_import_dry_run_of_an_update_reports_what_the_import_then_does(tmp_path):
    save_framework_tree(tree=welding_tree(), where="test")
    before, counts_before = tree_of(loaded("welding")), row_counts()
    edited = tree_of(loaded("welding"))
    edited.tiers[0].competencies[1].name = "Honesty"  # 1.2 renamed
    del edited.tiers[0].competencies[0].behaviors[1]  # "Asking for help early" removed
    edited.tiers.append(
        TierNode(
            number=3,
            name="Workplace",
            competencies=[CompetencyNode("3.1", "Safety", behaviors=[BehaviorNode("Wearing PPE")])],
        )
    )
    path = tmp_path / "welding.csv"
    path.write_bytes(formats.write(edited, "csv"))
    report = [
        "  tiers: 1 new, 0 changed, 0 removed, 2 unchanged",
        "  competencies: 1 new, 1 changed, 0 removed, 2 unchanged",
        "  key behaviors: 1 new, 0 changed, 1 removed, 3 unchanged",
    ]

    out, _ = run("import_framework", str(path), "--dry-run")

    assert out.splitlines() == ["Welding Model (welding) would be updated", *report]
    assert row_counts() == counts_before
    assert tree_of(loaded("welding")) == before

    out, _ = run("import_framework", str(path))

    assert out.splitlines() == ["Welding Model (welding) was updated", *report]
    after = tree_of(loaded("welding"))
    assert [c.name for t in after.tiers for c in t.competencies] == [
        "Teamwork",
        "Honesty",
        "Reading",
        "Safety",
    ]
    assert row_counts()[:4] == (1, 3, 4, 4)


@pytest.mark.django_db
def test_import_of_a_bad_file_lists_every_problem_and_writes_nothing(tmp_path):
    save_framework_tree(tree=welding_tree(), where="test")
    before = row_counts()
    path = tmp_path / "model.csv"
    path.write_text(
        f"{HEADER}\n"
        "Welding Model,1,Personal Effectiveness,1.1,Teamwork,,,Sharing tools with the crew\n"
        "Welding Model,one,Academic,2.1,Reading,,,Reading\n"
        "Welding Model,1,Personal Effectiveness,1.2,Integrity,,Asking,\n",
        encoding="utf-8",
    )

    reason, err = fails("import_framework", str(path))

    assert reason == "2 problem(s); nothing was written"
    assert err.splitlines() == [
        "model.csv, row 3, tier number: 'one' is not a whole number; use 1 to 99",
        "model.csv, row 4, behavior text: is empty but behavior title is filled; "
        "write the behavior",
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_import_of_a_100_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: no disk is used

    reason, err = fails("import_framework", str(path))

    assert reason == "1 problem(s); nothing was written"
    assert err == (
        "huge.csv, file: is 100.0 MB, larger than the 50.0 MB limit; split it into one file "
        "per framework, or import a file you trust with cmc import --trusted\n"
    )
    assert row_counts() == (0, 0, 0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.csv", None, "{path}: no such file"),
        ("model.csv", HEADER + "\r\n\r\n", "model.csv: holds no framework rows"),
    ],
    ids=["no such file", "header only"],
)
def test_import_of_a_file_without_frameworks_fails_with_one_line(tmp_path, name, content, reason):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")

    assert fails("import_framework", str(path)) == (reason.format(path=path), "")
    assert row_counts() == (0, 0, 0, 0, 0)


# search and load-reference


@pytest.mark.django_db
def test_search_lists_the_public_hits_in_a_table_word_for_word():
    public = welding_tree()
    public.tiers[1].competencies[0].name = "Reading [/] procedures [bold]"  # not rich markup
    save_framework_tree(tree=public, where="test", visibility="public")
    secret = welding_tree(name="Secret Model", slug="secret")
    save_framework_tree(tree=secret, where="test")  # private: the command line searches public

    out, err = run("search", "procedure")

    lines = out.splitlines()
    assert lines[0].strip() == "2 result(s) for 'procedure'"
    assert lines[2].split() == ["┃", "kind", "┃", "title", "┃", "where", "┃", "link", "┃"]
    assert lines[4:6] == [
        "│ competency │ 2.1 Reading [/] procedures [bold]     │ Welding Model › Tier 2: Academic"
        "                  │ /frameworks/welding/competencies/2.1/            │",
        "│ behavior   │ Reading weld procedure specifications │ Welding Model › 2.1 Reading [/] "
        "procedures [bold] │ /frameworks/welding/competencies/2.1/#behavior-1 │",
    ]
    assert len(lines) == 7
    assert err == ""


@pytest.mark.django_db
def test_search_without_hits_says_so():
    save_framework_tree(tree=welding_tree(), where="test", visibility="public")

    assert run("search", "zeppelin", "airship") == ("No results for 'zeppelin airship'.\n", "")


@pytest.mark.django_db
def test_load_reference_reports_what_it_changed_and_a_second_run_changes_nothing():
    # Every app's loader reports in turn (frameworks first); these are the frameworks' lines.
    out, _ = run("load_reference", "--dry-run")

    assert "25 reference frameworks, 25 would change, 0 already up to date" in out.splitlines()
    assert Framework.objects.count() == 0

    out, _ = run("load_reference")

    assert "25 reference frameworks, 25 changed, 0 already up to date" in out.splitlines()
    assert "Building Blocks Competency Model (building-blocks) was created" in out.splitlines()
    assert Framework.objects.count() == 25
    out, err = run("load_reference")
    assert (out.splitlines()[0], err) == (
        "25 reference frameworks, 0 changed, 25 already up to date",
        "",
    )
    changed = re.compile(r"\b[1-9]\d* (link\(s\)|lattice\(s\)|changed)|: [1-9]\d* changed")
    assert [line for line in out.splitlines() if changed.search(line)] == []


# the `cmc` console script


def test_every_cmc_command_names_a_management_command():
    assert {name for name, _ in COMMANDS.values()} - set(get_commands()) == set()


def cmc(*args: str, data_dir: Path, stdin: bytes = b"") -> subprocess.CompletedProcess:
    """The installed `cmc` script, on its own SQLite database in data_dir."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CMC_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [CMC, *args], env=env, cwd=data_dir, capture_output=True, input=stdin, timeout=120
    )


def test_cmc_help_lists_the_commands_with_one_line_each(tmp_path):
    result = cmc("--help", data_dir=tmp_path)

    lines = result.stdout.decode().splitlines()
    assert (result.returncode, result.stderr) == (0, b"")
    assert lines[0] == "usage: cmc COMMAND [OPTIONS]   (cmc COMMAND --help for a command's options)"
    listed = {line.split()[0]: line for line in lines if line.startswith("  ")}
    assert list(listed) == list(COMMANDS)
    # Names are padded to the longest one (import-esco-crosswalk).
    width = max(len(name) for name in COMMANDS)

    def line(name: str, text: str) -> str:
        return f"  {name.ljust(width)}  {text}"

    assert listed["load-reference"] == line(
        "load-reference", "Load or update the shipped reference content."
    )
    assert listed["import"] == line("import", "Import frameworks from a CSV, XLSX or JSON file.")
    assert listed["search"] == line("search", "Search frameworks, competencies and key behaviors.")
    assert listed["export"].startswith(line("export", "Export a framework"))
    assert listed["import-esco"] == line(
        "import-esco",
        "Load ESCO (skills, occupations, their relations) from its CSV export directory.",
    )


def test_cmc_with_an_unknown_command_exits_2(tmp_path):
    result = cmc("frobnicate", data_dir=tmp_path)

    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr == b"cmc: unknown command 'frobnicate' (cmc --help lists them)\n"


def test_cmc_on_a_database_not_yet_migrated_says_so_in_one_line(tmp_path):
    result = cmc("export", "welding", data_dir=tmp_path)

    assert result.returncode == 1
    assert result.stderr.decode() == (
        "CommandError: the database could not do it (no such table: frameworks_framework); "
        "is it migrated? (cmc migrate)\n"
    )


def test_cmc_imports_exports_and_searches_and_fails_in_one_line(tmp_path):
    assert cmc("migrate", "-v", "0", data_dir=tmp_path).returncode == 0
    good = welding_csv(tmp_path / "welding.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nWelding Model,1,,1.1,Teamwork,,,Sharing\n", encoding="utf-8")

    imported = cmc("import", good.name, "--public", data_dir=tmp_path)
    exported = cmc("export", "welding", "--format", "csv", data_dir=tmp_path)
    found = cmc("search", "procedure", data_dir=tmp_path)
    refused = cmc("import", bad.name, data_dir=tmp_path)
    unwritable = cmc("export", "welding", "-o", "no/such/dir/x.json", data_dir=tmp_path)

    assert (imported.returncode, imported.stderr) == (0, b"")
    assert imported.stdout.decode().splitlines()[0] == "Welding Model (welding) was created"
    assert exported.returncode == 0
    assert (
        exported.stdout.decode("utf-8-sig")
        .splitlines()[1]
        .startswith(
            "Welding Model,1,Personal Effectiveness,1.1,Teamwork,Working with others.,,"
            "Sharing tools with the crew,foundational,welding,"
        )
    )
    assert found.returncode == 0
    assert "Reading weld procedure specifications" in found.stdout.decode()
    assert (refused.returncode, refused.stdout) == (1, b"")
    assert refused.stderr.decode().splitlines() == [
        "bad.csv, row 2, tier name: is empty; name the tier",
        "CommandError: 1 problem(s); nothing was written",
    ]
    assert unwritable.returncode == 1
    assert unwritable.stderr.decode() == (
        "cmc export: FileNotFoundError: [Errno 2] No such file or directory: 'no/such/dir/x.json'\n"
    )
