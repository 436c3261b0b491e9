"""A small lattice built with the services, the people who may or may not see and change it,
and the real OEWS rows of its occupations written to a file in BLS's layout."""

from pathlib import Path

import pytest

from cmc.accounts.models import Membership
from cmc.core.actors import SYSTEM
from cmc.factories import MembershipFactory, OrganizationFactory, UserFactory
from cmc.ladders import services
from cmc.occupations.models import Dataset
from cmc.occupations.services import import_oews
from cmc.occupations.tests.factories import OccupationFactory

DATA = Path("/work/shared/data")
OEWS = DATA / "oews" / "national_M2025.csv"
ONET = DATA / "onet" / "Occupation Data.txt"
SOCS = ("51-4041", "51-9061", "51-9162", "51-9199", "49-9041", "17-3026", "17-2112")
OCCUPATIONS = {
    "51-4041.00": "Machinists",
    "51-9061.00": "Inspectors, Testers, Sorters, Samplers, and Weighers",
    "51-9162.00": "Computer Numerically Controlled Tool Programmers",
}


@pytest.fixture(scope="session")
def oews_file(tmp_path_factory) -> Path:
    """The real OEWS rows of the lattices' occupations, in BLS's file layout and name."""
    lines = OEWS.read_text(encoding="utf-8").splitlines()
    kept = [lines[0]] + [line for line in lines[1:] if line.split(",", 1)[0] in SOCS]
    path = tmp_path_factory.mktemp("oews") / "national_M2025.csv"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def wages(db, oews_file):
    import_oews(path=oews_file)


@pytest.fixture
def onet(db):
    """The small lattice's occupations, as if O*NET were imported (codes are then checked)."""
    Dataset.objects.create(name="onet", release="O*NET 30.0")
    return [OccupationFactory(code=code, soc_code=code[:7], title=t) for code, t in OCCUPATIONS.items()]  # fmt: skip


@pytest.fixture
def people(db):
    organization = OrganizationFactory(slug="works")
    found = {"owner": UserFactory(username="owner"), "outsider": UserFactory(username="outsider")}
    for role in ("editor", "viewer"):
        found[role] = UserFactory(username=role)
        MembershipFactory(organization=organization, user=found[role], role=role)
    MembershipFactory(organization=organization, user=found["owner"], role=Membership.Role.OWNER)
    found["anonymous"] = None
    found["organization"] = organization
    return found


def move(lattice, source, target, kind, *experiences):
    data = {"from": source, "to": target, "kind": kind, "experiences": [
        {"kind": k, "text": text, "months": months} for k, text, months in experiences
    ]}  # fmt: skip
    return services.add_transition(lattice=lattice, actor=SYSTEM, data=data)


def build_small(owner, organization=None):
    """Helper (a local job) → machinist → CNC programmer, with an inspector beside them."""
    sharing = {"visibility": "organization", "organization": organization.slug} if organization else {}  # fmt: skip
    lattice = services.create_lattice(actor=owner, data={"name": "Shop floor", **sharing})
    for data in (
        {"title": "Shop helper", "level": 1, "track": "Production", "key": "helper"},
        {
            "occupation": "51-4041.00",
            "level": 2,
            "track": "Production",
            "key": "machinist",
            "education": "High school diploma",
            "credentials": ["NIMS Machining Level I"],
        },  # fmt: skip
        {"occupation": "51-9061.00", "level": 2, "track": "Quality", "key": "inspector"},
        {"occupation": "51-9162.00", "level": 3, "track": "Production", "key": "programmer"},
    ):
        services.add_position(lattice=lattice, actor=SYSTEM, data=data)
    move(lattice, "helper", "machinist", "promotion", ("training", "Machining course", 6), ("work_experience", "Machine operation", 12))  # fmt: skip
    move(lattice, "helper", "inspector", "promotion", ("training", "Measurement", 3))
    move(lattice, "machinist", "inspector", "lateral", ("training", "Inspection methods", 2))
    move(lattice, "inspector", "machinist", "lateral", ("training", "Machine operation", 4))
    move(lattice, "machinist", "programmer", "promotion", ("education", "CNC programming", 6), ("credential", "NIMS CNC Milling", 1))  # fmt: skip
    move(lattice, "inspector", "programmer", "promotion", ("work_experience", "Setup and inspection", 24))  # fmt: skip
    return lattice


@pytest.fixture
def small(people, onet, wages):
    """The small lattice, owned by `owner` and shared with the organization `works`."""
    return build_small(people["owner"], people["organization"])
