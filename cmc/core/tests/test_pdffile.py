"""A PDF written object by object from the objects of another: the same values, renumbered,
strings that read like references left as they are, streams kept encoded, the objects other
than streams packed into object streams."""

import io
import re
import zlib
from decimal import Decimal

import pikepdf
import pytest

from cmc.core import pdffile


def source() -> pikepdf.Pdf:
    """A PDF whose catalog names a dictionary holding every kind of value, a stream, and more
    small objects than one object stream takes."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    data = zlib.compress(b"BT /F1 12 Tf (Hello) Tj ET")
    stream = pdf.make_stream(data)
    stream.Filter = pikepdf.Name.FlateDecode
    many = pikepdf.Array(
        [pdf.make_indirect(pikepdf.Dictionary(N=n)) for n in range(pdffile.PER_OBJECT_STREAM + 5)]
    )
    pdf.Root.Things = pdf.make_indirect(
        pikepdf.Dictionary(
            Said=pikepdf.String("See 3 0 R (or 4 0 R) \\ not a reference"),
            Wide=pikepdf.String("日本 5 0 R"),
            Real=Decimal("56.692913"),
            Yes=True,
            Count=-7,
            Drawn=stream,
            Many=pdf.make_indirect(many),
            Nothing=None,
        )
    )
    return pdf


def written(pdf: pikepdf.Pdf) -> bytes:
    """`pdf` written through pdffile: its catalog as the output's root, the objects it names
    copied after."""
    out = io.BytesIO()
    output = pdffile.Output(out)
    root = output.reserve()
    copy = pdffile.Copy(output, pdf, {})
    output.add(root, copy.body(pdf.Root))
    copy.drain()
    output.finish(root=root)
    return out.getvalue()


def copied(pdf: pikepdf.Pdf) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(written(pdf)))


def test_an_object_copied_has_the_same_values_and_strings_that_read_like_references():
    pdf = copied(source())

    assert pdf.check_pdf_syntax() == []
    things = pdf.Root.Things
    assert str(things.Said) == "See 3 0 R (or 4 0 R) \\ not a reference"
    assert str(things.Wide) == "日本 5 0 R"
    assert (things.Real, things.Yes, things.Count) == (Decimal("56.692913"), True, -7)
    assert "/Nothing" not in things  # a null in a dictionary is no entry
    assert things.Drawn.Filter == pikepdf.Name.FlateDecode
    assert things.Drawn.read_bytes() == b"BT /F1 12 Tf (Hello) Tj ET"
    assert [int(item.N) for item in things.Many] == list(range(pdffile.PER_OBJECT_STREAM + 5))


def test_the_objects_other_than_streams_go_into_object_streams_of_a_bounded_size():
    data = written(source())

    # The catalog, the page tree, the page, the dictionary of things, the array of many and
    # each of many: 210 objects other than streams, in two object streams; the streams (the
    # page's contents, the drawing, the two object streams, the cross-reference) as they are.
    assert re.findall(rb"/Type /ObjStm /N (\d+)", data) == [b"200", b"10"]
    assert data.count(b" obj\n") == 5
    assert data.startswith(b"%PDF-1.7\n") and data.endswith(b"%%EOF\n")


def test_an_object_that_stands_for_another_is_named_and_not_copied():
    pdf = source()
    out = io.BytesIO()
    output = pdffile.Output(out)
    root, elsewhere = output.reserve(), output.reserve()
    copy = pdffile.Copy(output, pdf, {pdf.Root.Things.Many.objgen: elsewhere})

    assert copy.body(pdf.Root.Things).count(b"/Many %d 0 R" % elsewhere) == 1
    copy.drain()
    # Neither the root nor what Many stands for is written here.
    with pytest.raises(ValueError, match=rf"^objects \[{root}, {elsewhere}\] named but not"):
        output.finish(root=root)


def test_a_dictionary_s_entries_as_python_gives_them_are_written_in_pdf_syntax():
    copy = pdffile.Copy(pdffile.Output(io.BytesIO()), pikepdf.new(), {})
    parsed = pikepdf.Object.parse(b"<< /A null /B 2 /C -1.25 /D true /E (x) /F /G >>")

    assert copy.entries(parsed, leave=("/F",)) == b"/A null /B 2 /C -1.25 /D true /E (x)"
