"""The shipped credentials, endorsements and pathways, transcribed from the case studies."""

import re
from pathlib import Path

import pytest
import yaml

from cmc.core import reference as shipped
from cmc.core.actors import SYSTEM
from cmc.credentials import selectors
from cmc.credentials.models import Credential, Pathway, Review
from cmc.credentials.reference import area_credential, load, reference_file

SEED = "/work/shared/seeds/003_046e57e73e8b9e95.txt"


@pytest.fixture
def loaded(reference):
    return load()


def _flat(text: str) -> str:
    return " ".join(text.replace("—", " ").split())


def test_every_passage_is_the_seed_s_words():
    """Each quote (its parts between […]) is in the seed, whitespace aside."""
    seed = _flat(Path(SEED).read_text(encoding="utf-8"))
    data = yaml.safe_load(reference_file().read_text(encoding="utf-8"))
    quotes = [(area_credential(c) if "area" in c else c)["quote"] for c in data["credentials"]]
    quotes += [data["endorsements"]["quote"]] + [p["quote"] for p in data["pathways"]]
    for quote in quotes:
        for part in re.split(r"\s*\[…\]\s*", quote):
            assert _flat(part) in seed, part[:60]


def test_the_loader_is_registered_after_the_frameworks():
    orders = {loader.name: loader.order for loader in shipped.loaders()}
    assert orders["credentials"] == 40
    assert orders["frameworks"] < orders["credentials"]


def test_loading_twice_changes_nothing(loaded):
    assert loaded.summary == (
        "22 reference credentials, 16 endorsements and 2 pathways: 57 changed"
    )
    again = load()
    assert again.lines == []
    assert again.summary.endswith(": 0 changed")


def test_nothing_is_invented(loaded):
    """The seeds give no hours, costs or renewals for any credential."""
    assert not Credential.objects.exclude(typical_hours=None).exists()
    assert not Credential.objects.exclude(typical_cost=None).exists()
    assert not Credential.objects.exclude(renewal="").exists()
    energy = Credential.objects.get(slug="cewd-energy-industry-fundamentals")
    assert (energy.accreditation_body, energy.national_portability, energy.issuer) == (
        "American National Standards Institute (ANSI)", True,
        "Center for Energy Workforce Development (CEWD)",
    )  # fmt: skip
    assert Credential.objects.get(slug="aas-energy-technology-power-operations").issuer == ""


def test_the_manufacturing_endorsements(loaded):
    body_reviews = Review.objects.filter(body__slug="the-manufacturing-institute")
    assert body_reviews.count() == 16
    assert set(body_reviews.values_list("decision", flat=True)) == {"endorsed"}
    review = body_reviews.get(credential__slug="mssc-cpt")
    assert [(e.action, e.actor, e.method) for e in review.events.all()] == [
        ("opened", None, "reference content"),
        ("decided", None, "reference content"),
    ]
    criteria = review.body.endorsement_criteria.values_list("name", flat=True)
    assert list(criteria) == ["National portability", "Accredited third-party validation",
                              "Alignment to the industry model", "Industry acceptance"]  # fmt: skip


def test_the_cpt_is_aligned_to_the_model_s_core_technical_competencies(loaded):
    cpt = Credential.objects.get(slug="mssc-cpt")
    links = selectors.credential_alignments(credential=cpt, reader=None)
    assert [(a.framework.slug, a.competency.code) for a in links] == [
        ("advanced-manufacturing", "4.1"), ("advanced-manufacturing", "4.3"),
        ("advanced-manufacturing", "4.5"), ("advanced-manufacturing", "4.7"),
    ]  # fmt: skip


def test_the_energy_pathway_tier_by_tier(loaded):
    pathway = Pathway.objects.get(slug="get-into-energy-stackable-credentials")
    steps = [(s.stage, s.credential.slug if s.credential else None, s.tier_from, s.tier_to)
             for s in pathway.steps.order_by("position")]  # fmt: skip
    assert steps == [
        ("Basic training", "act-ncrc-plus", 1, 3),
        ("Energy industry fundamentals training", "cewd-energy-industry-fundamentals", 4, 5),
        ("Job-specific training", None, 6, 6),
    ]
    found = selectors.coverage(pathway=pathway, reader=SYSTEM)
    assert [(t.number, t.status) for t in found.tiers] == [
        (1, "covered"), (2, "covered"), (3, "covered"), (4, "covered"), (5, "covered"),
        (6, "gap"),
    ]  # fmt: skip
    assert (found.covered_count, found.competency_count) == (35, 45)


def test_a_newcomer_sees_the_clearinghouse(client, loaded):
    page = client.get("/frameworks/advanced-manufacturing/").content.decode()
    assert "Certified Production Technician (CPT)" in page
    assert "The source names the criteria the body vetted by" in page
    credential = client.get("/credentials/act-ncrc/").content.decode()
    assert "Where this comes from" in credential
    assert "The Manufacturing Institute’s Manufacturing Skills Certification System" in credential
    assert "(lines" not in credential
    assert "Endorsed by The Manufacturing Institute" in credential
    pathway = client.get("/pathways/manufacturing-certification-pathways/").content.decode()
    assert "High School Diploma" in pathway and "Helper/Operator" in pathway


def test_the_command_exports_alignments(loaded, tmp_path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    target = tmp_path / "ncrc.json"
    call_command("credentials", "export-alignments", "act-ncrc", "--format", "ctdl",
                 "--output", str(target))  # fmt: skip
    document = yaml.safe_load(target.read_text())
    names = [a["ceterms:targetNodeName"]["en"]
             for a in document["ceterms:requires"][0]["ceterms:targetCompetency"]]  # fmt: skip
    assert names == ["Tier 1: Personal Effectiveness Competencies", "Tier 2: Academic Competencies",
                     "Tier 3: Workplace Competencies"]  # fmt: skip
    with pytest.raises(CommandError, match="no credential 'nope'"):
        call_command("credentials", "export-alignments", "nope")
