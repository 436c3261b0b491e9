"""The model's pyramid as the documents show it: drawn bounded whatever the model's size (see
core.pictures.model_pyramid), scaled to fit a page, with its caption."""

from cmc.core.pictures import ModelPyramid, model_pyramid

from ..selectors.trees import pyramid_rows
from .facts import Readable

CAPTION = "The model's pyramid: tier 1 at the base, one block per competency."
CROWDED = (
    " A tier with more competencies than the picture holds shows its first ones and how many"
    " more it has; every competency is listed below."
)


def picture(document: Readable, *, caption: bool, links: bool = False, site: str = ""):
    """The model's pyramid; with `caption`, the model's name, source and version drawn above it
    (for a picture read on its own)."""
    tree = document.tree
    lines = (tree.name, document.source_line, document.facts.version) if caption else ()
    return model_pyramid(tree.name, pyramid_rows(tree, site=site), links=links, caption=lines)


def fitted(drawn: ModelPyramid, box: tuple[float, float]) -> tuple[float, float]:
    """The picture's size scaled to fit `box` (width, height), keeping its proportions."""
    scale = min(box[0] / drawn.width, box[1] / drawn.height)
    return round(drawn.width * scale, 2), round(drawn.height * scale, 2)


def figure_caption(drawn: ModelPyramid) -> str:
    return CAPTION + (CROWDED if drawn.left_out else "")
