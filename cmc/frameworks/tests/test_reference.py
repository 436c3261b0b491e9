"""The shipped reference content: loaded as the YAML files say, and idempotently."""

import uuid

import pytest
import yaml

from cmc.core.errors import InvalidInput, Problem
from cmc.core.models import SearchEntry
from cmc.factories import loaded
from cmc.frameworks.models import Competency, Framework, KeyBehavior, Tier
from cmc.frameworks.reference import load_reference, reference_dir

pytestmark = pytest.mark.django_db


def reference_files() -> dict[str, dict]:
    """The framework files by slug, and the catalogue's records under 'catalogue'."""
    files = {}
    for path in sorted(reference_dir().glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        files["catalogue" if path.name == "catalogue.yaml" else data["slug"]] = data
    return files


def every_identifier() -> set:
    return {
        (model.__name__, identifier)
        for model in (Framework, Tier, Competency, KeyBehavior)
        for identifier in model.objects.values_list("identifier", flat=True)
    }


def test_load_reference_creates_every_framework_the_files_name():
    files = reference_files()
    catalogue = files.pop("catalogue")["frameworks"]

    reports = load_reference()

    assert len(reports) == len(files) + len(catalogue) == 25
    assert all(report.created for report in reports)
    assert set(Framework.objects.values_list("slug", flat=True)) == set(files) | {
        record["slug"] for record in catalogue
    }
    assert (
        Framework.objects.filter(is_reference=True, visibility="public", owner=None).count() == 25
    )
    for slug, data in files.items():
        framework = loaded(slug)
        assert str(framework.identifier) == data["identifier"]
        assert [t.name for t in framework.tier_list] == [t["name"] for t in data["tiers"]]
        assert [[c.code for c in t.competency_list] for t in framework.tier_list] == [
            [str(c["code"]) for c in t.get("competencies") or []] for t in data["tiers"]
        ]
        assert sum(
            len(c.behavior_list) for t in framework.tier_list for c in t.competency_list
        ) == (
            sum(
                len(c.get("behaviors") or [])
                for t in data["tiers"]
                for c in t["competencies"] or []
            )
        )


def test_building_blocks_is_loaded_word_for_word():
    load_reference()

    framework = loaded("building-blocks")

    assert (framework.name, framework.kind, framework.status, framework.version_label) == (
        "Building Blocks Competency Model",
        "building_blocks",
        "approved",
        "2015",
    )
    assert [(t.number, t.name, t.group, len(t.competency_list)) for t in framework.tier_list] == [
        (1, "Personal Effectiveness Competencies", "foundational", 7),
        (2, "Academic Competencies", "foundational", 7),
        (3, "Workplace Competencies", "foundational", 12),
        (4, "Industry-Wide Technical Competencies", "industry_related", 0),
        (5, "Industry-Sector Technical Competencies", "industry_related", 0),
        (6, "Occupation-Specific Knowledge Competencies", "occupation_related", 0),
        (7, "Occupation-Specific Technical Competencies", "occupation_related", 0),
        (8, "Occupation-Specific Requirements", "occupation_related", 0),
        (9, "Management Competencies", "occupation_related", 15),
    ]
    teamwork = framework.tier_list[2].competency_list[0]
    assert (teamwork.code, teamwork.name, teamwork.definition) == (
        "3.1",
        "Teamwork",
        "Working cooperatively with others to complete work assignments.",
    )
    assert [b.text for b in teamwork.behavior_list][:2] == [
        "Abiding by and supporting group decisions",
        "Facilitating team interaction and maintaining focus on group goals",
    ]
    assert len(teamwork.behavior_list) == 7
    first_management = framework.tier_list[8].competency_list[0]
    assert first_management.name == "Monitoring & Controlling Resources"
    assert first_management.behavior_list[0].title == "Identifying resources"
    assert framework.source_citation == (
        "U.S. Department of Labor, Employment and Training Administration. Competency Model "
        "Development and Use – A Technical Assistance Guide, September 2015"
    )
    assert framework.source_section == (
        "Chapter 2. “Building Blocks” for Competency Models (Teamwork: Chapter 1, Elements of a "
        "Competency Model)"
    )
    assert [v["name"] for v in framework.variants] == [
        "Case-study figure “Building Blocks for Competency Models”"
    ]


def test_reference_items_get_identifiers_derived_from_their_framework():
    load_reference()
    framework = loaded("building-blocks")

    tier = framework.tier_list[2]
    teamwork = tier.competency_list[0]
    assert tier.identifier == uuid.uuid5(framework.identifier, "tier/3")
    assert teamwork.identifier == uuid.uuid5(framework.identifier, "competency/3.1")
    assert teamwork.behavior_list[1].identifier == uuid.uuid5(
        framework.identifier, "behavior/3.1/2"
    )


def test_catalogue_frameworks_have_no_content_included():
    catalogue = reference_files()["catalogue"]["frameworks"]
    load_reference()

    listed = Framework.objects.filter(content_included=False)
    assert set(listed.values_list("slug", flat=True)) == {r["slug"] for r in catalogue} | {
        "automation"
    }
    aerospace = loaded("aerospace")
    assert (aerospace.name, aerospace.kind, aerospace.industry, aerospace.tier_list) == (
        "Aerospace",
        "industry",
        "Aerospace",
        [],
    )
    assert aerospace.content_note == (
        "The guide lists this model; its competencies, definitions and key behaviors are not "
        "included here."
    )
    assert Tier.objects.filter(framework__slug__in=[r["slug"] for r in catalogue]).count() == 0


def test_a_sector_model_is_based_on_its_industry_model():
    load_reference()

    assert loaded("automation").based_on == Framework.objects.get(slug="advanced-manufacturing")


def test_loading_again_reports_nothing_changed_and_keeps_every_identifier():
    load_reference()
    before = every_identifier()
    stamps = dict(Framework.objects.values_list("slug", "updated_at"))
    entries = SearchEntry.objects.count()

    reports = load_reference()

    assert len(reports) == 25
    assert [r.framework.slug for r in reports if r.changed] == []
    assert every_identifier() == before
    assert dict(Framework.objects.values_list("slug", "updated_at")) == stamps
    assert SearchEntry.objects.count() == entries


def test_loading_again_puts_back_what_someone_changed():
    load_reference()
    Competency.objects.filter(framework__slug="building-blocks", code="3.1").update(name="Teams")
    Framework.objects.filter(slug="energy-cewd").update(status="draft")

    reports = load_reference()

    changed = {r.framework.slug: r for r in reports if r.changed}
    assert set(changed) == {"building-blocks", "energy-cewd"}
    assert changed["building-blocks"].competencies.updated == 1
    assert changed["energy-cewd"].fields_changed is True
    assert Competency.objects.get(framework__slug="building-blocks", code="3.1").name == "Teamwork"


def test_dry_run_writes_nothing():
    reports = load_reference(dry_run=True)

    assert len(reports) == 25
    assert all(r.dry_run and r.created for r in reports)
    assert Framework.objects.count() == 0
    assert SearchEntry.objects.count() == 0


def test_an_unreadable_file_is_named_and_nothing_is_loaded(tmp_path):
    (tmp_path / "good.yaml").write_text(
        (reference_dir() / "energy.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "broken.yaml").write_text(
        "identifier: 1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b\nname: No slug\n", encoding="utf-8"
    )

    with pytest.raises(InvalidInput) as caught:
        load_reference(directory=tmp_path)

    assert caught.value.problems == [
        Problem(str(tmp_path / "broken.yaml"), "file", "cannot be read ('slug')")
    ]
    assert Framework.objects.count() == 0


def test_what_people_read_names_the_documents_not_the_transcription(reference):
    """The reference files keep the transcribed copy's file name and line numbers for whoever
    checks them; the site, the exports and the API show the documents' own chapters and
    figures."""
    for framework in Framework.objects.all():
        shown = [framework.source_section, framework.content_note, framework.description]
        shown += [tier.note for tier in framework.tiers.all()]
        shown += [str(variant) for variant in framework.variants]
        for text in shown:
            assert "seed" not in text.lower(), (framework.slug, text)
            assert "(lines " not in text, (framework.slug, text)
