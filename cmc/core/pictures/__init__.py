"""Pictures drawn on the server as SVG, accessible (title, description, focusable links)."""

from .model_pyramid import ModelPyramid, PyramidBlock, PyramidRow, model_pyramid, model_pyramid_svg
from .pyramid import PyramidTier, escape, pyramid_svg

__all__ = [
    "ModelPyramid",
    "PyramidBlock",
    "PyramidRow",
    "PyramidTier",
    "escape",
    "model_pyramid",
    "model_pyramid_svg",
    "pyramid_svg",
]
