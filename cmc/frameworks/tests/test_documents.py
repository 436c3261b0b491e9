"""The documents a user takes away (PDF, Word, the pyramid as SVG and PNG), looked at as a person
would: PDF pages' text and pictures, the Word file's paragraphs, the SVG parsed, the PNG opened.
Their covers say what the model is and where it comes from, they read from tier 1 up, their
pyramid fits its page with its caption, and a model of any size gives files within the
renderers' limits."""

import io
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.utils import timezone
from docx import Document
from PIL import Image
from pypdf import PdfReader

from cmc.core import typesetting
from cmc.factories import UserFactory
from cmc.frameworks.documents import document_of, typeset, writers
from cmc.frameworks.documents.facts import Facts, Readable
from cmc.frameworks.models import Framework, Tier
from cmc.frameworks.services import derive_framework, save_framework_tree
from cmc.frameworks.trees import BehaviorNode, CompetencyNode, FrameworkTree, TierNode

SVG = "{http://www.w3.org/2000/svg}"


def pdf_pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def tags(reader: PdfReader) -> list:
    """The structure elements under the document's one element, in reading order, and theirs."""
    [document] = reader.trailer["/Root"]["/StructTreeRoot"]["/K"]
    found, stack = [], [document.get_object()]
    while stack:
        element = stack.pop()
        found.append(element)
        kids = element.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        kids = (kid.get_object() for kid in reversed(kids))
        stack.extend(kid for kid in kids if isinstance(kid, dict) and "/S" in kid)
    return found


def word_text(data: bytes) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in Document(io.BytesIO(data)).paragraphs]


def svg_texts(element) -> list[str]:
    return [" ".join(t.itertext()) for t in element.iter(f"{SVG}text")]


def big_tree() -> FrameworkTree:
    """3,000 competencies in nine tiers of 333 (the last 336), ten key behaviors each."""
    tiers = []
    for number in range(1, 10):
        count = 336 if number == 9 else 333
        tiers.append(
            TierNode(
                number=number,
                name=f"Tier {number} of the big model",
                competencies=[
                    CompetencyNode(
                        code=f"{number}.{n}",
                        name=f"Planning work {number}.{n}",
                        definition=f"Definition of {number}.{n}.",
                        behaviors=[
                            BehaviorNode(text=f"Behavior {b} of {number}.{n}") for b in range(1, 11)
                        ],
                    )
                    for n in range(1, count + 1)
                ],
            )
        )
    return FrameworkTree(name="Big model", slug="big-model", tiers=tiers)


@pytest.fixture(scope="module")
def big() -> Readable:
    facts = Facts(version="Version 3 of 01 May 2025", last_changed="01 May 2025")
    return Readable(big_tree(), facts)


def generated(competencies: int, *, behaviors: int = 1) -> Framework:
    """A model of `competencies` competencies over nine tiers (the same number on each, the
    rest on tier 9), each with `behaviors` key behaviors, saved as an import saves it."""
    each = competencies // 9
    tiers = [
        TierNode(
            number=number,
            name=f"Tier {number} of the generated model",
            competencies=[
                CompetencyNode(
                    code=f"{number}.{n}",
                    name=f"Planning work {number}.{n}",
                    behaviors=[
                        BehaviorNode(text=f"Behavior {b} of {number}.{n}")
                        for b in range(1, behaviors + 1)
                    ],
                )
                for n in range(1, each + 1 + (competencies - 9 * each if number == 9 else 0))
            ],
        )
        for number in range(1, 10)
    ]
    slug = f"generated-{competencies}"
    save_framework_tree(tree=FrameworkTree(name=f"Generated {competencies}", slug=slug,
                                           tiers=tiers), where="test")  # fmt: skip
    return Framework.objects.get(slug=slug)


@pytest.fixture
def thousands(db) -> Readable:
    """A model of 3,000 competencies, read as its documents are."""
    return document_of(generated(3000, behaviors=0))


def test_a_model_of_3000_competencies_gives_a_pdf_whose_more_blocks_link_to_their_tiers(
    thousands,
):
    reader = PdfReader(io.BytesIO(writers.pdf(thousands)))

    cover, pyramid = (" ".join(p.extract_text().split()) for p in reader.pages[:2])
    assert "Contents 9 tiers, 3000 competencies, 0 key behaviors" in cover
    assert pyramid.startswith("The model's pyramid")
    assert "Each “more” block links to its tier." in pyramid
    # The links' words, for screen readers, sit under the picture's blocks.
    assert "Tier 1: 322 more competencies" in pyramid
    # The picture is drawn as vectors, its words the figure's alternative text.
    assert len(reader.pages[1].images) == 0
    [figure] = [kid for kid in tags(reader) if kid.get("/S") == "/Figure"]
    assert figure["/Alt"].startswith("The pyramid of Generated 3000: Tier 1: Tier 1 of the")
    assert "and 322 more (333 competencies in all)" in figure["/Alt"]
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "9.336 Planning work 9.336" in last

    links = [annotation.get_object() for annotation in reader.pages[1]["/Annots"]]
    assert sorted(link["/Dest"] for link in links) == [f"tier-{n}" for n in range(1, 10)]
    assert all("/A" not in link for link in links)  # a destination, not the URI Typst wrote
    starts = {
        name: reader.get_destination_page_number(destination)
        for name, destination in reader.named_destinations.items()
    }
    for number in range(1, 10):
        page = " ".join(reader.pages[starts[f"tier-{number}"]].extract_text().split())
        assert f"Tier {number}: Tier {number} of the generated model" in page
    # Each link lies over its block: the tiers stack upwards, tier 1 at the base.
    tops = [float(link["/Rect"][1]) for link in sorted(links, key=lambda link: link["/Dest"])]
    assert tops == sorted(tops)


def test_a_model_of_3000_competencies_gives_a_word_file_with_a_picture_that_fits_its_page(
    thousands,
):
    document = Document(io.BytesIO(writers.docx(thousands)))

    [picture] = document.inline_shapes
    assert (round(picture.width.inches, 2), round(picture.height.inches, 2)) == (6.26, 7.8)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert len(headings) == 3000
    assert headings[-1] == "9.336 Planning work 9.336"


def test_a_model_of_3000_competencies_gives_a_png_of_a_bounded_size(thousands):
    picture = Image.open(io.BytesIO(writers.pyramid_png(thousands)))

    assert picture.format == "PNG"
    assert picture.size == (2000, 2620)


@pytest.mark.django_db
def test_ten_times_the_competencies_give_the_same_picture(db):
    small = document_of(generated(300, behaviors=0))
    big = document_of(generated(3000, behaviors=0))

    sizes = [Image.open(io.BytesIO(writers.pyramid_png(d))).size for d in (small, big)]
    assert sizes == [(2000, 2620), (2000, 2620)]
    drawn = [writers.picture(d, caption=False) for d in (small, big)]
    assert [(p.width, p.height) for p in drawn] == [(1000, 1246), (1000, 1246)]
    assert [p.left_out for p in drawn] == [200, 2900]


def bold_runs(data: bytes, words: str) -> set[bool]:
    """Whether each run of the PDF's text that holds `words` is set in a bold face."""
    found = set()

    def visit(text, cm, tm, font, size):
        if words in text and font:
            found.add("Bold" in font["/BaseFont"])

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return found


@pytest.mark.django_db
def test_a_key_behavior_s_title_is_bold_before_its_text(db):
    behavior = BehaviorNode(title="Gathering information", text="Asks the crew first.")
    competency = CompetencyNode(code="1.1", name="Listening", behaviors=[behavior])
    tier = TierNode(number=1, name="Base", competencies=[competency])
    save_framework_tree(tree=FrameworkTree(name="Titled", slug="titled", tiers=[tier]),
                        where="test")  # fmt: skip
    data = writers.pdf(document_of(Framework.objects.get(slug="titled")))

    assert bold_runs(data, "Gathering information") == {True}
    assert bold_runs(data, "Asks the crew first.") == {False}
    assert "• Gathering information: Asks the crew first." in " ".join(pdf_pages(data))


def test_the_big_svg_says_how_many_competencies_each_crowded_tier_holds(big, settings):
    settings.CMC_SITE_URL = "https://cmc.example"
    root = ET.fromstring(writers.pyramid_svg_document(big))

    texts = svg_texts(root)
    for number in range(1, 9):
        assert f"Tier {number}: Tier {number} of the big model 333 competencies" in texts
    assert "Tier 9: Tier 9 of the big model 336 competencies" in texts
    more = root.findall(f".//{SVG}a[@class='pyramid-more']")
    assert [m.get("href") for m in more] == [
        f"https://cmc.example/frameworks/big-model/tiers/{n}/" for n in range(1, 10)
    ]
    drawn = Counter(
        block.find(f"{SVG}title").text.rsplit("(tier ", 1)[1].rstrip(")")
        for block in root.findall(f".//{SVG}a[@class='pyramid-block']")
    )
    # Two or three of the picture's 24 lines of blocks a tier, the last block of each "more".
    assert [drawn[str(n)] for n in range(1, 10)] == [11, 11, 14, 14, 9, 11, 11, 11, 8]
    assert [" ".join(svg_texts(m)) for m in more] == [
        f"and {(336 if n == 9 else 333) - drawn[str(n)]} more" for n in range(1, 10)
    ]
    assert "and 328 more (336 competencies in all)" in root.find(f"{SVG}desc").text


# The cover, the order of the tiers, the pyramid's page, and what is never printed.


@pytest.mark.django_db
def test_the_cover_names_the_organization_and_what_the_model_was_built_from(ours):
    readable = document_of(ours)
    today = f"{timezone.localtime(ours.updated_at):%B %-d, %Y}"

    assert readable.subtitle == "Competency model of Welders Guild"
    assert readable.cover() == [
        ("Status", "Draft"),
        ("Version", "Draft, not yet published"),
        ("Built from", "Welding Model"),
        ("Contents", "2 tiers, 3 competencies, 4 key behaviors"),
        ("Last changed", today),
    ]
    cover = pdf_pages(writers.pdf(readable))[0]
    assert cover == (
        "Our Welding Competency model of Welders Guild Built from Welding Model. Status Draft "
        "Version Draft, not yet published Built from Welding Model Contents 2 tiers, "
        f"3 competencies, 4 key behaviors Last changed {today}"
    )
    word = word_text(writers.docx(readable))
    assert word[:8] == [
        ("Title", "Our Welding"),
        ("Subtitle", "Competency model of Welders Guild"),
        ("Normal", "Built from Welding Model."),
        ("Normal", "Status: Draft"),
        ("Normal", "Version: Draft, not yet published"),
        ("Normal", "Built from: Welding Model"),
        ("Normal", "Contents: 2 tiers, 3 competencies, 4 key behaviors"),
        ("Normal", f"Last changed: {today}"),
    ]


@pytest.mark.django_db
def test_the_cover_of_a_reference_model_names_its_source_and_section(reference):
    readable = document_of(Framework.objects.get(slug="building-blocks"))

    source = dict(readable.cover())["Source"]
    assert source.startswith("U.S. Department of Labor, Employment and Training Administration.")
    assert "(Chapter 2. “Building Blocks” for Competency Models" in source
    assert source.endswith(
        " http://www.careeronestop.org/CompetencyModel/competency-models/building-blocks-model.aspx"
    )
    assert readable.subtitle == "Building Blocks competency model"
    assert "Source " + source[:60] in pdf_pages(writers.pdf(readable))[0]


@pytest.mark.django_db
def test_a_model_without_an_organization_or_source_leaves_those_lines_out(db):
    save_framework_tree(tree=FrameworkTree(name="Lone", slug="lone"), where="test")
    readable = document_of(Framework.objects.get(slug="lone"))

    assert (readable.subtitle, readable.source_line) == ("", "")
    assert [label for label, _ in readable.cover()] == [
        "Status", "Version", "Contents", "Last changed"
    ]  # fmt: skip
    cover = pdf_pages(writers.pdf(readable))[0]
    assert "Not given" not in cover and "Organization competency model" not in cover
    assert cover.startswith("Lone Status Draft Version Draft, not yet published Contents 0 tiers")


@pytest.mark.django_db
def test_the_pyramid_its_heading_and_its_caption_share_one_page_before_tier_1(reference):
    model = derive_framework(
        actor=UserFactory(), sources=["building-blocks", "energy-cewd"], name="Our Energy Model"
    )
    readable = document_of(model)
    # 77 less the two that merge ("Flexibility & Adaptability", "Critical & Analytical
    # Thinking") and the ten occupations the energy model names.
    assert readable.tree.competency_count() == 65

    pages = pdf_pages(writers.pdf(readable))
    # The picture's words are text drawn in it, between its heading and its caption.
    assert pages[1].startswith("The model's pyramid Tier 1: Personal Effectiveness")
    assert pages[1].endswith(
        f"The model's pyramid: tier 1 at the base, one block per competency. Page 2 of {len(pages)}"
    )
    assert pages[2].startswith("Tier 1: Personal Effectiveness Competencies Foundational 1.1")
    document = Document(io.BytesIO(writers.docx(readable)))
    [picture] = document.inline_shapes
    assert 7 < round(picture.height.inches, 2) <= 7.8  # scaled to fit the page
    figure = next(p for p in document.paragraphs if p._p.xpath(".//w:drawing"))
    assert figure.paragraph_format.keep_with_next is True
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Tier 1: Personal Effectiveness Competencies"
    assert headings[-1] == "Tier 9: Management Competencies"


def _notes(framework: Framework) -> list[str]:
    """The first words of each of the framework's tier notes, and of its content note."""
    notes = [tier.note for tier in framework.tiers.all()] + [framework.content_note]
    return [" ".join(note.split()[:8]) for note in notes if note]


@pytest.mark.django_db
def test_a_derived_model_and_its_files_carry_no_transcription_notes(reference):
    source = Framework.objects.get(slug="building-blocks")
    model = derive_framework(actor=UserFactory(), sources=[source], name="Ours")
    readable = document_of(model)

    assert list(Tier.objects.filter(framework=model).values_list("note", flat=True)) == [""] * 9
    assert model.content_note == ""
    text = " ".join(pdf_pages(writers.pdf(readable)))
    word = " ".join(t for _, t in word_text(writers.docx(readable)))
    assert len(_notes(source)) == 10
    assert [note for note in _notes(source) if note in text or note in word] == []


@pytest.mark.django_db
def test_a_reference_model_keeps_its_notes_to_its_pages_not_its_files(client, reference):
    source = Framework.objects.get(slug="building-blocks")
    readable = document_of(source)

    text = " ".join(pdf_pages(writers.pdf(readable)))
    word = " ".join(t for _, t in word_text(writers.docx(readable)))
    assert [note for note in _notes(source) if note in text or note in word] == []
    page = " ".join(client.get("/frameworks/building-blocks/").content.decode().split())
    assert all(note in page for note in _notes(source)[:9])  # the tier notes: page only


@pytest.mark.django_db
def test_a_model_s_own_tier_note_is_printed(db):
    tree = FrameworkTree(
        name="Crew model",
        slug="crew",
        tiers=[TierNode(number=1, name="Base", note="Our crews start here.")],
    )
    save_framework_tree(tree=tree, where="test")
    readable = document_of(Framework.objects.get(slug="crew"))

    assert "Base Foundational Our crews start here." in pdf_pages(writers.pdf(readable))[2]
    assert ("Normal", "Our crews start here.") in word_text(writers.docx(readable))


@pytest.mark.django_db
def test_no_document_prints_the_editors_hint_for_a_missing_definition(ours):
    readable = document_of(ours)
    integrity = readable.tree.tiers[0].competencies[1]
    assert (integrity.name, integrity.definition) == ("Integrity", "")

    text = " ".join(pdf_pages(writers.pdf(readable)))
    word = word_text(writers.docx(readable))
    svg = writers.pyramid_svg_document(readable)
    assert "1.2 Integrity • Reporting defects honestly" in text
    at = word.index(("Heading 2", "1.2 Integrity"))
    assert word[at + 1 : at + 3] == [
        ("Heading 3", "Key behaviors"),
        ("List Bullet", "Reporting defects honestly"),
    ]
    assert [d for d in (text, " ".join(t for _, t in word), svg) if "definition yet" in d] == []


@pytest.mark.django_db
def test_the_png_and_svg_carry_the_model_s_name_source_and_version(reference):
    readable = document_of(Framework.objects.get(slug="building-blocks"))

    root = ET.fromstring(writers.pyramid_svg_document(readable))
    band = svg_texts(root.find(f"{SVG}g[@class='pyramid-caption']"))
    assert band[0] == "Building Blocks Competency Model"
    assert band[1].startswith("Source: U.S. Department of Labor, Employment and Training")
    assert band[-1] == readable.facts.version
    assert band[-1].startswith("2015 · Version 1 of ")
    assert root.find(f"{SVG}title").text == (
        "Building Blocks Competency Model: the competency model pyramid"
    )
    png = Image.open(io.BytesIO(writers.pyramid_png(readable))).convert("L")
    drawn = writers.picture(readable, caption=True)
    assert png.size == drawn.png_size(2000) == (2000, drawn.height * 2)
    title_rows = png.crop((0, 0, 800, 60))
    assert sum(title_rows.histogram()[:100]) > 0  # the name in dark ink, above the pyramid


@pytest.mark.django_db
def test_the_word_file_sets_titles_bold_group_labels_italic_and_keeps_breaks_and_spaces(db):
    behavior = BehaviorNode(title="Gathering information", text="Asks the crew first.")
    competency = CompetencyNode(
        code="1.1", name="Listening", definition="Hears out\tthe crew;\nthen acts. ",
        behaviors=[behavior],
    )  # fmt: skip
    tier = TierNode(number=1, name="Base", competencies=[competency])
    save_framework_tree(tree=FrameworkTree(name="Titled", slug="titled", tiers=[tier]),
                        where="test")  # fmt: skip
    document = Document(io.BytesIO(writers.docx(document_of(Framework.objects.get(slug="titled")))))

    paragraphs = {p.text: p for p in document.paragraphs}
    [title, text] = paragraphs["Gathering information: Asks the crew first."].runs
    assert (title.text, title.bold, text.text, text.bold) == (
        "Gathering information: ",
        True,
        "Asks the crew first.",
        None,
    )
    assert paragraphs["Gathering information: Asks the crew first."].style.name == "List Bullet"
    assert paragraphs["Foundational"].runs[0].italic is True
    cover = paragraphs["Status: Draft"].runs
    assert [(run.text, run.bold) for run in cover] == [("Status: ", True), ("Draft", None)]
    # A tab and a line break as Word's own; a trailing space kept.
    assert "Hears out\tthe crew;\nthen acts. " in paragraphs


# A big model is set in parts, each laid out alone, and joined (core.typesetting).


def outline_titles(reader: PdfReader, items=None) -> list:
    """The bookmarks as nested lists of titles."""
    found = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            found.append(outline_titles(reader, item))
        else:
            found.append(item.title)
    return found


@pytest.mark.django_db
def test_a_model_set_in_parts_reads_as_the_model_set_whole(db, monkeypatch):
    readable = document_of(generated(90, behaviors=3))
    whole = writers.pdf(readable)
    # 25 competencies and key behaviors a part: each tier of ten competencies in two parts.
    monkeypatch.setattr(typeset, "PART_SIZE", 25)
    compiled = []
    compile_pdf = typesetting.compile_pdf
    monkeypatch.setattr(
        typesetting, "compile_pdf", lambda *args: compiled.append(args) or compile_pdf(*args)
    )
    joined = writers.pdf(readable)
    assert len(compiled) == 18 + 1  # and the pages' numbers
    reader = PdfReader(io.BytesIO(joined))

    def text(data: bytes) -> str:
        return re.sub(r" ?Page \d+ of \d+", "", " ".join(pdf_pages(data)))

    assert text(joined) == text(whole)
    pages = pdf_pages(joined)
    assert [re.findall(r"Page \d+ of \d+$", page) for page in pages] == [[]] + [
        [f"Page {n} of {len(pages)}"] for n in range(2, len(pages) + 1)
    ]

    tiers = []
    for number in range(1, 10):
        tiers.append(f"Tier {number}: Tier {number} of the generated model")
        tiers.append([f"{number}.{n} Planning work {number}.{n}" for n in range(1, 11)])
    assert outline_titles(reader) == ["Generated 90", ["The model's pyramid", *tiers]]
    starts = {
        name: reader.get_destination_page_number(destination)
        for name, destination in reader.named_destinations.items()
    }
    assert sorted(starts) == [f"tier-{n}" for n in range(1, 10)]
    for number in range(1, 10):
        assert pages[starts[f"tier-{number}"]].startswith(f"Tier {number}: Tier {number} of")

    # The tags: one document element holding every part's, in reading order, each page's
    # marked content found through the parent tree.
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    headings = [kid["/S"] for kid in tags(reader) if kid.get("/S", "").startswith("/H")]
    assert headings == ["/H1", "/H2"] + ["/H2", *["/H3"] * 10] * 9
    keys = root["/ParentTree"]["/Nums"][::2]
    assert keys == list(range(len(keys))) and root["/ParentTreeNextKey"] == len(keys)
    assert [page["/StructParents"] for page in reader.pages] == list(range(len(pages)))
    assert reader.metadata.title == "Generated 90"
    assert reader.trailer["/Root"]["/Lang"] == "en"


@pytest.mark.parametrize(
    ("tag", "named"),
    [("es-MX", "es-MX"), ("zh-Hant-TW", "zh-TW"), ("fil", "fil"), ("x-private", "en")],
)
def test_the_pdf_names_the_model_s_language_as_typst_can_take_it(tag, named):
    tree = FrameworkTree(name="Modelo", slug="modelo", language=tag)
    facts = Facts(version="Version 1", last_changed="01 May 2025")

    reader = PdfReader(io.BytesIO(writers.pdf(Readable(tree, facts))))

    assert reader.trailer["/Root"]["/Lang"] == named


def shown(tree: FrameworkTree) -> tuple:
    """What a document shows of a tree."""
    return (
        (tree.name, tree.description, tree.language, tree.status, tree.kind, tree.industry),
        [
            (tier.number, tier.name, tier.group, tier.note, [
                (c.code, c.name, c.definition, [(b.title, b.text) for b in c.behaviors])
                for c in tier.competencies
            ])
            for tier in tier_order(tree)
        ],
    )  # fmt: skip


def tier_order(tree: FrameworkTree) -> list[TierNode]:
    return sorted(tree.tiers, key=lambda tier: tier.number)


@pytest.mark.django_db
def test_a_document_reads_the_draft_as_its_tree_without_the_lineage_it_never_shows(reference):
    from cmc.frameworks.selectors import draft_tree

    source = Framework.objects.get(slug="building-blocks")
    model = derive_framework(actor=UserFactory(), sources=[source], name="Ours")
    tree = document_of(model).tree

    whole = draft_tree(model)
    assert shown(tree) == shown(whole)
    assert sum(len(c.behaviors) for tier in whole.tiers for c in tier.competencies) == 67
    assert {c.lineage.origin for tier in whole.tiers for c in tier.competencies} == {"copied"}
    items = [c for tier in tree.tiers for c in tier.competencies]
    items += [b for c in items for b in c.behaviors]
    assert {(item.lineage, str(item.extensions)) for item in items} == {(None, "{}")}
