"""Loading ESCO from real-layout subsets of the real files written to a temporary directory:
re-imports, the layouts of a full release, broken copies that must write nothing, the command."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from cmc.core.actors import SYSTEM
from cmc.core.errors import InvalidInput
from cmc.factories import UserFactory
from cmc.interchange.esco import loading
from cmc.interchange.models import (
    EscoConcept,
    EscoMember,
    EscoOccupationSkill,
    EscoRelease,
    EscoSkillRelation,
)

from .esco_files import SKILLS_V10, rows_of, subset, write


def test_reimport_updates_in_place_and_reports_the_change(db, tmp_path):
    directory = subset(tmp_path / "esco")
    first = loading.import_esco(actor=SYSTEM, paths=[directory], version="1.2.0")
    assert first.lines()[1:5] == [
        "  Occupation concepts: 40 new, 0 changed, 0 unchanged",
        # 34 of the first 40 skills, and 2 more from the green collection; 6 knowledge.
        "  Skill concepts: 36 new, 0 changed, 0 unchanged",
        "  Knowledge concepts: 6 new, 0 changed, 0 unchanged",
        "  ISCO group concepts: 619 new, 0 changed, 0 unchanged",
    ]
    header, rows = rows_of("occupations_en.csv", directory / "occupations_en.csv")
    label = header.index("preferredLabel")
    rows[0][label] = "technical director of theatre"
    write(directory / "occupations_en.csv", header, rows)
    before = EscoConcept.objects.get(uri=rows[0][header.index("conceptUri")])
    second = loading.import_esco(actor=SYSTEM, paths=[directory])
    assert second.lines()[1] == "  Occupation concepts: 0 new, 1 changed, 39 unchanged"
    after = EscoConcept.objects.get(pk=before.pk)
    assert (after.preferred_label, after.key) == ("technical director of theatre", before.key)
    assert EscoRelease.objects.get().version == "1.2.0"


def test_a_full_releases_skills_and_occupation_skill_relations_load(db, tmp_path):
    """skills_en.csv and occupationSkillRelations_en.csv of a full v1.2 release: the v1.2
    columns (hiddenLabels, status, modifiedDate...) in their own order, rows from the real
    v1.0 list and the real occupations."""
    v10_header, v10 = rows_of("skills_en-us.csv", SKILLS_V10)
    v12_header = [
        "conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
        "hiddenLabels", "status", "modifiedDate", "scopeNote", "definition", "inScheme",
        "description",
    ]  # fmt: skip
    skills = [
        [dict(zip(v10_header, row, strict=True)).get(column, "") for column in v12_header]
        for row in v10[:3]
    ]
    for row in skills:
        row[v12_header.index("status")] = "released"
    write(tmp_path / "skills_en.csv", v12_header, skills)
    occ_header, occupations = rows_of("occupations_en.csv")
    write(tmp_path / "occupations_en.csv", occ_header, occupations[:1])
    occupation = occupations[0][occ_header.index("conceptUri")]
    relations = [
        [occupation, "essential", "skill/competence", skills[0][1]],
        [occupation, "optional", "knowledge", skills[1][1]],
    ]
    write(
        tmp_path / "occupationSkillRelations_en.csv",
        ["occupationUri", "relationType", "skillType", "skillUri"],
        relations,
    )
    summary = loading.import_esco(actor=SYSTEM, paths=[tmp_path])
    assert "  occupation-skill relations: 2 new, 0 changed, 0 unchanged" in summary.lines()
    assert sorted(EscoOccupationSkill.objects.values_list("skill__uri", "relation_type")) == sorted(
        [(skills[0][1], "essential"), (skills[1][1], "optional")]
    )
    assert set(EscoConcept.objects.filter(kind_id__in=[2, 3]).values_list("status", flat=True)) == {
        "released"
    }


def _refused(paths) -> list[str]:
    with pytest.raises(InvalidInput) as refused:
        loading.import_esco(actor=SYSTEM, paths=paths)
    assert EscoConcept.objects.count() == 0
    assert EscoRelease.objects.count() == 0
    return [str(problem) for problem in refused.value.problems]


def test_a_file_of_the_wrong_kind_is_named_and_nothing_is_written(db, tmp_path):
    directory = subset(tmp_path / "esco")
    header, rows = rows_of("skills_en-us.csv", SKILLS_V10)
    write(directory / "occupations_en.csv", header, rows[:3])
    # The skills columns hold conceptUri and preferredLabel: what is wrong is the ISCO file.
    isco_header, isco = rows_of("skillSkillRelations_en.csv")
    write(directory / "ISCOGroups_en.csv", isco_header, isco[:3])
    assert _refused([directory]) == [
        "ISCOGroups_en.csv, line 1, conceptUri: missing required column of an ESCO ISCO groups "
        "file; it has the columns of an ESCO skill-skill relations file instead",
        "ISCOGroups_en.csv, line 1, code: missing required column of an ESCO ISCO groups "
        "file; it has the columns of an ESCO skill-skill relations file instead",
        "ISCOGroups_en.csv, line 1, preferredLabel: missing required column of an ESCO ISCO "
        "groups file; it has the columns of an ESCO skill-skill relations file instead",
    ]


def test_a_bad_row_is_named_by_file_line_and_column(db, tmp_path):
    directory = subset(tmp_path / "esco")
    header, rows = rows_of("occupations_en.csv", directory / "occupations_en.csv")
    rows[2][header.index("conceptUri")] = ""
    write(directory / "occupations_en.csv", header, rows)
    relations_header = ["originalSkillUri", "originalSkillType", "relationType", "relatedSkillType", "relatedSkillUri"]  # fmt: skip
    write(
        directory / "skillSkillRelations_en.csv",
        relations_header,
        [
            [
                "http://data.europa.eu/esco/skill/a",
                "knowledge",
                "sometimes",
                "knowledge",
                "http://data.europa.eu/esco/skill/b",
            ]
        ],  # fmt: skip
    )
    problems = _refused([directory])
    assert problems[0].startswith("occupations_en.csv, line ")
    assert problems[0].endswith(", conceptUri: is empty; every row needs the concept's URI")
    assert problems[1:] == [
        "skillSkillRelations_en.csv, line 2, relationType: must be essential or optional"
    ]


def test_files_that_are_not_esco_exports_are_refused(db, tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "occupations_en.csv").write_bytes(b"conceptUri,preferredLabel\n\xff\xfe,x\n")
    assert _refused([tmp_path]) == [
        "notes.csv, file: is not a file of an ESCO CSV export (its name should be like "
        "occupations_en.csv)"
    ]
    (tmp_path / "notes.csv").unlink()
    assert _refused([tmp_path]) == [
        "occupations_en.csv, file: is not UTF-8 text; ESCO's CSV exports are UTF-8"
    ]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _refused([empty]) == [
        f"{empty}, files: holds no ESCO CSV export file (occupations_en.csv, skills_en.csv, "
        "ISCOGroups_en.csv, ...)"
    ]


def test_only_the_system_or_staff_may_load_esco(db, tmp_path):
    with pytest.raises(PermissionDenied):
        loading.import_esco(actor=UserFactory(), paths=[subset(tmp_path)])
    assert EscoConcept.objects.count() == 0


def test_the_command_loads_and_refuses_like_the_service(db, tmp_path, capsys):
    directory = subset(tmp_path / "esco")
    call_command("import_esco", str(directory), "--esco-version", "1.2.0")
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        "Loaded ESCO 1.2.0:",
        "  Occupation concepts: 40 new, 0 changed, 0 unchanged",
    ]
    assert "  Green skills (collection members): 5 new, 0 changed, 0 unchanged" in out
    assert EscoMember.objects.count() == 5
    (directory / "broaderRelationsOccPillar_en.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"^2 problem\(s\); nothing was written$"):
        call_command("import_esco", str(directory))
    # (The progress bar leaves an empty line behind on a terminal that is not one.)
    assert [line for line in capsys.readouterr().err.splitlines() if line] == [
        "broaderRelationsOccPillar_en.csv, line 1, conceptUri: missing required column of an "
        "ESCO occupation pillar broader relations file",
        "broaderRelationsOccPillar_en.csv, line 1, broaderUri: missing required column of an "
        "ESCO occupation pillar broader relations file",
    ]
    assert EscoSkillRelation.objects.count() == 0
