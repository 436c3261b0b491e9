"""Every read of lattices; visibility decided here.

lattices  which lattices a user may see or change; a lattice as plain data with wages
paths     the routes from one position to another
layout    where the diagram's boxes and arrows go
"""

from .lattices import (
    ONET_SOURCE,
    WAGE_SOURCE,
    CompetencyRef,
    Experience,
    LatticeView,
    PositionView,
    TransitionView,
    competency_choices,
    competency_refs,
    editable_lattice,
    find_position,
    find_transition,
    framework_choices,
    lattice_list,
    lattice_view,
    may_edit,
    may_manage,
    organization_choices,
    visible_lattice,
)
from .layout import BOX_H, BOX_W, Arrow, Box, Layout, layout
from .paths import MAX_ROUTES, MAX_STEPS, Route, Routes, Step, routes

__all__ = [
    "BOX_H",
    "BOX_W",
    "ONET_SOURCE",
    "WAGE_SOURCE",
    "MAX_ROUTES",
    "MAX_STEPS",
    "Arrow",
    "Box",
    "CompetencyRef",
    "Experience",
    "LatticeView",
    "Layout",
    "PositionView",
    "Route",
    "Routes",
    "Step",
    "TransitionView",
    "competency_choices",
    "competency_refs",
    "editable_lattice",
    "find_position",
    "find_transition",
    "framework_choices",
    "lattice_list",
    "lattice_view",
    "layout",
    "may_edit",
    "may_manage",
    "organization_choices",
    "routes",
    "visible_lattice",
]
