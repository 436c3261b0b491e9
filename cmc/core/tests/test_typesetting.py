"""A document set by Typst in parts and joined: one document to read, whatever the parts, with
its bookmarks nested by the headings' levels, links across parts, its pages numbered, and its
tags whole."""

import io
import json

import pikepdf
from pypdf import PdfReader

from cmc.core import typesetting

# Each part's headings and paragraphs come as JSON; a link to `#name` may name a label of
# another part.
SOURCE = b"""
#set page(paper: "a6")
#set text(lang: "en")
#set document(title: "Joined")
#for (kind, words) in json(bytes(sys.inputs.part)) {
  if kind == "link" { link("#" + words)[Go to #words] }
  else if kind == "label" { [#heading(level: 2, words) #label(words)] }
  else if kind == "p" { par(words) }
  else { heading(level: int(kind), words) }
}
"""


def parts(*pieces) -> list[dict[str, str]]:
    return [{"part": json.dumps(piece)} for piece in pieces]


def test_parts_join_into_one_document_read_in_order():
    data = typesetting.typeset(
        SOURCE,
        parts(
            [["1", "Book"], ["link", "second"], ["label", "first"], ["3", "One a"]],
            # Starts inside the section "first": its heading goes under it.
            [["3", "One b"], ["p", "Words of one b."], ["label", "second"]],
            [["3", "Two a"], ["1", "Appendix"]],
        ),
        footer=typesetting.Footer(words="{page}/{pages}", paper="a6", skip=0),
    )
    reader = PdfReader(io.BytesIO(data))

    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert pages == [
        "Book Go to second first One a 1/3",
        "One b Words of one b. second 2/3",
        "Two a Appendix 3/3",
    ]

    def titles(items):
        return [titles(item) if isinstance(item, list) else item.title for item in items]

    assert titles(reader.outline) == [
        "Book",
        ["first", ["One a", "One b"], "second", ["Two a"]],
        "Appendix",
    ]
    [link] = [annotation.get_object() for annotation in reader.pages[0]["/Annots"]]
    assert link["/Dest"] == "second" and "/A" not in link
    starts = {
        name: reader.get_destination_page_number(destination)
        for name, destination in reader.named_destinations.items()
    }
    assert starts == {"first": 0, "second": 1}

    root = reader.trailer["/Root"]["/StructTreeRoot"]
    [document] = root["/K"]
    kinds = [kid.get_object()["/S"] for kid in document.get_object()["/K"]]
    assert kinds == ["/H1", "/P", "/H2", "/H3", "/H3", "/P", "/H2", "/H3", "/H1"]
    assert [page["/StructParents"] for page in reader.pages] == [1, 2, 3]
    assert reader.metadata.title == "Joined"


def test_a_document_written_to_a_file_is_whole_with_its_words_as_set(tmp_path):
    # A title that reads like a reference to an object, as the joining writes them.
    title = "Costs (see 1 0 R) \\ and more"
    path = tmp_path / "joined.pdf"
    with path.open("wb") as out:
        typesetting.typeset_to(
            out,
            SOURCE,
            parts([["1", title], ["p", "Words."]], [["2", "Next"]]),
            footer=typesetting.Footer(words="{page}/{pages}", paper="a6", skip=1),
        )

    pdf = pikepdf.open(path)
    assert pdf.check_pdf_syntax() == []
    with pdf.open_outline() as outline:
        titles = [(item.title, [kid.title for kid in item.children]) for item in outline.root]
    assert titles == [(title, ["Next"])]
    [document] = pdf.Root.StructTreeRoot.K
    assert [str(kid.get("/T", "")) for kid in document.K] == [title, "", "Next"]
    with pdf.open_metadata() as metadata:
        assert metadata["{http://ns.adobe.com/xap/1.0/t/pg/}NPages"] == "2"
    reader = PdfReader(path)
    assert [" ".join(page.extract_text().split()) for page in reader.pages] == [
        f"{title} Words.",  # the first page, a cover, has no number
        "Next 2/2",
    ]
