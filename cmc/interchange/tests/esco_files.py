"""Real ESCO files for the tests: the directory in ../shared/data, and subsets of its files
(their real headers and their first rows) written to a temporary directory."""

import csv
from pathlib import Path

from django.conf import settings

DATA = Path(settings.BASE_DIR).parent / "shared" / "data" / "esco"
if not DATA.is_dir():
    DATA = Path("/work/shared/data/esco")
SKILLS_V10 = DATA / "v1.0-skills-trimmed" / "skills_en-us.csv"


def rows_of(name: str, path: Path | None = None) -> tuple[list[str], list[list[str]]]:
    with (path or DATA / name).open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def subset(directory: Path, first: int = 40) -> Path:
    """The ISCO groups, the first occupations and skills (v1.0 list), their broader relations
    and the green collection, as real rows in the real layouts."""
    isco_header, isco = rows_of("ISCOGroups_en.csv")
    write(directory / "ISCOGroups_en.csv", isco_header, isco)
    occ_header, occupations = rows_of("occupations_en.csv")
    write(directory / "occupations_en.csv", occ_header, occupations[:first])
    skill_header, skills = rows_of("skills_en-us.csv", SKILLS_V10)
    write(directory / "skills_en.csv", skill_header, skills[:first])
    broader_header, broader = rows_of("broaderRelationsOccPillar_en.csv")
    write(directory / "broaderRelationsOccPillar_en.csv", broader_header, broader)
    green_header, green = rows_of("greenSkillsCollection_en.csv")
    write(directory / "greenSkillsCollection_en.csv", green_header, green[:5])
    return directory
