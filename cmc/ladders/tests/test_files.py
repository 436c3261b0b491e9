"""The lattice document in and out: import (checked whole, nothing written on error), export
as JSON (the same document), SVG, PNG and PDF, and the command that does both."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from cmc.core.actors import SYSTEM
from cmc.core.errors import InvalidInput
from cmc.ladders import documents, pictures, selectors, services
from cmc.ladders.models import Lattice, Position


def view_of(lattice):
    return selectors.lattice_view(lattice, reader=SYSTEM)


def test_export_then_import_gives_back_the_same_lattice(small, people, tmp_path):
    exported = json.loads(pictures.render(view_of(small), "json"))
    exported["slug"] = "shop-floor-copy"
    path = tmp_path / "copy.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    out = io.StringIO()
    call_command("lattice", "import", str(path), "--as", "owner", stdout=out)
    assert out.getvalue() == "Imported the lattice shop-floor-copy (4 positions, 6 moves)\n"
    copy = Lattice.objects.get(slug="shop-floor-copy")
    assert (copy.owner, copy.visibility) == (people["owner"], "private")
    again = documents.to_document(view_of(copy))
    assert again == exported


def test_importing_the_same_slug_again_replaces_it_in_place(small, people):
    document = documents.to_document(view_of(small))
    document["positions"] = document["positions"][:2]
    document["transitions"] = document["transitions"][:1]
    lattice, created = services.import_lattice(document=document, where="x.yaml", actor=people["editor"])  # fmt: skip
    assert (created, lattice.pk, lattice.visibility) == (False, small.pk, "organization")
    assert sorted(lattice.positions.values_list("key", flat=True)) == ["helper", "machinist"]


BAD = """\
name: ""
colour: blue
positions:
  - {key: a, title: Helper, level: 1}
  - {key: a, title: Helper again, level: x, occupation: 51-4041}
transitions:
  - {from: a, to: b, kind: sideways, experiences: [{kind: training, text: Course, months: many}]}
"""


def test_a_bad_file_is_refused_naming_file_and_field_and_nothing_is_written(people, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"^8 problem\(s\); nothing was written$"):
        call_command("lattice", "import", str(path), "--as", "owner", stderr=err)
    assert err.getvalue().splitlines() == [
        "bad.yaml, colour: is not a field of a lattice",
        "bad.yaml, name: is empty; fill it in",
        "bad.yaml, positions[1].occupation: '51-4041' is not an O*NET-SOC code such as 51-4041.00",
        "bad.yaml, positions[1].level: 'x' is not a whole number from 1 to 20",
        "bad.yaml, positions[1].key: 'a' is the key of an earlier position; keys are unique",
        "bad.yaml, transitions[0].to: no position has the key 'b'",
        "bad.yaml, transitions[0].kind: 'sideways' is not one of promotion, lateral",
        "bad.yaml, transitions[0].experiences[0].months: 'many' is not a whole number from 0 to 600",
    ]
    assert Lattice.objects.count() == 0 and Position.objects.count() == 0


@pytest.mark.parametrize(
    "name, data, message",
    [
        (
            "broken.yaml",
            b"name: [unclosed\n",
            "broken.yaml, line 2: is not valid YAML: expected ',' or ']', but got '<stream end>'",
        ),  # fmt: skip
        ("broken.json", b'{"name": }', "broken.json, line 1: is not valid JSON: Expecting value"),
        (
            "list.yaml",
            b"- a\n- b\n",
            "list.yaml, file: must hold one lattice: a mapping with name, positions and transitions",
        ),  # fmt: skip
        (
            "latin.yaml",
            "name: Caf\u00e9".encode("latin-1"),
            "latin.yaml, file: is not UTF-8 text; save it as UTF-8",
        ),  # fmt: skip
        ("empty.yaml", b"name: Empty\n", "empty.yaml, positions: must list at least one position"),
    ],
)
def test_files_that_are_not_lattices_are_refused(people, tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"^1 problem\(s\); nothing was written$"):
        call_command("lattice", "import", str(path), "--as", "owner", stderr=err)
    assert err.getvalue().splitlines() == [message]
    assert Lattice.objects.count() == 0


def test_import_needs_an_owner_or_public(people, tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("name: X\npositions: [{title: A, level: 1}]\n", encoding="utf-8")
    with pytest.raises(CommandError, match="say who owns the lattice with --as USER, or make it --public"):  # fmt: skip
        call_command("lattice", "import", str(path))
    with pytest.raises(CommandError, match="no user 'nobody'"):
        call_command("lattice", "import", str(path), "--as", "nobody")
    call_command("lattice", "import", str(path), "--public", stdout=io.StringIO())
    assert list(Lattice.objects.values_list("slug", "visibility", "owner")) == [("x", "public", None)]  # fmt: skip


def test_a_lattice_someone_else_owns_is_not_replaced(small, tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("name: Shop floor\npositions: [{title: A, level: 1}]\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("lattice", "import", str(path), "--as", "outsider", stderr=err)
    assert err.getvalue() == "x.yaml, slug: 'shop-floor' is the slug of a lattice you may not change; give another slug\n"  # fmt: skip
    assert small.positions.count() == 4


def test_the_svg_is_accessible_and_tells_moves_apart_without_colour(small):
    svg = pictures.svg_file(view_of(small)).decode()
    assert '<title id="lattice-title">Shop floor: career lattice diagram</title>' in svg
    assert (
        '<desc id="lattice-desc">Level 1: Shop helper (Production; Local job title). '
        "Level 2: Machinists (Production; $58,750/yr · $28.24/hr), "
        "Inspectors, Testers, Sorters, Samplers, and Weighers (Quality; $48,570/yr · $23.35/hr). "
        "Level 3: Computer Numerically Controlled Tool Programmers (Production; $68,120/yr · $32.75/hr). "
        "Promotion: Shop helper to Machinists."
    ) in svg
    assert svg.count('<a href="http://127.0.0.1:8000/lattices/shop-floor/#position-') == 4
    assert (
        svg.count('stroke-dasharray="7 5" marker-end="url(#head-lateral)"') == 2 + 1
    )  # 2 moves, legend
    assert svg.count('marker-end="url(#head-promotion)"') == 4 + 1


def test_png_and_pdf(small):
    png = pictures.render(view_of(small), "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    assert width == 1800
    reader = PdfReader(io.BytesIO(pictures.render(view_of(small), "pdf")))
    first = reader.pages[0].extract_text()
    assert "Shop floor" in first
    assert "Occupational Employment and Wage Statistics (BLS OEWS May 2025)" in " ".join(
        first.split()
    )
    rest = " ".join(" ".join(page.extract_text() for page in reader.pages[1:]).split())
    assert "Machinists · Production · O*NET-SOC 51-4041.00" in rest
    assert "$58,750 a year, $28.24 an hour" in rest


@pytest.mark.parametrize("fmt, start", [("json", b"{"), ("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")])  # fmt: skip
def test_the_export_command_writes_each_format(small, tmp_path, fmt, start):
    target = tmp_path / f"out.{fmt}"
    err = io.StringIO()
    call_command("lattice", "export", "shop-floor", "--format", fmt, "-o", str(target), stderr=err)
    assert target.read_bytes().startswith(start)
    assert err.getvalue() == f"Wrote {target}\n"


def test_exporting_an_unknown_lattice_says_so(db):
    with pytest.raises(CommandError, match="no lattice with the slug 'nope'"):
        call_command("lattice", "export", "nope")


def test_refused_import_from_the_service_names_the_file(people):
    with pytest.raises(InvalidInput) as error:
        services.import_lattice(document={"name": "X", "positions": "many"}, where="f.json", actor=people["owner"])  # fmt: skip
    assert [str(p) for p in error.value.problems] == ["f.json, positions: must list at least one position"]  # fmt: skip
