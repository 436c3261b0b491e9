"""The shipped example lattice: real O*NET occupations, wages read live from OEWS, loaded by
`cmc load-reference` after the frameworks, and loading it twice changes nothing."""

import yaml

from cmc.core import reference as registry
from cmc.core.actors import SYSTEM
from cmc.frameworks.reference import reference_dir
from cmc.ladders import reference as example
from cmc.ladders import selectors
from cmc.ladders.models import Lattice

from .conftest import ONET

FILE = reference_dir() / "ladders" / "advanced-manufacturing.yaml"


def test_every_occupation_of_the_example_is_in_onet_and_it_names_no_wage():
    titles = {}
    with ONET.open(encoding="utf-8") as handle:
        for line in handle:
            code, title = line.split("\t")[:2]
            titles[code] = title
    document = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    assert {p["occupation"]: p["title"] for p in document["positions"]} == {
        code: titles[code]
        for code in (
            "51-9199.00",
            "51-4041.00",
            "51-9061.00",
            "51-9162.00",
            "49-9041.00",
            "17-3026.00",
            "17-2112.00",
        )  # fmt: skip
    }
    # Wages are read live from OEWS: the file has no field for one and no amount of money.
    fields = set(document) | {name for p in document["positions"] for name in p}
    assert not any("wage" in name or "salary" in name for name in fields)
    assert "$" not in FILE.read_text(encoding="utf-8")


def test_the_loader_runs_after_frameworks_and_occupations():
    orders = {loader.name: loader.order for loader in registry.loaders()}
    assert orders["ladders"] == 30 and orders["ladders"] > orders["occupations"]


def test_loading_the_example_links_the_framework_and_twice_changes_nothing(reference, wages):
    loaded = registry.load_all()
    assert "ladders: 1 lattice(s) changed, 1 in all" in [done.summary for done in loaded]
    lattice = Lattice.objects.get(slug="advanced-manufacturing-lattice")
    assert (lattice.visibility, lattice.owner, lattice.is_reference) == ("public", None, True)
    view = selectors.lattice_view(lattice, reader=None)
    assert view.framework_slug == "advanced-manufacturing"
    assert (len(view.positions), len(view.transitions), view.tracks) == (7, 10, ["Production", "Quality", "Maintenance"])  # fmt: skip
    machinist = view.position("machinist")
    assert [c.name for c in machinist.competencies] == ["Mathematics", "Working with Tools & Technology", "Production"]  # fmt: skip
    assert machinist.annual_median == 58750
    found = selectors.routes(view, start="production-worker", goal="industrial-engineer")
    assert [(r.months, [s.position.key for s in r.steps][1:-1]) for r in found.routes] == [
        (95, ["inspector", "engineering-technician"]),
        (105, ["machinist", "inspector", "engineering-technician"]),
        (114, ["machinist", "maintenance-mechanic", "engineering-technician"]),
        (116, ["machinist", "maintenance-mechanic", "cnc-programmer", "engineering-technician"]),
        (117, ["machinist", "cnc-programmer", "engineering-technician"]),
    ]
    assert example.load().summary == "ladders: 0 lattice(s) changed, 1 in all"


def test_the_example_page_says_it_is_an_example(client, reference):
    registry.load_all()  # after the frameworks (the fixture), which its competencies come from
    page = client.get("/lattices/advanced-manufacturing-lattice/").content.decode()
    assert "<strong>An example.</strong> The structure of this lattice" in page
    assert "Occupations: O*NET 30.0 Database" in page
    assert selectors.lattice_view(Lattice.objects.get(), reader=SYSTEM).is_reference is True
