"""A credential's alignments as Open Badges 3.0 `alignment` objects and as CTDL.

Open Badges 3.0: each alignment is an `Alignment` (type ["Alignment"], targetName, targetUrl,
targetDescription, targetFramework, targetCode, targetType), what an achievement's `alignment`
list holds. CTDL: the credential (ceterms:Certification, ceterms:License...) `ceterms:requires`
a ceterms:ConditionProfile whose `ceterms:targetCompetency` lists one
ceterms:CredentialAlignmentObject per alignment (targetNode, targetNodeName,
targetNodeDescription, framework, frameworkName, codedNotation), its `ceterms:alignmentType`
naming the CTDL-ASN alignment property that says how close the match is."""

import json

from django.conf import settings

from cmc.frameworks.models import Alignment

from .models import Credential, CredentialKind

FORMATS = {"ob3": "application/json", "ctdl": "application/ld+json"}
OB3_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"
CTDL_TYPES = {
    CredentialKind.CERTIFICATION: "ceterms:Certification",
    CredentialKind.LICENSE: "ceterms:License",
    CredentialKind.CERTIFICATE: "ceterms:Certificate",
    CredentialKind.DEGREE: "ceterms:Degree",
    CredentialKind.DIGITAL_BADGE: "ceterms:DigitalBadge",
    CredentialKind.APPRENTICESHIP_CERTIFICATE: "ceterms:ApprenticeshipCertificate",
}
# How close the match is, as the CTDL-ASN alignment properties name it.
STRENGTHS = {
    "exact": "ceasn:exactAlignment",
    "major": "ceasn:majorAlignment",
    "minor": "ceasn:minorAlignment",
    "related": "ceasn:alignTo",
}


def _target(link: Alignment) -> dict:
    """What the link points at: its identifier, name, description, code, page and OB3 type."""
    site, framework = settings.CMC_SITE_URL, link.framework
    base = f"{site}{framework.get_absolute_url()}"
    if link.behavior_id:
        item, competency = link.behavior, link.competency
        return {
            "id": item.identifier, "name": item.title or item.text, "description": item.text,
            "code": competency.code, "url": f"{base}competencies/{competency.code}/",
            "type": "ceasn:Competency",
        }  # fmt: skip
    if link.competency_id:
        item = link.competency
        return {
            "id": item.identifier, "name": item.name, "description": item.definition,
            "code": item.code, "url": f"{base}competencies/{item.code}/",
            "type": "ceasn:Competency",
        }  # fmt: skip
    if link.tier_id:
        item = link.tier
        return {
            "id": item.identifier, "name": f"Tier {item.number}: {item.name}",
            "description": item.note, "code": f"Tier {item.number}",
            "url": f"{base}tiers/{item.number}/", "type": "ceasn:Competency",
        }  # fmt: skip
    return {
        "id": framework.identifier, "name": framework.name, "description": framework.description,
        "code": "", "url": base, "type": "CTDL",
    }  # fmt: skip


def ob3_alignments(links: list[Alignment]) -> list[dict]:
    """Open Badges 3.0 Alignment objects, one per alignment (empty fields left out)."""
    found = []
    for link in links:
        target = _target(link)
        item = {
            "type": ["Alignment"],
            "targetName": target["name"],
            "targetUrl": target["url"],
            "targetDescription": target["description"],
            "targetFramework": link.framework.name,
            "targetCode": target["code"],
            "targetType": target["type"],
        }
        found.append({key: value for key, value in item.items() if value})
    return found


def ob3(credential: Credential, links: list[Alignment]) -> dict:
    """The credential as an OB3 Achievement holding its alignments."""
    return {
        "@context": OB3_CONTEXT,
        "id": f"urn:uuid:{credential.identifier}",
        "type": ["Achievement"],
        "name": credential.name,
        "description": credential.description or credential.name,
        "criteria": {"narrative": _narrative(credential)},
        "alignment": ob3_alignments(links),
    }


def _narrative(credential: Credential) -> str:
    """OB3 asks how the achievement is earned: the assessment where it is given."""
    if credential.assessment_type:
        return f"Assessment: {credential.assessment_type}."
    return (
        f"As awarded by {credential.issuer}." if credential.issuer else "As its issuer awards it."
    )


def _language(text: str) -> dict:
    return {"en": text}


def ctdl(credential: Credential, links: list[Alignment]) -> dict:
    """The credential in CTDL JSON-LD: its `ceterms:requires` condition lists the competencies
    it is aligned to as credential alignment objects."""
    objects = []
    for link in links:
        target = _target(link)
        item = {
            "@type": "ceterms:CredentialAlignmentObject",
            "ceterms:targetNode": f"urn:uuid:{target['id']}",
            "ceterms:targetNodeName": _language(target["name"]),
            "ceterms:framework": f"urn:uuid:{link.framework.identifier}",
            "ceterms:frameworkName": _language(link.framework.name),
            "ceterms:alignmentType": STRENGTHS.get(link.strength, "ceasn:alignTo"),
        }
        if target["description"]:
            item["ceterms:targetNodeDescription"] = _language(target["description"])
        if target["code"]:
            item["ceterms:codedNotation"] = target["code"]
        objects.append(item)
    document = {
        "@context": CTDL_CONTEXT,
        "@id": f"urn:uuid:{credential.identifier}",
        "@type": CTDL_TYPES.get(credential.kind, "ceterms:Credential"),
        "ceterms:name": _language(credential.name),
        "ceterms:requires": [
            {
                "@type": "ceterms:ConditionProfile",
                "ceterms:description": _language("The competencies this credential is aligned to."),
                "ceterms:targetCompetency": objects,
            }
        ],
    }
    if credential.description:
        document["ceterms:description"] = _language(credential.description)
    if credential.url:
        document["ceterms:subjectWebpage"] = credential.url
    return document


def export(credential: Credential, links: list[Alignment], fmt: str) -> bytes:
    """The alignments in `fmt` (ob3 or ctdl) as JSON bytes."""
    document = ob3(credential, links) if fmt == "ob3" else ctdl(credential, links)
    return json.dumps(document, indent=2, ensure_ascii=False, default=str).encode()


def filename(credential: Credential, fmt: str) -> str:
    return f"{credential.slug}-alignments-{fmt}.json"
