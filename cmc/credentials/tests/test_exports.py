"""A credential's alignments as Open Badges 3.0 Alignment objects and as CTDL."""

import json
from pathlib import Path

import pytest
from pyld import jsonld

from cmc.core.actors import SYSTEM
from cmc.credentials import exports, selectors, services

CTDL_VOCAB = Path("/work/shared/data/ctdl/vocab")


@pytest.fixture
def aligned(credential, welding):
    services.align_credential(
        actor=SYSTEM, credential=credential, framework=welding,
        competency=welding.competencies.get(code="1.1"), strength="exact",
    )  # fmt: skip
    services.align_credential(
        actor=SYSTEM, credential=credential, framework=welding,
        tier=welding.tiers.get(number=2), strength="related",
    )  # fmt: skip
    return selectors.credential_alignments(credential=credential, reader=SYSTEM)


def test_open_badges_alignment_objects(credential, welding, aligned):
    document = json.loads(exports.export(credential, aligned, "ob3"))
    assert document["type"] == ["Achievement"]
    assert document["criteria"] == {"narrative": "As awarded by American Welding Society (AWS)."}
    assert document["alignment"] == [
        {
            "type": ["Alignment"],
            "targetName": "Teamwork",
            "targetUrl": "http://127.0.0.1:8000/frameworks/welding/competencies/1.1/",
            "targetDescription": "Working with others.",
            "targetFramework": "Welding Model",
            "targetCode": "1.1",
            "targetType": "ceasn:Competency",
        },
        {
            "type": ["Alignment"],
            "targetName": "Tier 2: Academic",
            "targetUrl": "http://127.0.0.1:8000/frameworks/welding/tiers/2/",
            "targetFramework": "Welding Model",
            "targetCode": "Tier 2",
            "targetType": "ceasn:Competency",
        },
    ]


def test_ctdl_requires_the_aligned_competencies(credential, welding, aligned):
    document = json.loads(exports.export(credential, aligned, "ctdl"))
    teamwork = welding.competencies.get(code="1.1")
    assert document["@type"] == "ceterms:Certification"
    condition = document["ceterms:requires"][0]
    assert condition["@type"] == "ceterms:ConditionProfile"
    assert condition["ceterms:targetCompetency"][0] == {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:targetNode": f"urn:uuid:{teamwork.identifier}",
        "ceterms:targetNodeName": {"en": "Teamwork"},
        "ceterms:targetNodeDescription": {"en": "Working with others."},
        "ceterms:framework": f"urn:uuid:{welding.identifier}",
        "ceterms:frameworkName": {"en": "Welding Model"},
        "ceterms:alignmentType": "ceasn:exactAlignment",
        "ceterms:codedNotation": "1.1",
    }
    assert condition["ceterms:targetCompetency"][1]["ceterms:alignmentType"] == "ceasn:alignTo"


def test_every_ctdl_term_is_in_the_published_context(credential, aligned):
    """Expanded against Credential Engine's own context, no property is dropped: every key
    written is a CTDL term."""
    context = json.loads((CTDL_VOCAB / "ctdl-context.json").read_text())

    def loader(url, options=None):
        return {"contextUrl": None, "documentUrl": url, "document": context}

    document = json.loads(exports.export(credential, aligned, "ctdl"))
    expanded = jsonld.expand(document, {"documentLoader": loader})[0]
    condition = expanded["https://purl.org/ctdl/terms/requires"][0]
    alignment = condition["https://purl.org/ctdl/terms/targetCompetency"][0]
    written = {key for key in document["ceterms:requires"][0]["ceterms:targetCompetency"][0]}
    assert len([k for k in alignment if k != "@type"]) == len(written - {"@type"})
    assert alignment["https://purl.org/ctdl/terms/alignmentType"] == [
        {"@id": "https://purl.org/ctdlasn/terms/exactAlignment"}
    ]
