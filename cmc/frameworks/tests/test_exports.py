"""Exports people read, checked by looking at them: PDF pages rendered to pictures and their
text extracted, the Word document's headings, the pyramid as SVG and PNG, and the exchange
formats imported back."""

import io
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from docx import Document
from PIL import Image
from pypdf import PdfReader

from cmc.factories import UserFactory, loaded
from cmc.frameworks.documents import document_of, writers
from cmc.frameworks.models import Framework
from cmc.frameworks.selectors import tree_of
from cmc.frameworks.services import derive_framework
from cmc.interchange import exports, formats

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def pdf_pages_as_pictures(data: bytes, tmp_path) -> list[Image.Image]:
    """Render every page of a PDF to a PNG with poppler's pdftoppm, as a person would see it."""
    source = tmp_path / "export.pdf"
    source.write_bytes(data)
    subprocess.run(
        [shutil.which("pdftoppm") or "pdftoppm", "-r", "30", "-png", str(source), str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    return [Image.open(p) for p in sorted(tmp_path.glob("page*.png"))]


def ink(picture: Image.Image) -> float:
    """The share of a page that is not white."""
    grey = picture.convert("L")
    dark = sum(grey.histogram()[:200])
    return dark / (grey.width * grey.height)


@pytest.fixture
def building_blocks(reference):
    """What the Building Blocks' readable documents show."""
    return document_of(Framework.objects.get(slug="building-blocks"))


def test_pdf_has_a_cover_the_pyramid_then_every_tier_with_its_content(building_blocks, tmp_path):
    data = writers.pdf(building_blocks)
    reader = PdfReader(io.BytesIO(data))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    text = "\n".join(pages)
    assert "Building Blocks Competency Model" in pages[0]
    assert "Version 1" in pages[0]
    assert "Source" in pages[0] and "Employment and Training Administration" in pages[0]
    assert "The model's pyramid" in pages[1]
    for tier in building_blocks.tree.tiers:
        assert f"Tier {tier.number}: {tier.name}" in text
    teamwork = next(
        c for t in building_blocks.tree.tiers for c in t.competencies if c.name == "Teamwork"
    )
    assert teamwork.behaviors[0].text.split()[0] in text
    body = " ".join(pages[2:])
    assert body.index("Tier 1: Personal") < body.index("Tier 9")  # tier 1 first, as the guide

    pictures = pdf_pages_as_pictures(data, tmp_path)
    assert len(pictures) == len(reader.pages)
    assert all(ink(p) > 0.002 for p in pictures), "a page came out blank"
    assert pictures[0].width < pictures[0].height  # portrait pages


def test_docx_has_real_word_headings_and_the_same_content(building_blocks):
    document = Document(io.BytesIO(writers.docx(building_blocks)))
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Title", "Heading"))
    ]
    assert headings[0] == ("Title", "Building Blocks Competency Model")
    tiers = [text for style, text in headings if style == "Heading 1"]
    assert tiers == [f"Tier {t.number}: {t.name}" for t in building_blocks.tree.tiers]
    competencies = [text for style, text in headings if style == "Heading 2"]
    assert len(competencies) == sum(len(t.competencies) for t in building_blocks.tree.tiers)
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) == sum(
        len(c.behaviors) for t in building_blocks.tree.tiers for c in t.competencies
    )
    assert len(document.inline_shapes) == 1  # the pyramid
    assert document.core_properties.title == "Building Blocks Competency Model"


def test_svg_pyramid_has_one_labelled_block_per_competency(building_blocks):
    root = ET.fromstring(writers.pyramid_svg_document(building_blocks))
    assert root.find(f"{SVG}title").text.startswith("Building Blocks Competency Model")
    description = root.find(f"{SVG}desc").text
    blocks = root.findall(f".//{SVG}a")
    competencies = [c for t in building_blocks.tree.tiers for c in t.competencies]
    assert len(blocks) == len(competencies)
    for block, competency in zip(blocks, competencies, strict=True):
        assert block.get("href").startswith("http")
        assert block.get("href").endswith(f"/competencies/{competency.code}/")
        assert competency.name in block.find(f"{SVG}title").text
        assert competency.name in description
    texts = " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "Tier 9: Management Competencies" in texts


def test_svg_pyramid_colours_blocks_by_tier_group(building_blocks):
    root = ET.fromstring(writers.pyramid_svg_document(building_blocks))
    fills = {a.find(f"{SVG}rect").get("fill") for a in root.iter(f"{SVG}a")}
    assert len(fills) == 2  # foundational blue, occupation-related amber (tiers 4 to 8 are empty)


def test_png_pyramid_is_a_wide_picture_with_ink(building_blocks):
    picture = Image.open(io.BytesIO(writers.pyramid_png(building_blocks)))
    assert picture.format == "PNG"
    assert picture.width == 2000
    assert ink(picture) > 0.05


def test_a_pyramid_with_long_names_keeps_every_line_inside_its_block(reference):
    from cmc.core.pictures.model_pyramid import PyramidBlock, PyramidRow, _wrap, model_pyramid_svg

    name = (
        "Understanding and applying pharmaceutical regulatory-compliance-documentation procedures"
    )
    rows = [
        PyramidRow(
            1,
            "Base",
            "foundational",
            tuple(PyramidBlock(f"1.{i}", name, "/x/") for i in range(1, 10)),
            "/",
        )
    ]
    svg = str(model_pyramid_svg("Long", rows))
    assert svg.count('class="pyramid-block"') == 9
    lines = _wrap(name, 100)
    assert all(len(line) <= int(100 / (12 * 0.62)) for line in lines)
    assert "".join(line.rstrip("-") for line in lines).replace(" ", "") == name.replace(" ", "")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_a_derived_model_exported_and_imported_back_is_the_same_model(reference, tmp_path, fmt):
    owner = UserFactory()
    model = derive_framework(
        actor=owner, sources=[Framework.objects.get(slug="building-blocks")], name="Ours"
    )
    path = tmp_path / f"ours.{fmt}"
    path.write_bytes(exports.export(model, fmt, reader=owner))
    trees, problems = formats.read_file(path)
    assert problems == []
    original = tree_of(loaded(model.slug))
    assert [t.name for t in trees[0].tiers] == [t.name for t in original.tiers]
    assert [
        (c.code, c.name, c.definition, [(b.title, b.text) for b in c.behaviors])
        for t in trees[0].tiers
        for c in t.competencies
    ] == [
        (c.code, c.name, c.definition, [(b.title, b.text) for b in c.behaviors])
        for t in original.tiers
        for c in t.competencies
    ]


@pytest.mark.parametrize("fmt", exports.EXPORT_FORMATS)
def test_every_format_downloads_from_the_page_the_api_and_the_command_line(
    client, reference, tmp_path, fmt
):
    page = client.get(f"/frameworks/automation/download.{fmt}")
    assert page.status_code == 200
    assert page["Content-Type"] == exports.CONTENT_TYPES[fmt]
    assert "attachment;" in page["Content-Disposition"]
    api = client.get(f"/api/v1/frameworks/automation/export?format={fmt}")
    assert api.status_code == 200
    assert api["Content-Type"] == exports.CONTENT_TYPES[fmt]
    out = tmp_path / f"automation.{fmt}"
    call_command("export_framework", "automation", "--format", fmt, "-o", str(out))
    assert out.stat().st_size > 100
    if fmt not in ("pdf", "docx", "xlsx", "png"):  # no timestamps inside: identical bytes
        assert out.read_bytes() == page.content == api.content


def test_an_unknown_format_is_refused(client, reference):
    assert client.get("/frameworks/automation/download.exe").status_code == 404
    answer = client.get("/api/v1/frameworks/automation/export?format=exe")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "format"


def test_a_private_model_is_exported_only_to_those_who_may_see_it(client, reference):
    owner = UserFactory()
    model = derive_framework(
        actor=owner, sources=[Framework.objects.get(slug="building-blocks")], name="Secret"
    )
    assert client.get(f"/frameworks/{model.slug}/download.pdf").status_code == 404
    assert client.get(f"/api/v1/frameworks/{model.slug}/export?format=docx").status_code == 404
    client.force_login(UserFactory())
    assert client.get(f"/frameworks/{model.slug}/download.svg").status_code == 404
    client.force_login(owner)
    assert client.get(f"/frameworks/{model.slug}/download.pdf").status_code == 200


def test_the_pdf_cover_names_the_sources_of_a_derived_model(reference):
    owner = UserFactory()
    model = derive_framework(
        actor=owner,
        sources=[Framework.objects.get(slug="building-blocks"), Framework.objects.get(slug="advanced-manufacturing")],
        name="Blend",
    )  # fmt: skip
    cover = PdfReader(io.BytesIO(writers.pdf(document_of(model)))).pages[0].extract_text()
    assert "Built from" in cover
    assert "Building Blocks Competency Model, version 2015" in cover.replace("\n", " ")
    assert "Draft, not yet published" in cover


def test_text_with_characters_xml_cannot_hold_still_exports(client):
    from cmc.frameworks.services import save_framework_tree
    from cmc.frameworks.trees import BehaviorNode, CompetencyNode, FrameworkTree, TierNode

    tree = FrameworkTree(
        name="Bell\x07 model", slug="bell",
        tiers=[TierNode(number=1, name="Tier\x0b one", competencies=[CompetencyNode(
            code="1.1", name="Ring\x01", definition="Def\x1f",
            behaviors=[BehaviorNode(title="T\x02", text="Rings\x03 the bell")])])],
    )  # fmt: skip
    save_framework_tree(tree=tree, where="test", visibility="public")
    for fmt in exports.EXPORT_FORMATS:
        assert client.get(f"/frameworks/bell/download.{fmt}").status_code == 200, fmt
    for kind in ("gap", "curriculum"):
        for fmt in ("xlsx", "docx"):
            answer = client.get(f"/api/v1/frameworks/bell/worksheets/{kind}?format={fmt}")
            assert answer.status_code == 200, (kind, fmt)
    svg = client.get("/frameworks/bell/download.svg").content.decode()
    assert "Ring " in svg and "\x01" not in svg


def test_the_pdf_is_tagged_for_screen_readers_and_names_its_language(building_blocks):
    reader = PdfReader(io.BytesIO(writers.pdf(building_blocks)))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "en"
    assert reader.metadata.title == "Building Blocks Competency Model"
