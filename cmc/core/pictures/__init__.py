"""Pictures drawn on the server as SVG, accessible (title, description, focusable links)."""

from .pyramid import (
    PyramidBlock,
    PyramidRow,
    PyramidTier,
    escape,
    model_pyramid_svg,
    pyramid_svg,
)

__all__ = [
    "PyramidBlock",
    "PyramidRow",
    "PyramidTier",
    "escape",
    "model_pyramid_svg",
    "pyramid_svg",
]
