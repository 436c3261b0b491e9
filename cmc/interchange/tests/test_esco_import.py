"""Loading ESCO: the real export (v1.2 files and the v1.0 skills list) loaded once for the
module, subsets of the real files for re-imports, and broken copies that must write nothing."""

import pytest

from cmc.core.actors import SYSTEM
from cmc.core.models import SearchEntry
from cmc.interchange.esco import loading
from cmc.interchange.models import (
    EscoBroader,
    EscoConcept,
    EscoConceptKind,
    EscoRelease,
)

from .esco_files import DATA, SKILLS_V10

FULL_LINES = [
    "Loaded ESCO 1.2.0:",
    "  Occupation concepts: 3,039 new, 0 changed, 0 unchanged",
    "  Skill concepts: 10,827 new, 0 changed, 0 unchanged",
    "  Knowledge concepts: 3,085 new, 0 changed, 0 unchanged",
    "  Skill group concepts: 640 new, 0 changed, 0 unchanged",
    "  ISCO group concepts: 619 new, 0 changed, 0 unchanged",
    "  occupation pillar broader relations: 3,652 new, 0 changed, 0 unchanged",
    "  skill pillar broader relations: 20,430 new, 0 changed, 0 unchanged",
    "  skill-skill relations: 5,795 new, 0 changed, 0 unchanged",
    "  DigComp skills (collection members): 25 new, 0 changed, 0 unchanged",
    "  Digital skills (collection members): 1,284 new, 0 changed, 0 unchanged",
    "  Green skills (collection members): 591 new, 0 changed, 0 unchanged",
    "  Language skills (collection members): 359 new, 0 changed, 0 unchanged",
    "  Research occupations (collection members): 122 new, 0 changed, 0 unchanged",
    "  Research skills (collection members): 40 new, 0 changed, 0 unchanged",
    "  Transversal skills (collection members): 95 new, 0 changed, 0 unchanged",
    "  skipped 392 skill pillar broader relations naming a concept that is not loaded",
    "  skipped 23 skill-skill relations naming a concept that is not loaded",
    "  skipped 13 rows of skills_en-us.csv with no preferred label",
    "  not read (not kept by this product): conceptSchemes_en.csv",
]


def _wipe():
    for model in (EscoConcept, EscoRelease, EscoConceptKind):
        model.objects.all().delete()
    SearchEntry.objects.filter(collection="esco").delete()


@pytest.fixture(scope="module")
def full(django_db_setup, django_db_blocker):
    """The whole real export, loaded once (committed) for the tests that only read it."""
    with django_db_blocker.unblock():
        summary = loading.import_esco(actor=SYSTEM, paths=[DATA, SKILLS_V10], version="1.2.0")
        yield summary
        _wipe()


@pytest.mark.django_db
def test_the_real_export_loads_with_its_v10_skills_list(full):
    assert full.lines() == FULL_LINES
    assert EscoConcept.objects.count() == 3039 + 10827 + 3085 + 640 + 619
    release = EscoRelease.objects.get()
    assert (release.version, release.language, release.files["occupations_en.csv"]) == (
        "1.2.0",
        "en-us",
        3039,
    )
    haskell = EscoConcept.objects.get(preferred_label="Haskell")
    assert (haskell.kind_id, haskell.skill_type, haskell.reuse_level, haskell.key) == (
        3,
        "knowledge",
        "sector-specific",
        "000f1d3d-220f-4789-9c0a-cc742521fb02",
    )
    assert list(haskell.memberships.values_list("collection", flat=True)) == ["digital"]
    director = EscoConcept.objects.get(uri__endswith="00030d09-2b3a-4efd-87cc-c4ea39d27c34")
    assert (director.code, director.isco_group, director.alt_label_list[:2]) == (
        "2654.1.7",
        "2654",
        ["technical and operations director", "head of technical"],
    )
    assert SearchEntry.objects.filter(collection="esco").count() == EscoConcept.objects.count()


@pytest.mark.django_db
def test_loading_the_same_files_again_changes_nothing(full):
    again = loading.import_esco(actor=SYSTEM, paths=[DATA, SKILLS_V10], dry_run=True)
    assert again.lines()[1:6] == [
        "  Occupation concepts: 0 new, 0 changed, 3,039 unchanged",
        "  Skill concepts: 0 new, 0 changed, 10,827 unchanged",
        "  Knowledge concepts: 0 new, 0 changed, 3,085 unchanged",
        "  Skill group concepts: 0 new, 0 changed, 640 unchanged",
        "  ISCO group concepts: 0 new, 0 changed, 619 unchanged",
    ]
    assert again.lines()[0] == "Would load ESCO 1.2.0:"
    assert EscoBroader.objects.count() == 3652 + 20430
