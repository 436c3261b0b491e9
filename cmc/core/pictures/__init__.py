"""Pictures drawn on the server as SVG, accessible (title, description, focusable links)."""

from .model_pyramid import (
    ModelPyramid,
    MoreBlock,
    PyramidBlock,
    PyramidRow,
    model_pyramid,
    model_pyramid_svg,
)
from .pyramid import escape

__all__ = [
    "ModelPyramid",
    "MoreBlock",
    "PyramidBlock",
    "PyramidRow",
    "escape",
    "model_pyramid",
    "model_pyramid_svg",
]
