"""The PDF of a model, set by Typst from the template `frameworks/print.typ`: a cover, the
pyramid, then tier by tier (each from a new page) the competencies, their definitions and key
behaviors; tagged for screen readers, a bookmark per heading, numbered pages.

The model goes to Typst as data (JSON), never as markup. A big model is set in parts of about
PART_SIZE competencies and key behaviors, whole tiers where they fit, each laid out alone and
joined after (core.typesetting): the memory a model of 30,000 key behaviors takes is a part's,
not the whole's."""

import json
import re
from functools import cache
from pathlib import Path

from cmc.core import typesetting
from cmc.core.pictures import ModelPyramid

from ..trees import TierNode, default_group
from .facts import Readable
from .figures import figure_caption, fitted, picture

TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "frameworks" / "print.typ"
# Competencies and key behaviors set in one part: some 70 pages, about 100 MiB to lay out.
PART_SIZE = 2000
# The largest the pyramid is drawn on a page, (width, height) in centimetres: what a Letter
# page holds inside its margins with the figure's heading and caption.
FIGURE_CM = (17.5, 19.5)
FOOTER = typesetting.Footer(words="Page {page} of {pages}", skip=1)


@cache
def _template() -> bytes:
    return TEMPLATE.read_bytes()


def pdf(document: Readable) -> bytes:
    """The model's PDF (see the module's docstring)."""
    return typesetting.typeset(_template(), _parts(document), footer=FOOTER)


def _parts(document: Readable):
    """The inputs of each part in reading order: the first has the cover and the pyramid."""
    tree = document.tree
    first = {"cover": _cover(document)}
    inputs = {}
    if tree.tiers:
        drawn = picture(document, caption=False)
        first["figure"] = _figure(drawn, alt=f"The pyramid of {tree.name}: {drawn.description}")
        inputs["pyramid"] = str(drawn.svg)
    every = {"title": tree.name, **_language(tree.language)}
    for number, tiers in enumerate(_sliced(document.tiers()) if tree.tiers else [[]]):
        part = {**(first if number == 0 else {}), **every, "tiers": tiers}
        yield {**inputs, "part": json.dumps(part)}


def _language(tag: str) -> dict:
    """Typst's language and region of a BCP 47 tag ("es-MX": es, MX), which the PDF names as
    its language; Typst takes only a code of two or three letters, and a tag without one
    reads as English."""
    subtags = tag.replace("_", "-").split("-")
    language = subtags[0].lower() if re.fullmatch(r"[A-Za-z]{2,3}", subtags[0]) else "en"
    region = next((s.upper() for s in subtags[1:] if re.fullmatch(r"[A-Za-z]{2}", s)), None)
    return {"lang": language, "region": region}


def _cover(document: Readable) -> dict:
    tree = document.tree
    return {
        "name": tree.name,
        "subtitle": document.subtitle,
        "description": tree.description,
        "lines": document.cover(),
    }


def _sliced(tiers: list[tuple[TierNode, str]]):
    """The tiers cut into parts of about PART_SIZE competencies and key behaviors: a tier
    starts a new part where it would not fit in what is left of this one, and a tier bigger
    than a part is cut between competencies."""
    part: list[dict] = []
    size = 0
    for tier, note in tiers:
        weight = sum(1 + len(c.behaviors) for c in tier.competencies)
        if part and size + weight > PART_SIZE:
            yield part
            part, size = [], 0
        piece = _piece(tier, note, heading=True)
        part.append(piece)
        for competency in tier.competencies:
            weight = 1 + len(competency.behaviors)
            if size + weight > PART_SIZE and size:
                yield part
                piece = _piece(tier, note, heading=False)
                part, size = [piece], 0
            piece["competencies"].append(_competency(competency))
            size += weight
    if part:
        yield part


def _piece(tier: TierNode, note: str, *, heading: bool) -> dict:
    return {
        "number": tier.number,
        "title": f"Tier {tier.number}: {tier.name}",
        "group": tier.group or default_group(tier.number),
        "group_label": tier.group_label,
        "note": note,
        "heading": heading,
        "competencies": [],
    }


def _competency(competency) -> dict:
    return {
        "code": competency.code,
        "name": competency.name,
        "definition": competency.definition,
        "behaviors": [(behavior.title, behavior.text) for behavior in competency.behaviors],
    }


def _figure(drawn: ModelPyramid, *, alt: str) -> dict:
    """The pyramid as the PDF shows it: its size on the page (cm), its alternative text and
    caption, and a link laid over each "more" block to its tier (where the block is, in
    percent of the picture)."""

    def share(value: float, whole: float) -> float:
        return round(value * 100 / whole, 3)

    links = [
        {
            "number": more.number,
            "words": f"Tier {more.number}: {more.more} more competencies",
            "left": share(more.x, drawn.width),
            "top": share(more.y, drawn.height),
            "width": share(more.width, drawn.width),
            "height": share(more.height, drawn.height),
        }
        for more in drawn.more
    ]
    width, height = fitted(drawn, FIGURE_CM)
    caption = figure_caption(drawn) + (" Each “more” block links to its tier." if links else "")
    return {
        "width": width,
        "height": height,
        "alt": alt,
        "caption": caption,
        "links": links,
    }
