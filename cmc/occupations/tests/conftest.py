"""The published files tests read: the real O*NET, SOC and OEWS sets in /work/shared/data, and a
few occupations' rows of the real O*NET set written to a temporary directory in the same
layout (text tables as text, Excel tables as Excel), so that an import test takes a second."""

import csv
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
if not DATA.is_dir():
    DATA = Path("/work/shared/data")
ONET = DATA / "onet"
SOC = DATA / "soc"
OEWS = DATA / "oews" / "national_M2025.csv"
# The first occupations of every O*NET table (they are sorted by code): reading stops after them.
CODES = ("11-1011.00", "11-1011.03", "11-1021.00")
WHOLE = (
    "Content Model Reference.txt",
    "Scales Reference.txt",
    "Job Zone Reference.txt",
    "Education, Training, and Experience Categories.txt",
    "Read Me.txt",
)


def _subset_text(source: Path, target: Path) -> None:
    with source.open(encoding="utf-8") as inp, target.open("w", encoding="utf-8") as out:
        header = inp.readline()
        out.write(header)
        for line in inp:
            code = line.split("\t", 1)[0]
            if code in CODES:
                out.write(line)
            elif code > CODES[-1]:
                break


def _subset_excel(source: Path, target: Path) -> None:
    book = load_workbook(source, read_only=True)
    sheet = book.worksheets[0]
    out = Workbook(write_only=True)
    written = out.create_sheet(sheet.title)
    for number, row in enumerate(sheet.iter_rows(values_only=True)):
        if number == 0 or row[0] in CODES:
            written.append(row)
        elif row[0] > CODES[-1]:
            break
    book.close()
    out.save(target)


def write_subset(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in ONET.iterdir():
        if path.name in WHOLE:
            shutil.copyfile(path, target / path.name)
        elif path.suffix == ".txt" and path.name not in ("Task Categories.txt",):
            _subset_text(path, target / path.name)
        elif path.suffix == ".xlsx":
            _subset_excel(path, target / path.name)
    return target


@pytest.fixture(scope="session")
def onet_subset(tmp_path_factory) -> Path:
    """A few occupations of the real O*NET release, in its layout; copy it before changing it."""
    return write_subset(tmp_path_factory.mktemp("onet"))


@pytest.fixture
def onet_dir(onet_subset, tmp_path) -> Path:
    """A copy of the subset that a test may change."""
    return Path(shutil.copytree(onet_subset, tmp_path / "onet"))


def data_rows(path: Path) -> int:
    if path.suffix == ".xlsx":
        book = load_workbook(path, read_only=True)
        rows = sum(1 for row in book.worksheets[0].iter_rows(values_only=True) if any(row)) - 1
        book.close()
        return rows
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle, delimiter="\t")) - 1


@pytest.fixture(scope="session")
def onet_text_subset(onet_subset, tmp_path_factory) -> Path:
    """The same subset with its Excel tables written out as O*NET's text files: quicker to
    import where a test is about what the import gives, not how Excel is read."""
    from cmc.occupations.files import open_table

    target = Path(shutil.copytree(onet_subset, tmp_path_factory.mktemp("onet-text") / "onet"))
    for path in list(target.glob("*.xlsx")):
        table = open_table(path, required=(), what=path.stem)
        with path.with_suffix(".txt").open("w", encoding="utf-8") as out:
            out.write("\t".join(table.header) + "\n")
            for _, row in table.rows():
                out.write("\t".join(row[name] for name in table.header) + "\n")
        path.unlink()
    return target
