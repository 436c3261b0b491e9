"""Benchmarks for big files: prints ratios measured in one run, never part of the tests.

    .venv/bin/python bench/files.py [--rounds 3] [--small 10000] [--large 100000]
                                    [--only import|memory|export]

In a scratch database (SQLite, or DATABASE_URL if set) it builds a framework of 3,000
competencies and 30,000 key behaviors and CSV files of 10,000 and 100,000 rows, then prints,
each against a floor measured in the same run (medians of `--rounds` runs):
  1. `cmc import` (a dry run, --trusted) of each file against parsing the same file with the
     csv module and inserting its rows into a plain table with one `executemany`; the time
     per 1,000 rows shows whether the import stays linear;
  2. the peak resident memory (VmHWM) of processes of their own: one that only starts Django,
     the same once ready to import (the command loaded, and the URL map, with the API it
     includes, that the import's search entries load), and `cmc import --trusted` (a dry run)
     of each file; then how much the import grows per row from the small file to the large,
     resident and in Python's own allocations (tracemalloc's peak during the import call, in
     a run of its own); then the large file is imported (written), and the peak of a process
     that imports it again with a few rows changed (written: only those rows change);
  3. the export (CSV, JSON, XLSX) of the 30,000-row and the large framework against writing
     the same rows with the csv module, json and openpyxl's write-only mode.
`--only` runs one of the three (the framework and the files are made all the same).
Aims: import within 5x its floor and no slower per row at 100,000 rows than at 10,000; the
import's peak resident memory, a new import or a re-import, about the same at 100,000 rows as
at 10,000 (a file is read in the memory of its tiers and competencies); CSV and JSON exports
within 2x their floors, XLSX within 1.5x.
"""

import argparse
import csv
import importlib.util
import io
import json
import random
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_spec = importlib.util.spec_from_file_location("bench_run", Path(__file__).with_name("run.py"))
bench_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_run)

# Run in a process of its own (VmHWM starts afresh with the process; ru_maxrss would keep its
# parent's through exec): the peak resident memory, in MiB, after starting Django, once ready to
# import (the command loaded, and the URL map that the import's search entries load, with the
# API it includes), and after the import; "traced" adds the peak of Python's own allocations
# during the import call (tracemalloc, which slows the run down: a run of its own).
_MEMORY_PROBE = """
import io, sys, tracemalloc
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
import django
django.setup()
print("setup", peak())
from django.core.management import call_command
from django.urls import reverse
from cmc.interchange.management.commands import import_framework
reverse("home")
print("ready", peak())
if sys.argv[2] != "-":
    if sys.argv[1] == "traced":
        tracemalloc.start()
    said = io.StringIO()
    call_command("import_framework", sys.argv[2], trusted=True,
                 dry_run=sys.argv[1] != "written", stdout=said, stderr=io.StringIO())
    if sys.argv[1] == "traced":
        print("traced", tracemalloc.get_traced_memory()[1] / 2**20)
    if sys.argv[1] == "written":  # the key behaviors' counts: "N new, N changed, ..."
        print("behaviors", said.getvalue().splitlines()[-1].split(": ", 1)[1].replace(" ", "_"))
print("peak", peak())
"""


timed, step = bench_run.timed, bench_run.step


def write_file(path: Path, behaviors: int, index: int) -> None:
    from cmc.interchange.formats import tabular_writing

    tree = bench_run.make_tree(index, behaviors, random.Random(index))
    path.write_bytes(tabular_writing.write_csv(tree))


def floor_import(path: Path) -> None:
    """The least an import could do: parse the CSV and insert its rows into a plain table."""
    from django.db import connection

    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        marks = ", ".join(["%s"] * len(header))
        columns = ", ".join(f"c{i} text" for i in range(len(header)))
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE bench_floor ({columns})")
            try:
                cursor.executemany(f"INSERT INTO bench_floor VALUES ({marks})", list(reader))
            finally:
                cursor.execute("DROP TABLE bench_floor")


def bench_import(paths: dict[int, Path], rounds: int) -> None:
    from django.core.management import call_command

    def ours(path):
        def run():
            call_command(
                "import_framework",
                str(path),
                trusted=True,
                dry_run=True,
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )

        return run

    print("cmc import (dry run, --trusted) vs csv parse + executemany into a plain table")
    per_row, floor_per_row = {}, {}
    for rows, path in paths.items():
        floor_s = timed(lambda path=path: floor_import(path), rounds)
        ours_s = timed(ours(path), rounds)
        per_row[rows], floor_per_row[rows] = ours_s / rows * 1000, floor_s / rows * 1000
        print(
            f"  {rows:>7,} rows  floor {floor_s:7.2f} s   import {ours_s:7.2f} s   "
            f"ratio {ours_s / floor_s:5.1f}x   {per_row[rows] * 1000:6.1f} ms per 1,000 rows"
        )
    if len(per_row) == 2:
        small, large = sorted(per_row)
        print(
            f"  per row, {large:,} vs {small:,} rows: {per_row[large] / per_row[small]:.2f}x "
            f"(the floor's: {floor_per_row[large] / floor_per_row[small]:.2f}x; aim: at most 1x; "
            "ratio aim: at most 5x)"
        )


def probe(mode: str, argument: str) -> dict:
    said = bench_run.run_probe(_MEMORY_PROBE, mode, argument)
    pairs = (line.split() for line in said.split("\n") if line)
    return {key: value.replace("_", " ") if key == "behaviors" else float(value)
            for key, value in pairs}  # fmt: skip


def changed_copy(path: Path, rows: tuple[int, ...]) -> Path:
    """A copy of a tabular file with the key behavior of each of `rows` (counted from the
    first after the header) rewritten."""
    copy = path.with_name(f"{path.stem}-changed{path.suffix}")
    text = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    column = next(csv.reader(text[:1])).index("behavior text")
    with copy.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        for number, row in enumerate(csv.reader(text)):
            if number in rows:
                row[column] = f"{row[column]} Revised."
            writer.writerow(row)
    return copy


def bench_reimport(path: Path, rows: int, small: float) -> None:
    """The peak of a re-import of the large file with five rows changed, once it is written,
    against `small`, the peak of a new import of the small file."""
    from django.core.management import call_command

    call_command("import_framework", str(path), trusted=True, stdout=io.StringIO())
    changed = changed_copy(path, (1, rows // 3, rows // 2, rows - 100, rows))
    found = probe("written", str(changed))
    print(f"  cmc import --trusted again, {rows:>7,} rows, 5 changed  {found['peak']:6.0f} MiB "
          f"({found['peak'] - small:+5.0f} over the small file's new import; key behaviors: "
          f"{found['behaviors']})")  # fmt: skip


def bench_memory(paths: dict[int, Path]) -> None:
    alone = probe("resident", "-")
    print("Peak resident memory (VmHWM) of processes of their own, one run each "
          "(aim: the import under 150 MiB at the large file)")  # fmt: skip
    print(f"  starting Django {alone['setup']:6.0f} MiB   ready to import (the command, the URL "
          f"map and API it loads) {alone['ready']:6.0f} MiB")  # fmt: skip
    peaks, traced = {}, {}
    for rows, path in paths.items():
        peaks[rows] = probe("resident", str(path))["peak"]
        traced[rows] = probe("traced", str(path))["traced"]
        print(
            f"  cmc import --trusted, {rows:>7,} rows  {peaks[rows]:6.0f} MiB "
            f"({peaks[rows] - alone['ready']:+5.0f} over ready)   Python's own peak in the "
            f"import (tracemalloc) {traced[rows]:6.1f} MiB"
        )
    if len(paths) == 2:
        small, large = sorted(paths)
        extra = large - small
        print(
            f"  grows with the file, from {small:,} to {large:,} rows: resident "
            f"{(peaks[large] - peaks[small]) * 1024 / extra:.2f} KiB per row, Python's "
            f"own {(traced[large] - traced[small]) * 1024 / extra:.2f} KiB per row"
        )
        bench_reimport(paths[large], large, peaks[small])


def floor_writers(rows: list[list[str]]) -> dict:
    def write_csv():
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(rows)
        return buffer.getvalue().encode()

    def write_json():
        return json.dumps(rows, ensure_ascii=False, indent=2).encode()

    def write_xlsx():
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("Framework")
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    return {"csv": write_csv, "json": write_json, "xlsx": write_xlsx}


def bench_export(slug: str, rounds: int) -> None:
    from cmc.core.actors import SYSTEM
    from cmc.frameworks.models import Framework
    from cmc.interchange import exports
    from cmc.interchange.formats import tabular_writing

    framework = Framework.objects.get(slug=slug)
    tree = exports.exchange_tree(framework, reader=SYSTEM)
    rows = list(tabular_writing.rows_of(tree))
    floors = floor_writers(rows)
    print(f"Export of {slug} ({len(rows) - 1:,} rows) vs writing the same rows plainly")
    for fmt, aim in (("csv", 2), ("json", 2), ("xlsx", 1.5)):
        floor_s = timed(floors[fmt], rounds)
        ours_s = timed(lambda fmt=fmt: exports.export(framework, fmt, reader=SYSTEM), rounds)
        print(
            f"  {fmt:4}  floor {floor_s:7.2f} s   export {ours_s:7.2f} s   "
            f"ratio {ours_s / floor_s:4.1f}x  (aim: at most {aim}x)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--only", choices=("import", "memory", "export"))
    args = parser.parse_args()
    scratch = bench_run.scratch_django("cmc-bench-files-")
    try:
        from django.core.management import call_command

        from cmc.frameworks.services import save_framework_tree

        started = time.perf_counter()
        tree = bench_run.make_tree(30_000, 30_000, random.Random(30_000))
        save_framework_tree(tree=tree, where="bench", visibility="public")
        print(f"framework of 3,000 competencies, 30,000 key behaviors saved in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        paths = {}
        for n, rows in enumerate((args.small, args.large)):
            paths[rows] = scratch / f"rows-{rows}.csv"
            write_file(paths[rows], rows, 40_000 + n)
        if args.only in (None, "import"):
            step("import", bench_import, paths, args.rounds)
        if args.only in (None, "memory"):
            step("memory", bench_memory, paths)
        if args.only not in (None, "export"):
            return
        step("export", bench_export, tree.slug, args.rounds)
        started = time.perf_counter()
        call_command("import_framework", str(paths[args.large]), trusted=True, stdout=io.StringIO())
        again = " again" if args.only is None else ""  # the memory part imported it first
        print(f"the {args.large:,}-row file imported{again} in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        step("export", bench_export, f"synthetic-{40_001}", args.rounds)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
