"""Benchmark of the occupational data imports: prints ratios measured in one run, never part of
the tests.

    .venv/bin/python bench/occupations.py [--data ../shared/data]

In a scratch SQLite database it measures, against a floor measured in the same run:
  1. `import_onet` of the whole O*NET text set (the tables published only as Excel in the
     shared copy are written out as O*NET's tab-separated text first, untimed) against parsing
     the same files with the csv module and inserting their raw rows into SQLite with one
     `executemany` per table;
  2. `import_oews` of the OEWS national file against the same floor for that file (its first
     import, on a table without wages, and again with nothing changed);
  3. peak Python memory (tracemalloc) of each import against that of its floor, and of the O*NET
     import of a quarter of the rows against all of them (streamed: it should not grow with
     the file).
Times are medians of three runs (the first import runs on an empty database each time). Aim:
within 3x the floor.
"""

import argparse
import csv
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = 3  # medians of three runs


def setup_django(scratch: Path) -> None:
    os.environ["CMC_DATA_DIR"] = str(scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def text_set(onet: Path, target: Path) -> Path:
    """The O*NET release as tab-separated text (Excel tables written out as O*NET's text
    files are)."""
    from cmc.occupations.files import open_table

    target.mkdir(parents=True)
    for path in onet.iterdir():
        if path.suffix not in (".txt", ".xlsx") or path.name == "Read Me.txt":
            continue
        if path.suffix == ".txt":
            shutil.copyfile(path, target / path.name)
            continue
        table = open_table(path, required=(), what=path.stem)
        with (target / f"{path.stem}.txt").open("w", encoding="utf-8") as out:
            out.write("\t".join(table.header) + "\n")
            for _, row in table.rows():
                out.write("\t".join(row[h] for h in table.header) + "\n")
    return target


def part_of(full: Path, target: Path, fraction: float) -> Path:
    """The first `fraction` of each per-occupation table's rows (every occupation and every
    reference row kept, so that codes resolve)."""
    target.mkdir(parents=True)
    for path in full.iterdir():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        whole = "Reference" in path.stem or "Categories" in path.stem
        if not whole and path.stem not in ("Occupation Data", "Job Zones"):
            lines = lines[: 1 + int((len(lines) - 1) * fraction)]
        (target / path.name).write_text("".join(lines), encoding="utf-8")
    return target


def floor(paths: list[Path], delimiter: str) -> float:
    """Parse each file with the csv module and insert its raw rows into SQLite."""
    start = time.perf_counter()
    db = sqlite3.connect(tempfile.mktemp(suffix=".sqlite3"))
    for number, path in enumerate(paths):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(
                handle,
                delimiter=delimiter,
                quoting=csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL,
            )
            header = next(reader)
            columns = ", ".join(f"c{i}" for i in range(len(header)))
            db.execute(f"CREATE TABLE t{number} ({columns})")
            marks = ", ".join("?" for _ in header)
            db.executemany(
                f"INSERT INTO t{number} VALUES ({marks})", (row[: len(header)] for row in reader)
            )
    db.commit()
    db.close()
    return time.perf_counter() - start


def timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def peak(function, *args) -> float:
    """Peak traced Python memory of one call, in MiB."""
    tracemalloc.start()
    function(*args)
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 2**20


def clear() -> None:
    from cmc.occupations.models import Dataset, ElementRating, Occupation, Wage

    ElementRating.objects.all().delete()
    Occupation.objects.all().delete()
    Wage.objects.all().delete()
    Dataset.objects.all().delete()


def first_and_again(empty, work) -> tuple[float, float]:
    """Medians of `work` run first on emptied tables (`empty`), and again with nothing
    changed."""
    firsts, agains = [], []
    for _ in range(ROUNDS):
        empty()
        firsts.append(timed(work))
        agains.append(timed(work))
    return statistics.median(firsts), statistics.median(agains)


def clear_wages() -> None:
    from cmc.occupations.models import Dataset, Wage

    Wage.objects.all().delete()
    Dataset.objects.filter(name="oews").delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args()
    data = Path(args.data)
    scratch = Path(tempfile.mkdtemp(prefix="bench-occupations-"))
    try:
        setup_django(scratch)
        from cmc.occupations.services import import_oews, import_onet

        full = text_set(data / "onet", scratch / "onet")
        quarter = part_of(full, scratch / "onet-quarter", 0.25)
        files = sorted(p for p in full.iterdir())
        rows = sum(1 for p in files for _ in p.open(encoding="utf-8")) - len(files)
        onet_floor = statistics.median(floor(files, "\t") for _ in range(ROUNDS))
        onet_time, again = first_and_again(clear, lambda: import_onet(directory=full))
        oews = data / "oews" / "national_M2025.csv"
        oews_floor = statistics.median(floor([oews], ",") for _ in range(ROUNDS))
        oews_time, oews_again = first_and_again(clear_wages, lambda: import_oews(path=oews))
        clear()
        floor_memory = peak(floor, files, "\t")
        memory_quarter = peak(lambda: import_onet(directory=quarter))
        clear()
        memory_full = peak(lambda: import_onet(directory=full))
        print(f"O*NET text set: {len(files)} files, {rows:,} rows")
        print(f"  floor (csv + executemany)   {onet_floor:7.2f} s")
        print(
            f"  import_onet (first)         {onet_time:7.2f} s   {onet_time / onet_floor:5.2f}x the floor"
        )
        print(
            f"  import_onet (unchanged)     {again:7.2f} s   {again / onet_floor:5.2f}x the floor"
        )
        print(f"OEWS national file: {oews.name}")
        print(f"  floor (csv + executemany)   {oews_floor:7.3f} s")
        print(
            f"  import_oews (first)         {oews_time:7.3f} s   {oews_time / oews_floor:5.2f}x the floor"
        )
        print(
            f"  import_oews (unchanged)     {oews_again:7.3f} s   {oews_again / oews_floor:5.2f}x the floor"
        )
        print("Peak Python memory (tracemalloc)")
        print(f"  floor                       {floor_memory:7.1f} MiB")
        print(f"  import_onet, 1/4 of rows    {memory_quarter:7.1f} MiB")
        print(
            f"  import_onet, all rows       {memory_full:7.1f} MiB   {memory_full / memory_quarter:5.2f}x the quarter"
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
