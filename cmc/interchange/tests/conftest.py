import json
import os
import uuid
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings

from cmc.frameworks.trees import BehaviorNode, CompetencyNode, FrameworkTree, TierNode

SHARED = Path(os.environ.get("CMC_SHARED_DATA", settings.BASE_DIR.parent / "shared" / "data"))


def shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"the published data is not at {path} (set CMC_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def case_1_1():
    """The official CASE 1.1 CFPackage schema, checking formats (uri, date-time) too."""
    schema = json.loads(shared("case", "schema", "case-v1p1-cfpackage-schema.json").read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture(autouse=True)
def _case_schemas(settings):
    settings.CMC_CASE_SCHEMA_DIR = SHARED / "case" / "schema"


def big_tree(competencies: int, behaviors: int, *, slug: str = "big") -> FrameworkTree:
    """A framework of 5 tiers with identifiers, `competencies` in all, each with `behaviors`."""
    tiers = [TierNode(number=n, name=f"Tier {n}", identifier=uuid.uuid4()) for n in range(1, 6)]
    for index in range(competencies):
        tier = tiers[index % 5]
        tier.competencies.append(
            CompetencyNode(
                code=f"{tier.number}.{len(tier.competencies) + 1}",
                name=f"Competency {index}",
                definition=f"What competency {index} means.",
                identifier=uuid.uuid4(),
                behaviors=[
                    BehaviorNode(text=f"Behavior {index}.{b}", identifier=uuid.uuid4())
                    for b in range(behaviors)
                ],
            )
        )
    return FrameworkTree(name="Big Model", slug=slug, identifier=uuid.uuid4(), tiers=tiers)
