"""Every page and API route of lattices, and who may do what: owner, organization editor,
organization viewer, outsider and anonymous; nothing changes when a write is refused."""

import json

import pytest

from cmc.core.actors import SYSTEM
from cmc.ladders import documents, selectors
from cmc.ladders.models import Lattice

ROLES = ["owner", "editor", "viewer", "outsider", "anonymous"]


def state() -> list:
    return [documents.to_document(selectors.lattice_view(lat, reader=SYSTEM)) | {"visibility": lat.visibility} for lat in Lattice.objects.order_by("pk")]  # fmt: skip


def as_(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])
    return client


# ---------------------------------------------------------------------------------------- pages


@pytest.mark.parametrize("role, status", list(zip(ROLES, [200, 200, 200, 404, 404], strict=True)))
@pytest.mark.parametrize("path", ["/lattices/shop-floor/", "/lattices/shop-floor/paths/?from=helper&to=programmer", "/lattices/shop-floor/download.svg"])  # fmt: skip
def test_reading_pages(client, small, people, role, status, path):
    assert as_(client, people, role).get(path).status_code == status


def test_the_lattice_page_shows_the_diagram_the_list_and_wages(client, small, people):
    page = as_(client, people, "viewer").get("/lattices/shop-floor/").content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert '<li id="position-machinist" tabindex="-1">' in page
    assert '<a href="/occupations/51-4041.00/">51-4041.00</a>' in page
    assert "$58,750 a year, $28.24 an hour <small>(BLS OEWS May 2025)</small>" in page
    assert "<strong>Lateral move</strong> to <a href=\"#position-inspector\">Inspectors, Testers, Sorters, Samplers, and Weighers</a>, typically 2 months" in page  # fmt: skip
    assert "Build this lattice" not in page


def test_the_routes_page(client, small, people):
    page = as_(client, people, "owner").get("/lattices/shop-floor/paths/?from=helper&to=programmer").content.decode()  # fmt: skip
    assert "<h2>4 routes from Shop helper to Computer Numerically Controlled Tool Programmers</h2>" in page  # fmt: skip
    assert "Route 1: typically 14 months, 3 moves" in page
    refused = client.get("/lattices/shop-floor/paths/?from=helper&to=welder")
    assert refused.status_code == 422
    assert "The lattice &#x27;shop-floor&#x27; has no position &#x27;welder&#x27;." in refused.content.decode()  # fmt: skip


@pytest.mark.parametrize("fmt, kind", [("json", "application/json"), ("png", "image/png"), ("pdf", "application/pdf")])  # fmt: skip
def test_downloads(client, small, people, fmt, kind):
    answer = as_(client, people, "owner").get(f"/lattices/shop-floor/download.{fmt}")
    assert (answer.status_code, answer["Content-Type"]) == (200, kind)
    assert answer["Content-Disposition"] == f'attachment; filename="shop-floor.{fmt}"'
    assert client.get("/lattices/shop-floor/download.docx").status_code == 404


def test_the_list_page_and_creating_a_lattice(client, small, people):
    assert "Shop floor" in as_(client, people, "viewer").get("/lattices/").content.decode()
    client.logout()
    assert "Shop floor" not in client.get("/lattices/").content.decode()
    assert (
        client.post("/lattices/", {"name": "Mine"})["Location"]
        == "/accounts/login/?next=/lattices/"
    )
    as_(client, people, "outsider")
    refused = client.post("/lattices/", {"name": "", "visibility": "private"})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert '<li><a href="#lattice-name">Name: is empty; fill it in</a></li>' in page
    assert '<p class="error" id="lattice-name-error"><span class="visually-hidden">Error:</span> is empty; fill it in</p>' in page  # fmt: skip
    made = client.post("/lattices/", {"name": "Mine", "visibility": "private"})
    assert made["Location"] == "/lattices/mine/build/"
    assert Lattice.objects.get(slug="mine").owner == people["outsider"]


PAGE_WRITES = [
    ("/lattices/shop-floor/build/", {"name": "Renamed"}),
    ("/lattices/shop-floor/build/positions/", {"title": "Welder", "level": "1", "track": "Production"}),
    ("/lattices/shop-floor/build/positions/helper/", {"title": "Helper", "level": "1", "track": "Production"}),
    ("/lattices/shop-floor/build/positions/helper/remove/", {}),
    ("/lattices/shop-floor/build/moves/", {"from": "programmer", "to": "helper", "kind": "lateral", "experiences-0-kind": "training", "experiences-0-text": "Back", "experiences-0-months": "1"}),
    ("/lattices/shop-floor/build/moves/{move}/", {"kind": "lateral", "experiences-0-kind": "training", "experiences-0-text": "Course", "experiences-0-months": "2"}),
    ("/lattices/shop-floor/build/moves/{move}/remove/", {}),
]  # fmt: skip


@pytest.mark.parametrize("role, status", list(zip(ROLES, [302, 302, 403, 404, 302], strict=True)))
@pytest.mark.parametrize("path, data", PAGE_WRITES)
def test_writing_pages(client, small, people, role, status, path, data):
    move = small.transitions.get(source__key="helper", target__key="machinist").pk
    before = state()
    answer = as_(client, people, role).post(path.format(move=move), data)
    assert answer.status_code == status
    if role == "anonymous":
        assert answer["Location"].startswith("/accounts/login/")
    if status != 302 or role == "anonymous":
        assert state() == before
    else:
        assert state() != before
        assert answer["Location"].startswith("/lattices/shop-floor/build/#")


@pytest.mark.parametrize("role, status", list(zip(ROLES, [200, 200, 403, 404, 302], strict=True)))
def test_the_build_page(client, small, people, role, status):
    answer = as_(client, people, role).get("/lattices/shop-floor/build/?q=machinist")
    assert answer.status_code == status
    if status == 200:
        page = answer.content.decode()
        assert '<li>51-4041.00 Machinists · <a href="?occupation=51-4041.00#add-position"' in page
        assert 'hx-post="/lattices/shop-floor/build/positions/"' in page
        assert ("Delete Shop floor" in page) is (role == "owner")


@pytest.mark.parametrize("role, status", list(zip(ROLES, [302, 403, 403, 404, 302], strict=True)))
def test_only_managers_delete(client, small, people, role, status):
    answer = as_(client, people, role).post("/lattices/shop-floor/delete/")
    assert answer.status_code == status
    assert Lattice.objects.filter(slug="shop-floor").exists() is (role != "owner")


def test_a_refused_position_is_shown_beside_its_fields_and_htmx_gets_the_page(
    client, small, people
):
    as_(client, people, "editor")
    data = {"occupation": "99-9999.00", "level": "0", "track": "Production"}
    plain = client.post("/lattices/shop-floor/build/positions/", data)
    assert plain.status_code == 422
    page = plain.content.decode()
    assert '<li><a href="#add-position-occupation">O*NET-SOC occupation code: No occupation has the code &#x27;99-9999.00&#x27;.</a></li>' in page  # fmt: skip
    assert '<p class="error" id="add-position-level-error"><span class="visually-hidden">Error:</span> 0 is not between 1 and 20</p>' in page  # fmt: skip
    swapped = client.post("/lattices/shop-floor/build/positions/", data, HTTP_HX_REQUEST="true")
    assert (
        swapped.status_code == 200 and 'id="add-position-level-error"' in swapped.content.decode()
    )
    added = client.post("/lattices/shop-floor/build/positions/", {"title": "Welder", "level": "1", "track": "Production"}, HTTP_HX_REQUEST="true")  # fmt: skip
    assert added.status_code == 200 and 'id="position-welder"' in added.content.decode()


def test_a_refused_move_names_the_experience_row_it_came_from(client, small, people):
    as_(client, people, "owner")
    data = {"from": "helper", "to": "programmer", "kind": "promotion",
            "experiences-0-kind": "training", "experiences-0-text": "", "experiences-0-months": "",
            "experiences-1-kind": "training", "experiences-1-text": "Course", "experiences-1-months": "lots"}  # fmt: skip
    page = client.post("/lattices/shop-floor/build/moves/", data).content.decode()
    assert '<li><a href="#add-move-experiences-1-months">Experience 2: typical months: &#x27;lots&#x27; is not a whole number from 0 to 600</a></li>' in page  # fmt: skip


# ------------------------------------------------------------------------------------------ API


@pytest.mark.parametrize("role, status", list(zip(ROLES, [200, 200, 200, 404, 404], strict=True)))
def test_api_reads(client, small, people, role, status):
    as_(client, people, role)
    assert client.get("/api/v1/lattices/shop-floor").status_code == status
    assert client.get("/api/v1/lattices/shop-floor/paths?from=helper&to=programmer").status_code == status  # fmt: skip
    listed = [item["slug"] for item in client.get("/api/v1/lattices").json()]
    assert listed == (["shop-floor"] if status == 200 else [])


def test_api_lattice_has_positions_with_wages_and_moves_with_experiences(client, small, people):
    body = as_(client, people, "owner").get("/api/v1/lattices/shop-floor").json()
    machinist = next(p for p in body["positions"] if p["key"] == "machinist")
    assert machinist["wages"] == {
        "annual_median": 58750, "hourly_median": "28.24",
        "source": "U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics (OEWS), BLS OEWS May 2025",
    }  # fmt: skip
    assert machinist["credentials"] == ["NIMS Machining Level I"]
    assert body["transitions"][0] == {
        "id": body["transitions"][0]["id"], "from": "helper", "to": "machinist", "kind": "promotion", "months": 18,
        "experiences": [{"kind": "training", "text": "Machining course", "months": 6}, {"kind": "work_experience", "text": "Machine operation", "months": 12}],
    }  # fmt: skip
    assert body["tracks"] == ["Production", "Quality"]


def test_api_paths(client, small, people):
    body = as_(client, people, "owner").get("/api/v1/lattices/shop-floor/paths?from=helper&to=programmer").json()  # fmt: skip
    assert [(r["months"], [s["position"] for s in r["steps"]]) for r in body["routes"]] == [
        (14, ["helper", "inspector", "machinist", "programmer"]),
        (25, ["helper", "machinist", "programmer"]),
        (27, ["helper", "inspector", "programmer"]),
        (44, ["helper", "machinist", "inspector", "programmer"]),
    ]
    assert body["routes"][1]["steps"][1]["annual_median"] == 58750
    missing = client.get("/api/v1/lattices/shop-floor/paths?from=helper&to=welder")
    assert (missing.status_code, missing.json()["detail"]) == (404, "The lattice 'shop-floor' has no position 'welder'.")  # fmt: skip


def test_api_export(client, small, people):
    answer = as_(client, people, "viewer").get("/api/v1/lattices/shop-floor/export?format=json")
    assert answer.status_code == 200 and answer.json()["format"] == "cmc-lattice"


API_WRITES = [
    ("patch", "/api/v1/lattices/shop-floor", {"name": "Renamed"}, 200),
    ("post", "/api/v1/lattices/shop-floor/positions", {"title": "Welder", "level": 1}, 201),
    ("patch", "/api/v1/lattices/shop-floor/positions/helper", {"level": 2}, 200),
    ("delete", "/api/v1/lattices/shop-floor/positions/helper", None, 204),
    ("post", "/api/v1/lattices/shop-floor/transitions", {"from": "programmer", "to": "helper", "kind": "lateral"}, 201),
    ("patch", "/api/v1/lattices/shop-floor/transitions/{move}", {"kind": "lateral"}, 200),
    ("delete", "/api/v1/lattices/shop-floor/transitions/{move}", None, 204),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, path, body, done", API_WRITES)
def test_api_writes(client, small, people, role, method, path, body, done):
    move = small.transitions.get(source__key="helper", target__key="machinist").pk
    before = state()
    as_(client, people, role)
    kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}  # fmt: skip
    answer = getattr(client, method)(path.format(move=move), **kwargs)
    expected = {"owner": done, "editor": done, "viewer": 403, "outsider": 404, "anonymous": 401}[
        role
    ]
    assert answer.status_code == expected
    assert (state() == before) is (expected >= 400)


@pytest.mark.parametrize("role, status", list(zip(ROLES, [204, 403, 403, 404, 401], strict=True)))
def test_api_delete_is_for_managers(client, small, people, role, status):
    assert as_(client, people, role).delete("/api/v1/lattices/shop-floor").status_code == status
    assert Lattice.objects.filter(slug="shop-floor").exists() is (status != 204)


def test_api_create_and_422_naming_the_field(client, people):
    as_(client, people, "owner")
    made = client.post("/api/v1/lattices", data=json.dumps({"name": "Plant", "visibility": "organization", "organization": "works"}), content_type="application/json")  # fmt: skip
    assert made.status_code == 201 and made.json()["visibility"] == "organization"
    bad = client.post("/api/v1/lattices/plant/positions", data=json.dumps({"title": "", "level": 0}), content_type="application/json")  # fmt: skip
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"where": "position", "field": "title", "message": "is empty; give a job title or choose an occupation"},
        {"where": "position", "field": "level", "message": "0 is not between 1 and 20"},
    ]  # fmt: skip
    unknown = client.post("/api/v1/lattices", data=json.dumps({"name": "X", "colour": "red"}), content_type="application/json")  # fmt: skip
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "payload.colour"
    assert client.post("/api/v1/lattices", data=json.dumps({"name": "Y"}), content_type="application/json").status_code == 201  # fmt: skip
    client.logout()
    assert client.post("/api/v1/lattices", data=json.dumps({"name": "Z"}), content_type="application/json").status_code == 401  # fmt: skip
    assert sorted(Lattice.objects.values_list("slug", flat=True)) == ["plant", "y"]
