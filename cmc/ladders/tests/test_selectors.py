from decimal import Decimal

import pytest
from django.http import Http404

from cmc.core.actors import SYSTEM
from cmc.ladders import selectors
from cmc.ladders.selectors.layout import BOX_H, BOX_W, GAP_X, GAP_Y, LEFT, TOP


def view_of(lattice):
    return selectors.lattice_view(lattice, reader=SYSTEM)


def test_the_view_has_positions_by_level_with_oews_median_wages(small):
    view = view_of(small)
    assert [(p.key, p.level, p.track) for p in view.positions] == [
        ("helper", 1, "Production"),
        ("machinist", 2, "Production"),
        ("inspector", 2, "Quality"),
        ("programmer", 3, "Production"),
    ]
    machinist = view.position("machinist")
    assert (machinist.title, machinist.occupation_title) == ("Machinists", "Machinists")
    assert (machinist.annual_median, machinist.hourly_median) == (58750, Decimal("28.24"))
    assert machinist.wage_text == "$58,750 a year, $28.24 an hour"
    assert view.position("helper").wage_text == "Local job title: no published wage"
    assert view.tracks == ["Production", "Quality"]
    assert view.is_ladder is False
    assert view.wage_release == "BLS OEWS May 2025"


def test_moves_out_carry_their_experiences_and_total_time(small):
    helper = view_of(small).position("helper")
    first = helper.moves_out[0]
    assert (first.target, first.kind, first.months) == ("machinist", "promotion", 18)
    assert [(e.kind_label, e.text, e.months) for e in first.experiences] == [
        ("Training", "Machining course", 6),
        ("Work experience", "Machine operation", 12),
    ]


def test_layout_puts_levels_bottom_to_top_and_tracks_side_by_side(small):
    drawn = selectors.layout(view_of(small))
    boxes = {b.position.key: (b.x, b.y) for b in drawn.boxes}
    row = BOX_H + GAP_Y
    assert boxes == {
        "helper": (LEFT, TOP + 2 * row),
        "machinist": (LEFT, TOP + row),
        "inspector": (LEFT + BOX_W + GAP_X, TOP + row),
        "programmer": (LEFT, TOP),
    }
    assert [name for name, _ in drawn.tracks] == ["Production", "Quality"]
    assert [level for level, _ in drawn.levels] == [1, 2, 3]


def test_positions_sharing_a_level_and_track_sit_side_by_side(small):
    from cmc.ladders import services

    services.add_position(lattice=small, actor=SYSTEM, data={"title": "Setup operator", "level": 2, "track": "Production"})  # fmt: skip
    drawn = selectors.layout(view_of(small))
    boxes = {b.position.key: (b.x, b.y) for b in drawn.boxes}
    assert boxes["setup-operator"] == (LEFT + BOX_W + GAP_X, boxes["machinist"][1])
    assert boxes["inspector"][0] == LEFT + 2 * (BOX_W + GAP_X)  # the Production column widened


def test_promotions_run_up_between_rows_and_lateral_moves_sideways(small):
    drawn = selectors.layout(view_of(small))
    arrows = {a.label: a for a in drawn.arrows}
    up = arrows["Machinists to Computer Numerically Controlled Tool Programmers"]
    assert up.kind == "promotion" and up.y1 > up.y2 and up.y1 - up.y2 == GAP_Y
    side = arrows["Machinists to Inspectors, Testers, Sorters, Samplers, and Weighers"]
    assert side.kind == "lateral" and side.y1 == side.y2 and side.x2 - side.x1 == GAP_X


def test_routes_list_every_simple_path_quickest_first_with_totals(small):
    found = selectors.routes(view_of(small), start="helper", goal="programmer")
    assert found.complete is True
    summary = [
        ([s.position.key for s in r.steps], r.months, r.moves, r.promotions) for r in found.routes
    ]
    assert summary == [
        (["helper", "inspector", "machinist", "programmer"], 14, 3, 2),
        (["helper", "machinist", "programmer"], 25, 2, 2),
        (["helper", "inspector", "programmer"], 27, 2, 2),
        (["helper", "machinist", "inspector", "programmer"], 44, 3, 2),
    ]
    quickest = found.routes[0]
    assert [s.months_so_far for s in quickest.steps] == [0, 3, 7, 14]
    assert [s.annual_median for s in quickest.steps] == [None, 48570, 58750, 68120]
    assert [[e.text for e in s.experiences] for s in quickest.steps] == [
        [],
        ["Measurement"],
        ["Machine operation"],
        ["CNC programming", "NIMS CNC Milling"],
    ]


def test_no_route_back_down_and_unknown_keys_are_404(small):
    assert selectors.routes(view_of(small), start="programmer", goal="helper").routes == []
    with pytest.raises(Http404, match="The lattice 'shop-floor' has no position 'welder'."):
        selectors.routes(view_of(small), start="helper", goal="welder")


def test_routes_are_bounded(small, monkeypatch):
    from cmc.ladders.selectors import paths

    monkeypatch.setattr(paths, "MAX_ROUTES", 2)
    found = selectors.routes(view_of(small), start="helper", goal="programmer")
    assert (len(found.routes), found.complete) == (2, False)


@pytest.mark.parametrize(
    "role, sees", [("owner", True), ("editor", True), ("viewer", True), ("outsider", False), ("anonymous", False)]
)  # fmt: skip
def test_who_sees_a_lattice_shared_with_an_organization(small, people, role, sees):
    user = people[role]
    from django.contrib.auth.models import AnonymousUser

    listed = [lat.slug for lat in selectors.lattice_list(user=user or AnonymousUser())]
    assert listed == (["shop-floor"] if sees else [])


@pytest.mark.parametrize(
    "role, edits, manages",
    [("owner", True, True), ("editor", True, False), ("viewer", False, False), ("outsider", False, False), ("anonymous", False, False)],
)  # fmt: skip
def test_who_may_change_and_manage_it(small, people, role, edits, manages):
    assert selectors.may_edit(lattice=small, actor=people[role]) is edits
    assert selectors.may_manage(lattice=small, actor=people[role]) is manages


@pytest.mark.parametrize(
    "role, found", [("owner", True), ("viewer", True), ("outsider", False), ("anonymous", False)]
)
def test_positions_are_found_by_those_who_may_see_the_lattice(small, people, role, found):
    from cmc.core import search

    results = search.search("machinists", user=people[role], collections=["lattices"])
    hits = [(h.kind, h.title, h.url, h.context) for h in results.hits]
    expected = [("position", "Machinists", "/lattices/shop-floor/#position-machinist", "Shop floor: level 2, Production")]  # fmt: skip
    assert hits == (expected if found else [])


def test_a_deleted_lattice_leaves_no_search_entries(small, people):
    from cmc.core import search
    from cmc.ladders import services

    services.delete_lattice(lattice=small, actor=people["owner"])
    assert search.search("machinists", user=SYSTEM, collections=["lattices"]).hits == []
