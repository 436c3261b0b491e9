"""The shipped credentials, endorsements and pathways (reference/credentials/credentials.yaml), loaded
after the reference frameworks they point at; running the load twice changes nothing."""

import re
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from cmc.accounts.models import Organization
from cmc.core.actors import SYSTEM
from cmc.core.reference import Loaded
from cmc.frameworks.models import Alignment, Framework

from . import services
from .models import Credential, Decision, Pathway, Review, Step, Visibility
from .search import index_credential, index_pathway
from .selectors import SCHEME

METHOD = "reference content"
# The transcription's line numbers are for whoever checks it; people read the section's name.
_LINES = re.compile(r"\s*\((?:lines?) [0-9][0-9\s,;–-]*\)")
CREDENTIAL_FIELDS = (
    "name", "kind", "issuer", "accreditation_body", "accreditation_standard",
    "national_portability", "third_party_validation", "assessment_type", "renewal", "url",
    "description",
)  # fmt: skip


def reference_file() -> Path:
    directory = Path(getattr(settings, "CMC_REFERENCE_DIR", settings.BASE_DIR / "reference"))
    return directory / "credentials" / "credentials.yaml"


def _section(text: str) -> str:
    return _LINES.sub("", text or "").strip()


def area_credential(entry: dict) -> dict:
    """An occupation-related entry of the figure: an area and a certifying body."""
    return {
        **entry,
        "description": (
            f"{entry['area']}: named in the figure with its certifying body, "
            f"{entry['issuer']}; the figure does not name the certification itself."
        ),
        "section": "The Manufacturing Institute’s Manufacturing Skills Certification System – "
        "figure “Manufacturing Certification Pathways”",
        # The figure's own line; the three transport bodies share one heading (given whole).
        "quote": entry.get("quote") or f"{entry['area']}: {entry['issuer']}",
    }


def _set(instance, fields: dict, lines: list[str], label: str) -> bool:
    """Write the fields that differ; whether anything was written."""
    changed = [
        name
        for name, value in fields.items()
        if instance.pk is None or getattr(instance, name) != value
    ]
    if instance.pk is None or changed:
        for name in changed:
            setattr(instance, name, fields[name])
        lines.append(f"{label}: {'added' if instance.pk is None else 'updated'}")
        instance.save()
        return True
    return False


def _credentials(data: dict, lines: list[str]) -> dict[str, Credential]:
    found = {}
    for entry in data["credentials"]:
        if "area" in entry:
            entry = area_credential(entry)
        credential = Credential.objects.filter(slug=entry["slug"]).first() or Credential(
            slug=entry["slug"]
        )
        fields = {name: entry.get(name, "") for name in CREDENTIAL_FIELDS}
        for name in ("national_portability", "third_party_validation"):
            fields[name] = entry.get(name)
        fields.update(
            visibility=Visibility.PUBLIC, is_reference=True, source_seed=data["seed"],
            source_section=_section(entry["section"]), source_quote=entry["quote"].strip(),
        )  # fmt: skip
        if _set(credential, fields, lines, f"credential {entry['slug']}"):
            index_credential(credential)
        found[entry["slug"]] = credential
        _align(credential, entry.get("alignments", []), lines)
    return found


def _align(credential: Credential, wanted: list[dict], lines: list[str]) -> None:
    for spec in wanted:
        framework = Framework.objects.filter(slug=spec["framework"]).first()
        if framework is None:  # a dry run before the frameworks are loaded
            lines.append(f"credential {credential.slug}: {spec['framework']} is not loaded yet")
            continue
        tier = competency = None
        if "competency" in spec:
            competency = framework.competencies.get(code=spec["competency"])
        else:
            tier = framework.tiers.get(number=spec["tier"])
        existing = Alignment.objects.filter(
            scheme=SCHEME, code=str(credential.identifier), framework=framework,
            tier=competency.tier if competency else tier, competency=competency,
            strength=spec["strength"], text=credential.name,
        )  # fmt: skip
        if existing.exists():
            continue
        services.align_credential(
            actor=SYSTEM, credential=credential, framework=framework, tier=tier,
            competency=competency, strength=spec["strength"], method=METHOD,
        )  # fmt: skip
        target = f"competency {competency.code}" if competency else f"tier {tier.number}"
        lines.append(f"alignment {credential.slug} → {framework.slug} {target}: added")


def _endorsements(data: dict, credentials: dict, lines: list[str]) -> None:
    spec = data["endorsements"]
    body = Organization.objects.get(slug=spec["body"])
    framework = Framework.objects.get(slug=spec["framework"])
    summary = " ".join(spec["summary"].split())
    for slug in spec["credentials"]:
        review = Review.objects.filter(
            body=body, credential=credentials[slug], framework=framework
        ).first()
        if review is None:
            review = services.open_review(
                actor=SYSTEM, body=body, credential=credentials[slug], framework=framework,
                method=METHOD,
            )  # fmt: skip
            lines.append(f"endorsement of {slug} by {body.slug}: added")
        source = {
            "source_seed": data["seed"], "source_section": _section(spec["section"]),
            "source_quote": " ".join(spec["quote"].split()),
        }  # fmt: skip
        if any(getattr(review, name) != value for name, value in source.items()):
            Review.objects.filter(pk=review.pk).update(**source)
        if review.decision != Decision.ENDORSED or review.summary != summary:
            services.decide(
                actor=SYSTEM, review=review, decision=Decision.ENDORSED, summary=summary,
                method=METHOD,
            )  # fmt: skip


def _bodies(data: dict, lines: list[str]) -> None:
    for entry in data["bodies"]:
        body, created = Organization.objects.get_or_create(
            slug=entry["slug"], defaults={"name": entry["name"]}
        )
        if created:
            lines.append(f"endorsing body {entry['slug']}: added")
        services.ensure_default_criteria(actor=SYSTEM, body=body)


def _pathways(data: dict, credentials: dict, lines: list[str]) -> None:
    for entry in data["pathways"]:
        pathway = Pathway.objects.filter(slug=entry["slug"]).first() or Pathway(slug=entry["slug"])
        fields = {
            "name": entry["name"], "description": " ".join(entry["description"].split()),
            "framework": Framework.objects.get(slug=entry["framework"]),
            "visibility": Visibility.PUBLIC, "is_reference": True, "source_seed": data["seed"],
            "source_section": _section(entry["section"]),
            "source_quote": " ".join(entry["quote"].split()),
        }  # fmt: skip
        if _set(pathway, fields, lines, f"pathway {entry['slug']}"):
            index_pathway(pathway)
        wanted = [
            {
                "position": position,
                "stage": step.get("stage", ""),
                "credential": credentials.get(step.get("credential", "")),
                "tier_from": step.get("tier_from"),
                "tier_to": step.get("tier_to", step.get("tier_from")),
                "education": step.get("education", ""),
                "career": step.get("career", ""),
                "note": step.get("note", ""),
            }  # fmt: skip
            for position, step in enumerate(entry["steps"], start=1)
        ]
        have = [
            {name: getattr(s, name) for name in wanted[0]}
            for s in pathway.steps.select_related("credential").order_by("position")
        ]
        if have != wanted:
            pathway.steps.all().delete()
            Step.objects.bulk_create([Step(pathway=pathway, **step) for step in wanted])
            lines.append(f"pathway {entry['slug']}: {len(wanted)} steps set")


def load(*, dry_run: bool = False) -> Loaded:
    """Create or update the shipped credentials, their alignments, The Manufacturing
    Institute's endorsements and criteria, and the pathways; `dry_run` writes nothing."""
    data = yaml.safe_load(reference_file().read_text(encoding="utf-8"))
    needed = {data["endorsements"]["framework"], *(p["framework"] for p in data["pathways"])}
    needed |= {a["framework"] for c in data["credentials"] for a in c.get("alignments", [])}
    missing = needed - set(Framework.objects.filter(slug__in=needed).values_list("slug", flat=True))
    if missing and dry_run:  # a dry run before the frameworks are loaded
        names = ", ".join(sorted(missing))
        return Loaded(summary=f"reference credentials: would load once {names} are loaded")
    lines: list[str] = []
    with transaction.atomic():
        _bodies(data, lines)
        credentials = _credentials(data, lines)
        _endorsements(data, credentials, lines)
        _pathways(data, credentials, lines)
        if dry_run:
            transaction.set_rollback(True)
    verb = "would change" if dry_run else "changed"
    return Loaded(
        summary=(
            f"{len(data['credentials'])} reference credentials, "
            f"{len(data['endorsements']['credentials'])} endorsements and "
            f"{len(data['pathways'])} pathways: {len(lines)} {verb}"
        ),
        lines=lines,
    )
