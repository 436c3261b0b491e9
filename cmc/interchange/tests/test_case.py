"""CASE 1.1 packages: every export valid against the official schema, stable identifiers, real
CASE 1.0 packages imported and given back, bad packages refused whole, round trips."""

import copy
import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings

from cmc.core.actors import SYSTEM
from cmc.core.errors import InvalidInput, Problem
from cmc.core.files import Guard
from cmc.factories import UserFactory, loaded, welding_tree
from cmc.frameworks.models import Alignment, Framework
from cmc.frameworks.selectors import tree_of, visible_framework
from cmc.frameworks.services import align, derive_framework, publish_version, save_framework_tree
from cmc.interchange import exports, services
from cmc.interchange.formats import case, case_read

from .conftest import big_tree, shared
from .test_formats import rolled_back, trees

pytestmark = pytest.mark.django_db


def export_case(slug: str, version=None) -> dict:
    framework = visible_framework(user=SYSTEM, slug=slug, whole=True)
    return exports.package(framework, "case", reader=SYSTEM, version=version)


def import_case(data, name="package.json", **options):
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    found = services.read(fmt="case", data=raw, name=name)
    return services.import_read(found=found, actor=options.pop("actor", SYSTEM), **options)


def problems_of(data, name="package.json") -> list[Problem]:
    before = Framework.objects.count()
    with pytest.raises(InvalidInput) as caught:
        import_case(data, name)
    assert Framework.objects.count() == before  # nothing written
    return caught.value.problems


def timeless(package: dict) -> dict:
    """The package without the times its objects were last changed."""
    package = copy.deepcopy(package)
    objects = [package["CFDocument"], *package["CFItems"], *package["CFAssociations"]]
    for found in [*objects, *package["CFDefinitions"].get("CFItemTypes", [])]:
        found.pop("lastChangeDateTime", None)
    return package


def errors(validator, package) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(package)]


def test_a_framework_is_a_valid_package_with_its_items_and_hierarchy(case_1_1):
    report = save_framework_tree(tree=welding_tree(source_url="https://example.org/w"), where="t")
    framework = report.framework
    package = export_case("welding")

    assert errors(case_1_1, package) == []
    document = package["CFDocument"]
    assert (document["identifier"], document["title"], document["frameworkType"]) == (
        str(framework.identifier), "Welding Model", "Industry",
    )  # fmt: skip
    assert (
        document["uri"] == f"http://127.0.0.1:8000/ims/case/v1p1/CFDocuments/{framework.identifier}"
    )
    assert (document["creator"], document["officialSourceURL"], document["caseVersion"]) == (
        "Competency Model Clearinghouse", "https://example.org/w", "1.1",
    )  # fmt: skip
    assert document["extensions"] == {"cmc": {"slug": "welding", "industry": "Manufacturing"}}
    items = {item["identifier"]: item for item in package["CFItems"]}
    teamwork = framework.competencies.get(code="1.1")
    assert {k: v for k, v in items[str(teamwork.identifier)].items() if k not in ("uri", "CFItemTypeURI", "lastChangeDateTime")} == {
        "identifier": str(teamwork.identifier),
        "fullStatement": "Teamwork",
        "humanCodingScheme": "1.1",
        "notes": "Working with others.",
        "CFItemType": "Competency",
    }  # fmt: skip
    asking = teamwork.behaviors.get(position=2)
    assert items[str(asking.identifier)]["abbreviatedStatement"] == "Asking"
    tiers = [item for item in package["CFItems"] if item["CFItemType"] == "Tier"]
    assert [(t["fullStatement"], t["listEnumeration"]) for t in tiers] == [
        ("Personal Effectiveness", "1"), ("Academic", "2"),
    ]  # fmt: skip
    children = [a for a in package["CFAssociations"] if a["associationType"] == "isChildOf"]
    assert len(children) == len(package["CFItems"]) == 2 + 3 + 4
    of_teamwork = [
        a for a in children if a["destinationNodeURI"]["identifier"] == str(teamwork.identifier)
    ]
    assert [(a["originNodeURI"]["title"], a["sequenceNumber"]) for a in of_teamwork] == [
        ("Sharing tools with the crew", 1), ("Asking", 2),
    ]  # fmt: skip
    assert [t["title"] for t in package["CFDefinitions"]["CFItemTypes"]] == [
        "Tier", "Competency", "Key behavior",
    ]  # fmt: skip


def test_texts_come_back_as_they_were_with_their_spaces():
    save_framework_tree(tree=welding_tree(name="0C=ê\t", description=" a\r\n"), where="t")
    package = export_case("welding")
    Framework.objects.all().delete()
    import_case(package)
    tree = tree_of(loaded("welding"))
    assert (tree.name, tree.description, tree.extensions) == ("0C=ê\t", " a\r\n", {})


def test_identifiers_survive_export_publication_and_reimport():
    save_framework_tree(tree=welding_tree(), where="t")
    framework = Framework.objects.get(slug="welding")
    first = export_case("welding")
    version = publish_version(framework=framework, actor=SYSTEM, note="")
    published = export_case("welding", version=version)

    assert timeless(published)["CFItems"] == timeless(first)["CFItems"]
    assert timeless(published)["CFAssociations"] == timeless(first)["CFAssociations"]
    assert timeless(export_case("welding")) == timeless(first)  # made again: the same
    Framework.objects.all().delete()
    import_case(first)
    assert timeless(export_case("welding")) == timeless(first)


def test_lineage_and_alignments_become_associations(case_1_1):
    save_framework_tree(tree=welding_tree(), where="t")
    source = Framework.objects.get(slug="welding")
    source.visibility = "public"
    source.save()
    derived = derive_framework(sources=[source], actor=SYSTEM, name="Derived")
    teamwork = derived.competencies.get(code="1.1")
    align(actor=SYSTEM, framework=derived, scheme="onet", code="2.A.1.a", text="Reading",
          url="https://www.onetonline.org/find/descriptor/result/2.A.1.a", strength="exact",
          competency=teamwork)  # fmt: skip
    align(actor=SYSTEM, framework=derived, scheme="esco", code="S1.2", strength="major",
          competency=teamwork)  # fmt: skip
    package = export_case(derived.slug)

    assert errors(case_1_1, package) == []
    mine = [a for a in package["CFAssociations"]
            if a["originNodeURI"]["identifier"] == str(teamwork.identifier)
            and a["associationType"] != "isChildOf"]  # fmt: skip
    # Sorted on both sides: the source's identifier is random, and may sort before "2.A.1.a".
    assert sorted(
        (a["associationType"], a["destinationNodeURI"]["identifier"]) for a in mine
    ) == sorted(
        [
            ("exactMatchOf", "2.A.1.a"),
            ("exactMatchOf", str(source.competencies.get(code="1.1").identifier)),
            ("isRelatedTo", "S1.2"),
        ]
    )
    esco = next(a for a in mine if a["destinationNodeURI"]["identifier"] == "S1.2")
    assert esco["destinationNodeURI"] == {
        "title": "S1.2", "identifier": "S1.2", "uri": "urn:cmc:esco:S1.2", "targetType": "ext:esco",
    }  # fmt: skip
    assert esco["extensions"] == {"cmc": {"strength": "major"}}


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tree=trees())
def test_export_import_export_gives_the_same_package(case_1_1, tree):
    with rolled_back():
        save_framework_tree(tree=tree, where="generated")
        before = tree_of(loaded("round-trip"))
        package = export_case("round-trip")
        assert errors(case_1_1, package) == []

        Framework.objects.all().delete()
        report = import_case(package).report
        assert report.created is True
        assert timeless(export_case("round-trip")) == timeless(package)
        assert tree_of(loaded("round-trip")) == before


def test_the_building_blocks_round_trip(reference, case_1_1):
    package = export_case("building-blocks")
    assert errors(case_1_1, package) == []
    assert len(package["CFItems"]) == 9 + 41 + 67
    Framework.objects.filter(slug="building-blocks").delete()
    import_case(package)
    assert timeless(export_case("building-blocks")) == timeless(package)


def example(name: str) -> bytes:
    return shared("case", "examples", f"{name}.json").read_bytes()


def test_the_smartlevel_example_imports_by_depth_and_comes_back(case_1_1):
    found = services.read(fmt="case", data=example("SmartLevelFramework"), name="Smart.json")
    assert [(lv.key, lv.count, lv.example, lv.role) for lv in found.levels()] == [
        ("1:", 2, "Item 1", "tier"), ("2:", 12, "Item 1.1", "competency"),
    ]  # fmt: skip
    services.import_read(found=found, actor=SYSTEM)
    tree = tree_of(loaded("smartlevel-test"))
    assert [(t.number, t.name, [(c.code, c.name) for c in t.competencies]) for t in tree.tiers] == [
        (1, "Item 1", [(f"1.{n}", f"Item 1.{n}") for n in range(1, 11)]),
        (2, "Item 2", [("2.1", "Item 2.1"), ("2.2", "Item 2.2")]),
    ]
    assert tree.source_citation == "OpenSALT Testing"
    # An identifier CASE 1.1 would refuse is replaced by one made from it, on every import.
    assert tree.tiers[0].identifier == uuid.uuid5(
        case.NAMESPACE, "identifier 00000000-0000-0000-0000-000000000001"
    )
    assert_comes_back(
        json.loads(example("SmartLevelFramework")), export_case("smartlevel-test"), case_1_1
    )


def assert_comes_back(original: dict, package: dict, validator) -> None:
    """What CASE 1.0 -> 1.1 keeps: every object's uri and fields, and every association's type
    and ends (by uri); identifiers 1.1 refuses and the times of change are new."""
    assert errors(validator, package) == []

    def by_uri(objects):
        return {o["uri"]: {k: v for k, v in o.items() if k not in ("identifier", "lastChangeDateTime")}
                for o in objects}  # fmt: skip

    def ends(links):
        return sorted((a["originNodeURI"]["uri"], a["associationType"], a["destinationNodeURI"]["uri"],
                       a["originNodeURI"]["title"], a["destinationNodeURI"]["title"], a["uri"]) for a in links)  # fmt: skip

    assert by_uri(package["CFItems"]) == by_uri(original["CFItems"])
    assert ends(package["CFAssociations"]) == ends(original["CFAssociations"])
    document = {k: v for k, v in package["CFDocument"].items() if k != "extensions"}
    assert by_uri([document]) == by_uri([original["CFDocument"]])


def test_the_markdown_example_puts_its_top_items_in_one_tier_and_comes_back(case_1_1):
    import_case(example("MarkdownFramework"), "Markdown.json")
    tree = tree_of(loaded("test-markdown-framework"))
    assert [(t.name, [(c.code, c.name[:30]) for c in t.competencies]) for t in tree.tiers] == [
        ("Test Markdown Framework", [("MD.Table", "This contains a _table_ in mar"),
                                     ("MD.Math", "This contains math markdown: $")]),
    ]  # fmt: skip
    assert tree.tiers[0].extensions == {"made": True}
    assert_comes_back(
        json.loads(example("MarkdownFramework")), export_case("test-markdown-framework"), case_1_1
    )


def test_a_chosen_mapping_makes_the_second_level_key_behaviors(case_1_1):
    found = services.read(fmt="case", data=example("SmartLevelFramework"), name="Smart.json")
    roles = services.roles_for(found, depths={1: "competency", 2: "behavior"})
    services.import_read(found=found, actor=SYSTEM, roles=roles)
    tree = tree_of(loaded("smartlevel-test"))
    [tier] = tree.tiers
    assert [(c.code, c.name, len(c.behaviors)) for c in tier.competencies] == [
        ("1.1", "Item 1", 10), ("1.2", "Item 2", 2),
    ]  # fmt: skip
    assert tier.competencies[1].behaviors[1].text == "Item 2.2"
    assert_comes_back(
        json.loads(example("SmartLevelFramework")), export_case("smartlevel-test"), case_1_1
    )


def rich_package(version: str = "1.1") -> dict:
    """A CASE package (1.1 unless `version` says otherwise) with fields the model has no place
    for, definitions, a polyhierarchy and links to items outside it."""
    doc, a, b, c = (str(uuid.uuid4()) for _ in range(4))
    outside = str(uuid.uuid4())

    def link(identifier, title):
        return {
            "title": title,
            "identifier": identifier,
            "uri": f"https://case.example.org/CFItems/{identifier}",
        }

    def association(origin, kind, target, **more):
        identifier = str(uuid.uuid4())
        return {"identifier": identifier, "uri": f"https://case.example.org/CFAssociations/{identifier}",
                "associationType": kind, "originNodeURI": origin, "destinationNodeURI": target,
                "lastChangeDateTime": "2024-01-02T03:04:05+00:00", **more}  # fmt: skip

    stamp = "2024-01-02T03:04:05+00:00"
    license_id = str(uuid.uuid4())
    return {
        "CFDocument": {
            "identifier": doc, "uri": f"https://case.example.org/CFDocuments/{doc}",
            "creator": "State Board", "title": "Science Standards", "lastChangeDateTime": stamp,
            "caseVersion": version, "publisher": "State Board of Education",
            "licenseURI": {"title": "CC BY", "identifier": license_id, "uri": "https://creativecommons.org/licenses/by/4.0/"},
            "subject": ["Science"], "adoptionStatus": "Adopted", "language": "en",
        },
        "CFItems": [
            {"identifier": a, "uri": f"https://case.example.org/CFItems/{a}", "fullStatement": "Physical Science",
             "humanCodingScheme": "PS", "CFItemType": "Domain", "lastChangeDateTime": stamp, "educationLevel": ["09", "10"]},
            {"identifier": b, "uri": f"https://case.example.org/CFItems/{b}", "fullStatement": "Matter and its interactions",
             "humanCodingScheme": "PS1", "CFItemType": "Standard", "lastChangeDateTime": stamp,
             "conceptKeywords": ["matter"], "alternativeLabel": "Matter"},
            {"identifier": c, "uri": f"https://case.example.org/CFItems/{c}", "fullStatement": "Plan an investigation.",
             "abbreviatedStatement": "Investigate", "CFItemType": "Performance Indicator", "lastChangeDateTime": stamp},
        ],
        "CFAssociations": [
            association(link(a, "PS"), "isChildOf", link(doc, "Science Standards"), sequenceNumber=1),
            association(link(b, "PS1"), "isChildOf", link(a, "PS"), sequenceNumber=1),
            association(link(c, "Investigate"), "isChildOf", link(b, "PS1"), sequenceNumber=1),
            association(link(b, "PS1"), "isPeerOf", link(outside, "Chemistry 1"), notes="Close"),
            association(link(c, "Investigate"), "exactMatchOf", link(outside, "Chemistry 1")),
            association(link(outside, "Chemistry 1"), "precedes", link(b, "PS1")),
        ],
        "CFDefinitions": {
            "CFLicenses": [{"identifier": license_id, "uri": f"https://case.example.org/CFLicenses/{license_id}",
                            "title": "CC BY", "licenseText": "Creative Commons Attribution 4.0", "lastChangeDateTime": stamp}],
        },
    }  # fmt: skip


def test_unknown_fields_and_outside_links_are_kept_and_given_back(case_1_1):
    package = rich_package()
    assert errors(case_1_1, package) == []
    imported = import_case(package)
    # One alignment per item and statement: PS1's second association with Chemistry 1 (it
    # precedes PS1) is kept as it came, and given back.
    assert imported.links == 2
    framework = imported.report.framework
    rows = Alignment.objects.filter(framework=framework).order_by("method")
    outside = package["CFAssociations"][3]["destinationNodeURI"]
    assert [(r.scheme, r.code, r.text, r.url, r.strength, r.method, r.made_by_id,
             r.competency.code, r.behavior.text if r.behavior else None) for r in rows] == [
        ("case", outside["identifier"], "Chemistry 1", outside["uri"], "exact", "CASE exactMatchOf",
         None, "PS1", "Plan an investigation."),
        ("case", outside["identifier"], "Chemistry 1", outside["uri"], "related", "CASE isPeerOf",
         None, "PS1", None),
    ]  # fmt: skip
    tree = tree_of(loaded("science-standards"))
    assert [(t.name, [(c.code, c.name, [b.title for b in c.behaviors]) for c in t.competencies]) for t in tree.tiers] == [
        ("Physical Science", [("PS1", "Matter and its interactions", ["Investigate"])]),
    ]  # fmt: skip

    again = export_case("science-standards")
    assert errors(case_1_1, again) == []

    def without_times(p):
        p = timeless(p)
        p["CFDocument"].pop("extensions", None)
        return p

    mine, theirs = without_times(again), without_times(package)
    assert mine["CFDocument"] == theirs["CFDocument"]

    def keyed(objects):
        return {o["identifier"]: o for o in objects}

    assert keyed(mine["CFItems"]) == keyed(theirs["CFItems"])
    assert keyed(mine["CFAssociations"]) == keyed(theirs["CFAssociations"])
    assert mine["CFDefinitions"]["CFLicenses"] == package["CFDefinitions"]["CFLicenses"]


def test_links_show_on_the_competency_page(client):
    imported = import_case(rich_package(), public=True)
    response = client.get(f"/frameworks/{imported.report.framework.slug}/competencies/PS1/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<td>CASE isPeerOf</td>" in text and "<td>CASE exactMatchOf</td>" in text
    assert text.count("Chemistry 1</a>") == 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda p: p["CFItems"][0].pop("fullStatement"),
         [Problem("bad.json", "CFItems[0]", "needs 'fullStatement' (CASE requires it)")]),
        (lambda p: p["CFItems"][1].update(humanCodingScheme=7),
         [Problem("bad.json", "CFItems[1].humanCodingScheme", "must be a string")]),
        (lambda p: p["CFAssociations"][1]["destinationNodeURI"].update(identifier="nowhere"),
         [Problem("bad.json, CFAssociations[1]", "destinationNodeURI",
                  "names 'nowhere', which is neither the document nor an item of this package")]),
        (lambda p: p["CFItems"][2].update(identifier=p["CFItems"][1]["identifier"]),
         None),
        (lambda p: p["CFAssociations"][0].update(destinationNodeURI=p["CFAssociations"][2]["originNodeURI"]),
         None),
    ],
    ids=["missing field", "wrong type", "dangling", "duplicate", "cycle"],
)  # fmt: skip
def test_bad_packages_are_refused_whole(change, expected):
    package = rich_package()
    change(package)
    found = problems_of(package, "bad.json")
    if expected is not None:
        assert found == expected


def test_a_duplicate_identifier_and_a_cycle_are_named():
    package = rich_package()
    gone = package["CFItems"][2]["identifier"]
    package["CFItems"][2]["identifier"] = package["CFItems"][1]["identifier"]
    assert problems_of(package, "bad.json") == [
        Problem("bad.json, CFItems[2]", "identifier",
                f"'{package['CFItems'][1]['identifier']}' is used twice (first by CFItems[1]); "
                "each item needs its own"),
        Problem("bad.json, CFAssociations[2]", "originNodeURI",
                f"names '{gone}', which is no item of this package; an isChildOf association "
                "joins two of its items"),
        Problem("bad.json, CFAssociations[4]", "originNodeURI",
                f"neither end ('{gone}', '{package['CFAssociations'][4]['destinationNodeURI']['identifier']}') "
                "is in this package; an association needs one of its items at one end"),
    ]  # fmt: skip
    package = rich_package()
    items = package["CFItems"]
    package["CFAssociations"][0]["destinationNodeURI"] = package["CFAssociations"][2][
        "originNodeURI"
    ]
    [problem] = problems_of(package, "bad.json")
    assert problem.where == "bad.json, CFItems[0]" and problem.field == "isChildOf"
    loop = " → ".join(items[i]["identifier"] for i in (0, 2, 1, 0))
    assert (
        problem.message
        == f"is its own ancestor: {loop}; remove one of these isChildOf associations"
    )


@pytest.mark.parametrize("first_upper", [False, True])
def test_two_identifiers_that_name_one_item_are_refused(first_upper):
    # A CASE 1.0 identifier in capitals names the item its lower-case form names.
    package = rich_package(version="1.0")
    items = package["CFItems"]
    twin = items[1]["identifier"]
    items[2]["identifier"] = twin.upper() if not first_upper else twin
    items[1]["identifier"] = twin.upper() if first_upper else twin
    first, second = items[1]["identifier"], items[2]["identifier"]
    found = problems_of(package, "twins.json")
    assert found[0] == Problem("twins.json, CFItems[2]", "identifier",
                               f"'{second}' names the same item as '{first}'; each item needs "
                               "its own")  # fmt: skip
    # Two capitalised forms of one identifier, differing in a space around them.
    package = rich_package(version="1.0")
    items = package["CFItems"]
    twin = items[1]["identifier"].upper()
    items[1]["identifier"], items[2]["identifier"] = twin, f" {twin} "
    assert problems_of(package, "twins.json")[0] == Problem(
        "twins.json, CFItems[2]", "identifier",
        f"' {twin} ' names the same item as '{twin}'; each item needs its own")  # fmt: skip


def test_an_association_identifier_used_twice_is_refused_where_it_comes_again():
    package = rich_package()
    links = package["CFAssociations"]
    again = links[1]["identifier"]
    links[3]["identifier"] = links[5]["identifier"] = again
    assert problems_of(package, "again.json") == [
        Problem(f"again.json, CFAssociations[{n}]", "identifier",
                f"'{again}' is used twice; each association needs its own") for n in (3, 5)
    ]  # fmt: skip


def test_a_text_longer_than_a_cell_is_refused_at_its_item_and_field(settings):
    settings.CMC_MAX_IMPORT_CELL_CHARS = 1000
    package = rich_package()
    package["CFItems"][1]["notes"] = "x" * 1001
    assert problems_of(package, "long.json") == [
        Problem("long.json, CFItems[1]", "notes",
                "is 1,001 characters long, more than the 1,000 a cell may hold; shorten it"),
    ]  # fmt: skip
    # Beside a value that has no length (a number), the items are looked at one by one.
    package["CFItems"][0]["ext:rank"] = 3
    assert [(p.where, p.field) for p in problems_of(package, "long.json")] == [
        ("long.json, CFItems[1]", "notes")
    ]
    # A list of many short keywords, or an object of many fields, holds no long text.
    package = rich_package()
    package["CFItems"][1]["conceptKeywords"] = ["matter"] * 1001
    package["CFItems"][1]["extensions"] = {f"k{n}": n for n in range(1001)}
    assert import_case(package, "many.json").report.competencies.created >= 1


def test_a_cycle_is_named_beside_the_other_problems_and_above_the_items_under_it():
    def with_loop_and_under_it() -> dict:
        package = rich_package()
        items, links = package["CFItems"], package["CFAssociations"]
        links[0]["destinationNodeURI"] = links[2]["originNodeURI"]  # a → c → b → a
        under = {**items[2], "identifier": str(uuid.uuid4())}  # an item under the loop
        under["uri"] = under["uri"].rsplit("/", 1)[0] + "/" + under["identifier"]
        items.append(under)
        links.append({**links[2], "identifier": str(uuid.uuid4()),
                      "originNodeURI": {**links[2]["originNodeURI"],
                                        "identifier": under["identifier"]}})  # fmt: skip
        return package

    [problem] = problems_of(with_loop_and_under_it(), "bad.json")
    assert (problem.where, problem.field) == ("bad.json, CFItems[0]", "isChildOf")
    assert "is its own ancestor" in problem.message
    # With another problem, the loop is named after it.
    package = with_loop_and_under_it()
    package["CFAssociations"][-1]["destinationNodeURI"] = {
        **package["CFAssociations"][-1]["destinationNodeURI"], "identifier": "nowhere"}  # fmt: skip
    found = problems_of(package, "bad.json")
    assert [(p.where, p.field) for p in found] == [
        ("bad.json, CFAssociations[6]", "destinationNodeURI"),
        ("bad.json, CFItems[0]", "isChildOf"),
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"{not json", Problem("bad.json", "line 1, column 2", "is not valid JSON (Expecting property name enclosed in double quotes)")),
        (b"[1, 2]", Problem("bad.json", "CFDocument", "is missing: this is not a CASE package")),
        (b"\xff\xfe", Problem("bad.json", "file", "is not UTF-8 text; save it as UTF-8")),
        (b"", Problem("bad.json", "file", "is empty")),
    ],
)  # fmt: skip
def test_files_that_are_no_package_are_refused(data, expected):
    assert problems_of(data, "bad.json") == [expected]


@pytest.mark.parametrize(
    "data",
    [
        b'\xef\xbb\xbf{"a": [1, -0.0, 0.1, 5e-324, 123456789012345678901234567890], "b": "caf\xc3\xa9"}',
        b' {"a": "\\u00e9\\n\\ud83d\\ude00", "a": 2} ',  # escapes; a repeated name: the last
        b'{"a": "\\ud800"}',  # a lone surrogate escape: json takes it, msgspec does not
        b'{"a": NaN, "b": -Infinity, "c": 1e400}',  # what json takes beyond JSON itself
        b"[" * 500 + b"]" * 500,
    ],
)
def test_a_file_is_read_as_json_reads_it(data):
    parsed, problems = case_read.parse_bytes(data, Guard("f.json", hint=""))
    expected = json.loads(data.decode("utf-8-sig"))
    assert problems == [] and repr(parsed) == repr(expected)  # repr: NaN is no equal of itself


def test_a_file_nested_too_deeply_is_refused_as_json_would_refuse_it():
    parsed, problems = case_read.parse_bytes(
        b"[" * 100_000 + b"]" * 100_000, Guard("f.json", hint="")
    )
    assert parsed is None
    assert problems == [Problem("f.json", "file", "is nested too deeply to be a CASE package")]


def test_a_level_chosen_so_that_items_cannot_be_placed_is_refused():
    found = services.read(fmt="case", data=json.dumps(rich_package()).encode(), name="p.json")
    roles = services.roles_for(found, chosen={"2:Standard": "tier"})
    with pytest.raises(InvalidInput) as caught:
        services.import_read(found=found, actor=SYSTEM, roles=roles)
    assert caught.value.problems == [
        Problem("p.json, CFItems[1]", "level", "is chosen as a tier but lies under tier items; "
                "only items at the top can be tiers"),
        Problem("p.json, CFItems[2]", "level", "is chosen as a key behavior but has no "
                "competency above it; choose competency or tier for a level above it"),
    ]  # fmt: skip
    assert Framework.objects.count() == 0


def test_a_package_of_thousands_of_items_imports_and_validates(case_1_1):
    tree = big_tree(400, 6)  # 5 tiers, 400 competencies, 2,400 key behaviors
    writer = case.Writer(
        tree, base="https://other.example.org", changed="2024-01-01T00:00:00+00:00"
    )
    package = writer.package()
    assert len(package["CFItems"]) == 2805
    assert errors(case_1_1, package) == []
    imported = import_case(package, "big.json")
    assert (imported.report.competencies.created, imported.report.behaviors.created) == (400, 2400)
    again = export_case("big")
    assert [i["uri"] for i in again["CFItems"]] == [i["uri"] for i in package["CFItems"]]


def test_imports_are_private_to_the_importer_unless_public():
    person = UserFactory(username="ima")
    framework = import_case(rich_package(), actor=person).report.framework
    assert (framework.owner, framework.visibility) == (person, "private")
    Framework.objects.all().delete()
    assert (
        import_case(rich_package(), actor=person, public=True).report.framework.visibility
        == "public"
    )


def test_a_package_past_the_upload_limits_is_refused(settings):
    settings.CMC_MAX_IMPORT_ROWS = 10
    assert problems_of(example("SmartLevelFramework"), "Smart.json") == [
        Problem("Smart.json", "file", "holds 14 items and 14 associations, more than the 10 items "
                "a framework may have; split the framework into smaller ones, or import a file "
                "you trust with --trusted"),
    ]  # fmt: skip
    settings.CMC_MAX_IMPORT_ROWS = 10_000
    settings.CMC_MAX_IMPORT_BYTES = 1000
    [problem] = problems_of(example("SmartLevelFramework"), "Smart.json")
    assert problem.message.startswith("is 13.5 KB, larger than the 1000 bytes limit")


@pytest.fixture
def no_schema(settings, tmp_path):
    """The official schemas not at hand (CMC_CASE_SCHEMA_DIR names an empty folder)."""
    from cmc.interchange.formats import case_schema

    settings.CMC_CASE_SCHEMA_DIR = tmp_path
    case_schema._validator.cache_clear()
    yield
    case_schema._validator.cache_clear()


def test_without_the_schema_a_package_imports_as_with_it(no_schema):
    imported = import_case(rich_package(), "p.json")
    assert imported.report.created and Framework.objects.count() == 1


def test_without_the_schema_the_fields_the_reader_takes_are_checked(no_schema):
    package = rich_package()
    package["CFItems"][0]["notes"] = 5
    package["CFItems"][1]["CFItemType"] = None
    package["CFItems"][2] = "an item"
    package["CFAssociations"][0]["originNodeURI"] = "somewhere"
    package["CFAssociations"][1]["destinationNodeURI"] = {"identifier": 7}
    package["CFAssociations"][2]["sequenceNumber"] = "1"
    assert [(p.where, p.field, p.message) for p in problems_of(package, "p.json")] == [
        ("p.json", "CFItems[0].notes", "needs text"),
        ("p.json", "CFItems[1].CFItemType", "needs text"),
        ("p.json", "CFItems[2]", "must be an object"),
        ("p.json", "CFAssociations[0].originNodeURI", "needs an object with an identifier in text"),
        ("p.json", "CFAssociations[1].destinationNodeURI", "needs an object with an identifier in text"),
        ("p.json", "CFAssociations[2].sequenceNumber", "needs a whole number"),
    ]  # fmt: skip
