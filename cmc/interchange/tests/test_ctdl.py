"""CTDL-ASN JSON-LD: exports that expand (with the published contexts) to the triples Credential
Engine reads, and the real O*NET sample imported with its hierarchy and codes."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from pyld import jsonld

from cmc.core.actors import SYSTEM
from cmc.factories import loaded, welding_tree
from cmc.frameworks.models import Framework
from cmc.frameworks.selectors import tree_of, visible_framework
from cmc.frameworks.services import align, derive_framework, save_framework_tree
from cmc.interchange import exports, services
from cmc.interchange.formats import ctdl

from .conftest import shared
from .test_formats import rolled_back, trees

pytestmark = pytest.mark.django_db
ASN = "https://purl.org/ctdlasn/terms/"
TERMS = "https://purl.org/ctdl/terms/"
ONET = ("ctdl", "ONET Basic Skills Competency Framework 9-27-19.json")


def loader(url, options=None):
    """The published contexts from the local copies: no network in tests."""
    files = {"ctdlasn": "ctdlasn-context.json", "ctdl/": "ctdl-context.json"}
    for part, name in files.items():
        if f"credreg.net/{part}" in url:
            document = json.loads(shared("ctdl", "vocab", name).read_text())
            return {"contextUrl": None, "documentUrl": url, "document": document}
    raise AssertionError(f"unexpected context {url}")


def expand(document: dict) -> dict[str, dict]:
    """The expanded nodes of the document's graph by @id."""
    [named] = jsonld.expand(document, {"documentLoader": loader})
    return {node["@id"]: node for node in named["@graph"]}


def export_ctdl(slug: str) -> dict:
    framework = visible_framework(user=SYSTEM, slug=slug, whole=True)
    return exports.package(framework, "ctdl", reader=SYSTEM)


def ids(node: dict, term: str) -> list[str]:
    return [value["@id"] for value in node.get(ASN + term, [])]


def test_an_export_expands_to_the_framework_and_its_competencies():
    save_framework_tree(tree=welding_tree(), where="t", visibility="public")
    source = Framework.objects.get(slug="welding")
    derived = derive_framework(sources=[source], actor=SYSTEM, name="Derived Welding")
    teamwork = derived.competencies.get(code="1.1")
    for strength, code in (("exact", "A"), ("major", "B"), ("minor", "C"), ("related", "D")):
        align(actor=SYSTEM, framework=derived, scheme="esco", code=code, strength=strength,
              competency=teamwork)  # fmt: skip
    document = export_ctdl(derived.slug)
    assert document["@context"] == "https://credreg.net/ctdlasn/schema/context/json"
    nodes = expand(document)
    base = "http://127.0.0.1:8000/ims/case/v1p1"
    framework_id = f"{base}/CFDocuments/{derived.identifier}"
    framework = nodes[framework_id]
    assert framework["@type"] == [ASN + "CompetencyFramework"]
    assert framework[ASN + "name"] == [{"@value": "Derived Welding", "@language": "en"}]
    assert framework[TERMS + "ctid"] == [{"@value": f"ce-{derived.identifier}",
                                         "@type": "http://www.w3.org/2001/XMLSchema#string"}]  # fmt: skip
    tiers = [t.identifier for t in derived.tiers.order_by("position")]
    assert ids(framework, "hasTopChild") == [f"{base}/CFItems/{t}" for t in tiers]

    node = nodes[f"{base}/CFItems/{teamwork.identifier}"]
    assert node["@type"] == [ASN + "Competency"]
    assert node[ASN + "competencyLabel"] == [{"@value": "Teamwork", "@language": "en"}]
    assert node[ASN + "competencyText"] == [{"@value": "Working with others.", "@language": "en"}]
    assert node[ASN + "codedNotation"][0]["@value"] == "1.1"
    assert ids(node, "isPartOf") == [framework_id]
    assert ids(node, "isChildOf") == [f"{base}/CFItems/{teamwork.tier.identifier}"]
    behaviors = [b.identifier for b in teamwork.behaviors.order_by("position")]
    assert ids(node, "hasChild") == [f"{base}/CFItems/{b}" for b in behaviors]
    original = source.competencies.get(code="1.1").identifier
    assert ids(node, "derivedFrom") == [f"{base}/CFItems/{original}"]
    assert (ids(node, "exactAlignment"), ids(node, "majorAlignment"), ids(node, "minorAlignment"),
            ids(node, "alignTo")) == (["urn:cmc:esco:A"], ["urn:cmc:esco:B"], ["urn:cmc:esco:C"],
                                      ["urn:cmc:esco:D"])  # fmt: skip
    behavior = nodes[f"{base}/CFItems/{behaviors[1]}"]
    assert behavior[ASN + "competencyText"] == [
        {"@value": "Asking for help early", "@language": "en"}
    ]
    assert ids(behavior, "isChildOf") == [f"{base}/CFItems/{teamwork.identifier}"]


def test_export_import_export_gives_the_same_graph():
    save_framework_tree(tree=welding_tree(description="Welders."), where="t")
    before = tree_of(loaded("welding"))
    first = export_ctdl("welding")
    Framework.objects.all().delete()
    found = services.read(fmt="ctdl", data=json.dumps(first).encode(), name="w.jsonld")
    services.import_read(found=found, actor=SYSTEM)
    slug = Framework.objects.get().slug  # a graph names no slug: made from the name
    again = export_ctdl(slug)

    def timeless(document):
        document = json.loads(json.dumps(document))
        document["@graph"][0].pop("ceasn:dateModified")
        return document

    assert timeless(again) == timeless(first)
    after = tree_of(loaded(slug))
    assert [(t.identifier, t.number, t.name, [(c.identifier, c.code, c.name, c.definition,
             [(b.identifier, b.title, b.text) for b in c.behaviors]) for c in t.competencies])
            for t in after.tiers] == [(t.identifier, t.number, t.name, [(c.identifier, c.code, c.name,
             c.definition, [(b.identifier, b.title, b.text) for b in c.behaviors]) for c in t.competencies])
            for t in before.tiers]  # fmt: skip


def test_the_onet_sample_keeps_its_hierarchy_codes_and_texts():
    raw = shared(*ONET).read_bytes()
    found = services.read(fmt="ctdl", data=raw, name="onet.json")
    services.import_read(found=found, actor=SYSTEM)
    [framework] = Framework.objects.all()
    tree = tree_of(loaded(framework.slug))
    assert (
        tree.name
        == "O*NET Content Model Worker Requirements - Basic Skills: U.S. Department of Labor (DOL)"
    )
    assert (tree.language, tree.source_url) == ("en-US", "https://www.onetcenter.org/database.html")
    content = tree.tiers[0]
    assert (content.name, content.note) == (
        "Content", "Background structures needed to work with and acquire more specific skills in a "
        "variety of different domains",
    )  # fmt: skip
    reading = content.competencies[0]
    assert (reading.code, reading.name, reading.definition) == (
        "2.A.1.a", "Reading Comprehension",
        "Understanding written sentences and paragraphs in work related documents.",
    )  # fmt: skip
    assert str(reading.identifier) == "07c260d5-9119-11e8-b852-782bcb5df6ac"

    original = {n["ceterms:ctid"]: n for n in json.loads(raw)["@graph"]}
    exported = {n["ceterms:ctid"]: n for n in export_ctdl(framework.slug)["@graph"]}
    assert exported.keys() == original.keys()

    def shape(nodes, ctid):
        node = nodes[ctid]
        parents = [
            p.rsplit("/", 1)[-1].removeprefix("ce-") for p in node.get("ceasn:isChildOf", [])
        ]
        children = [
            c.rsplit("/", 1)[-1].removeprefix("ce-") for c in node.get("ceasn:hasChild", [])
        ]
        return (node.get("ceasn:codedNotation"), ctdl.text_of(node.get("ceasn:competencyLabel")),
                ctdl.text_of(node.get("ceasn:competencyText")), parents, children,
                node.get("ceasn:dateCreated"), node.get("ceasn:license"))  # fmt: skip

    assert {c: shape(exported, c) for c in original} == {c: shape(original, c) for c in original}
    assert expand(export_ctdl(framework.slug))  # the export is JSON-LD the context expands


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"@context": ctdl.CONTEXT}, ("@graph", "is missing: this is not a CTDL-ASN graph")),
        (
            {"@graph": []},
            ("@graph", "holds 0 ceasn:CompetencyFramework nodes; a file holds exactly one"),
        ),
    ],
)
def test_files_that_are_no_framework_are_refused(document, message):
    from cmc.core.errors import InvalidInput, Problem

    with pytest.raises(InvalidInput) as caught:
        services.read(fmt="ctdl", data=json.dumps(document).encode(), name="x.jsonld")
    assert caught.value.problems == [Problem("x.jsonld", *message)]


def test_a_dangling_parent_and_a_loop_are_refused():
    from cmc.core.errors import InvalidInput, Problem

    graph = json.loads(shared(*ONET).read_text())
    graph["@graph"][2]["ceasn:isChildOf"] = ["https://example.org/nowhere"]
    with pytest.raises(InvalidInput) as caught:
        services.read(fmt="ctdl", data=json.dumps(graph).encode(), name="x.jsonld")
    assert caught.value.problems == [Problem("x.jsonld, @graph[2]", "ceasn:isChildOf",
                                             "names 'https://example.org/nowhere', which is no competency of this graph")]  # fmt: skip
    graph = json.loads(shared(*ONET).read_text())
    graph["@graph"][1]["ceasn:isChildOf"] = [graph["@graph"][2]["@id"]]
    with pytest.raises(InvalidInput) as caught:
        services.read(fmt="ctdl", data=json.dumps(graph).encode(), name="x.jsonld")
    assert [(p.field, p.message[:22]) for p in caught.value.problems] == [
        ("ceasn:isChildOf", "is its own ancestor; r")
    ]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tree=trees())
def test_export_import_export_of_generated_frameworks_gives_the_same_graph(tree):
    with rolled_back():
        save_framework_tree(tree=tree, where="generated")
        first = export_ctdl("round-trip")
        Framework.objects.all().delete()
        found = services.read(fmt="ctdl", data=json.dumps(first).encode(), name="g.jsonld")
        services.import_read(found=found, actor=SYSTEM)
        again = export_ctdl(Framework.objects.get().slug)
        for document in (first, again):
            document["@graph"][0].pop("ceasn:dateModified")
        assert again == first
