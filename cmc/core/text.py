"""Text as documents can hold it."""

import re

# Characters that XML 1.0 (and so XLSX, DOCX and SVG) cannot hold, lone surrogates included.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value) -> str:
    """`value` as text with the characters XML cannot hold turned into spaces."""
    return NOT_IN_XML.sub(" ", "" if value is None else str(value))
