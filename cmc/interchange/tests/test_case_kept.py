"""What an imported CASE package keeps on its rows to be given back by an export: only what the
writer would not make by itself, and the differences kept by earlier imports still read."""

import uuid

import pytest
from django.conf import settings

from cmc.factories import loaded
from cmc.frameworks.models import Competency, Framework, KeyBehavior, Tier
from cmc.frameworks.selectors import tree_of
from cmc.frameworks.services import save_framework_tree
from cmc.frameworks.trees import Lineage
from cmc.interchange.formats import case

from .conftest import big_tree
from .test_case import errors, export_case, import_case, timeless

pytestmark = pytest.mark.django_db

ELSEWHERE = "https://case.example.org"


def package_from_elsewhere(tree=None) -> dict:
    """A package another CASE provider made: every uri its identifier under that provider's root."""
    tree = tree or big_tree(3, 2, slug="kept")
    return case.Writer(tree, base=ELSEWHERE, changed="2024-01-02T03:04:05+00:00").package()


def test_uris_under_the_package_root_are_kept_once_and_given_back(case_1_1):
    package = package_from_elsewhere()
    framework = import_case(package).report.framework

    assert framework.extensions == {"case": {"root": f"{ELSEWHERE}/ims/case/v1p1"}}
    rows = [*Tier.objects.all(), *Competency.objects.all(), *KeyBehavior.objects.all()]
    # Each row only marked as the package's: its uri follows from its identifier.
    assert len(rows) == 5 + 3 + 6 and {str(row.extensions) for row in rows} == {"{'case': {}}"}
    again = export_case("kept")
    assert errors(case_1_1, again) == []
    assert timeless(again) == timeless(package)  # the definitions' item types too


def test_an_item_made_after_the_import_is_under_the_site_root(case_1_1):
    from cmc.core.actors import SYSTEM
    from cmc.frameworks.services import add_competency

    framework = import_case(package_from_elsewhere()).report.framework
    tier = framework.tiers.order_by("position").first()
    added = add_competency(tier=tier, actor=SYSTEM, name="Made here")
    again = export_case("kept")
    assert errors(case_1_1, again) == []
    site = settings.CMC_SITE_URL.rstrip("/") + case.PATH
    [item] = [i for i in again["CFItems"] if i["identifier"] == str(added.identifier)]
    assert item["uri"] == f"{site}/CFItems/{added.identifier}"
    [child] = [a for a in again["CFAssociations"]
               if a["originNodeURI"]["identifier"] == item["identifier"]]  # fmt: skip
    assert child["uri"].startswith(f"{site}/CFAssociations/")
    others = [i for i in again["CFItems"] if i["identifier"] != item["identifier"]]
    assert all(i["uri"].startswith(ELSEWHERE) for i in others)


def test_a_uri_that_does_not_follow_from_its_identifier_is_kept_on_its_item():
    package = package_from_elsewhere()
    moved = package["CFItems"][2]  # a key behavior, and every association naming it
    moved["uri"] = "https://elsewhere.example.org/standards/1"
    for association in package["CFAssociations"]:
        for end in (association["originNodeURI"], association["destinationNodeURI"]):
            if end["identifier"] == moved["identifier"]:
                end["uri"] = moved["uri"]
    import_case(package)

    [row] = [r for r in KeyBehavior.objects.all() if r.extensions["case"]]
    assert str(row.identifier) == moved["identifier"]
    assert row.extensions == {
        "case": {"item": {"uri": [f"{ELSEWHERE}/ims/case/v1p1/CFItems/{row.identifier}",
                                  "https://elsewhere.example.org/standards/1"]}}
    }  # fmt: skip
    assert timeless(export_case("kept")) == timeless(package)


def test_a_link_kept_on_one_item_is_that_items_alone():
    """The package's items share one mark; a link's difference kept on one of them is its own."""
    package = package_from_elsewhere()
    item = package["CFItems"][3]
    target = {"title": "Elsewhere", "identifier": "ext-1", "uri": "https://elsewhere.example.org/1"}
    package["CFAssociations"].append({
        "identifier": str(uuid.uuid4()), "uri": "https://elsewhere.example.org/associations/1",
        "associationType": "isRelatedTo", "lastChangeDateTime": "2024-01-02T03:04:05+00:00",
        "originNodeURI": {"title": item["fullStatement"], "identifier": item["identifier"],
                          "uri": item["uri"]},
        "destinationNodeURI": target,
    })  # fmt: skip
    import_case(package)

    rows = [*Tier.objects.all(), *Competency.objects.all(), *KeyBehavior.objects.all()]
    [linked] = [r for r in rows if r.extensions["case"]]
    assert str(linked.identifier) == item["identifier"]
    assert list(linked.extensions["case"]["links"]) == ["isRelatedTo ext-1"]
    assert {str(r.extensions) for r in rows if r is not linked} == {"{'case': {}}"}
    again, package = timeless(export_case("kept")), timeless(package)
    for associations in (again["CFAssociations"], package["CFAssociations"]):
        associations.sort(key=lambda a: a["identifier"])  # written beside its item
    assert again == package


def test_a_package_under_the_site_root_keeps_no_root():
    tree = big_tree(2, 1, slug="kept")
    package = case.Writer(tree, base=settings.CMC_SITE_URL, changed="2024-01-02").package()
    framework = import_case(package).report.framework
    assert framework.extensions == {}
    assert timeless(export_case("kept")) == timeless(package)


def test_differences_kept_in_the_earlier_form_are_still_given_back():
    """Imports used to keep, on every row, its uris under the package's root as differences
    from the site's ([the site's, the package's]), and no root: such rows export as before."""
    tree = big_tree(3, 2, slug="kept")
    package = package_from_elsewhere(tree)
    originals = {item["identifier"]: item for item in package["CFItems"]}
    parents = {
        a["originNodeURI"]["identifier"]: a
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf"
    }
    ours = case.Writer(tree, base=settings.CMC_SITE_URL, changed="").package()
    made = {item["identifier"]: item for item in ours["CFItems"]}
    made_parents = {
        a["originNodeURI"]["identifier"]: a
        for a in ours["CFAssociations"]
        if a["associationType"] == "isChildOf"
    }
    nodes = [n for t in tree.tiers for c in t.competencies for n in (c, *c.behaviors)]
    for node in [*tree.tiers, *nodes]:
        key = str(node.identifier)
        node.extensions = {"case": {
            "item": case.keep(case.without_empty(made[key]), originals[key]),
            "parent": case.keep(case.without_empty(made_parents[key]), parents[key]),
        }}  # fmt: skip
        assert set(node.extensions["case"]["item"]) == {"uri", "CFItemTypeURI"}
    document = case.without_empty(ours["CFDocument"])
    tree.extensions = {"case": {"document": case.keep(document, package["CFDocument"])}}
    save_framework_tree(tree=tree, where="earlier")
    assert Framework.objects.get(slug="kept").extensions["case"].get("root") is None

    again = timeless(export_case("kept"))
    theirs = timeless(package)
    assert again["CFDocument"] == theirs["CFDocument"]
    assert again["CFItems"] == theirs["CFItems"]
    assert again["CFAssociations"] == theirs["CFAssociations"]
    # And imported again, the package keeps its root instead.
    Framework.objects.all().delete()
    import_case(package)
    assert tree_of(loaded("kept")).extensions == {"case": {"root": f"{ELSEWHERE}/ims/case/v1p1"}}


def test_the_items_lineage_names_stay_under_the_site_root():
    """The package's own objects are written under its root; an item of this site that one of
    them came from (lineage) is named under the site's."""
    import_case(package_from_elsewhere())
    tree = tree_of(loaded("kept"))
    behavior = tree.tiers[0].competencies[0].behaviors[0]
    source = uuid.uuid4()
    behavior.lineage = Lineage(origin="copied", source_identifier=source, source_name="Kept",
                               source_url="/frameworks/other/")  # fmt: skip
    package = case.Writer(tree, base=settings.CMC_SITE_URL, changed="2024-01-02").package()

    [copied] = [a for a in package["CFAssociations"] if a["associationType"] == "exactMatchOf"]
    assert (
        copied["originNodeURI"]["uri"] == f"{ELSEWHERE}/ims/case/v1p1/CFItems/{behavior.identifier}"
    )
    assert copied["destinationNodeURI"] == {
        "title": "Kept", "identifier": str(source), "targetType": "CASE",
        "uri": f"{settings.CMC_SITE_URL}/ims/case/v1p1/CFItems/{source}",
    }  # fmt: skip


def test_a_uuid_made_from_its_text_is_the_one_uuid_makes():
    import copy
    import pickle

    from cmc.interchange.formats.case_terms import uuid_from

    for made in (uuid.uuid4(), uuid.uuid5(case.NAMESPACE, "x"), uuid.UUID(int=0x8000 << 48)):
        text = str(made)
        quick = uuid_from(text)
        assert quick == made and hash(quick) == hash(made) and str(quick) == text
        assert quick.hex == made.hex and quick.version == made.version
        assert quick.is_safe is uuid.SafeUUID.unknown
        assert pickle.loads(pickle.dumps(quick)) == made and copy.copy(quick) == made
        with pytest.raises(TypeError):
            quick.int = 1  # as immutable as any other
