"""Aligning a statement on a competency's page and through the API: who may, what is saved,
what is refused (nothing changed), and removing an alignment."""

import pytest

from cmc.core.actors import SYSTEM
from cmc.frameworks import statements
from cmc.frameworks.models import Alignment, Competency, KeyBehavior
from cmc.frameworks.services import align
from cmc.frameworks.statements import Statement, StatementSource

pytestmark = pytest.mark.django_db

SKILLS = [
    Statement("testskills", "s1", "Weld pipes", url="https://example.org/s1", kind="skill"),
    Statement("testskills", "s2", "Read blueprints", kind="skill"),
]
PEOPLE = ["owner", "org editor", "org viewer", "outsider", "anonymous"]
EDITORS = {"owner", "org editor"}
# What a page answers those who may not change the model: a viewer may see it (403), an
# outsider may not (404), and the anonymous visitor is asked to sign in.
REFUSED = {"org viewer": 403, "outsider": 404, "anonymous": 302}


@pytest.fixture(autouse=True)
def source():
    statements.register(
        StatementSource(
            scheme="testskills",
            label="Test skills",
            search=lambda q, limit: [s for s in SKILLS if q.lower() in s.text.lower()][:limit],
            find=lambda code: next((s for s in SKILLS if s.code == code), None),
        )
    )
    yield
    statements._sources.pop("testskills")


def _client(client, who, role):
    if role != "anonymous":
        client.force_login(who[role])
    return client


def _links():
    return list(
        Alignment.objects.values_list("scheme", "code", "text", "strength", "competency__code")
    )


def _competency(framework) -> Competency:
    return Competency.objects.get(framework=framework, code="1.1")


@pytest.mark.parametrize("role", PEOPLE)
def test_the_align_page_is_for_editors(client, who, ours, role):
    response = _client(client, who, role).get(f"/frameworks/{ours.slug}/competencies/1.1/align")
    expected = {
        "owner": 200,
        "org editor": 200,
        "org viewer": 403,
        "outsider": 404,
        "anonymous": 302,
    }
    assert response.status_code == expected[role]
    if role in EDITORS:
        assert "<h1>Align a statement to" in response.content.decode()


def test_searching_lists_statements_with_and_without_htmx(client, who, ours):
    client.force_login(who["owner"])
    url = f"/frameworks/{ours.slug}/competencies/1.1/align"
    page = client.get(url, {"scheme": "testskills", "q": "weld"}).content.decode()
    assert '<input type="radio" name="code" id="statement-1" value="s1" checked required>' in page
    partial = client.get(url, {"scheme": "testskills", "q": "blue"}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<h1>" not in body and "Read blueprints" in body and "Weld pipes" not in body


@pytest.mark.parametrize("role", PEOPLE)
def test_saving_an_alignment_on_the_page(client, who, ours, role):
    behavior = KeyBehavior.objects.filter(competency=_competency(ours)).order_by("position")[1]
    response = _client(client, who, role).post(
        f"/frameworks/{ours.slug}/competencies/1.1/align",
        {
            "scheme": "testskills",
            "code": "s1",
            "target": str(behavior.identifier),
            "strength": "exact",
        },
    )
    if role in EDITORS:
        assert response.status_code == 302
        (link,) = Alignment.objects.all()
        assert (link.code, link.text, link.url, link.behavior, link.strength, link.made_by) == (
            "s1", "Weld pipes", "https://example.org/s1", behavior, "exact", who[role]
        )  # fmt: skip
    else:
        assert response.status_code == REFUSED[role]
        assert Alignment.objects.count() == 0


def test_an_unknown_statement_is_refused_on_the_page(client, who, ours):
    client.force_login(who["owner"])
    response = client.post(
        f"/frameworks/{ours.slug}/competencies/1.1/align",
        {"scheme": "testskills", "code": "nope", "strength": "major"},
    )
    assert response.status_code == 422
    assert "code: Test skills has no statement &#x27;nope&#x27;" in response.content.decode()
    assert Alignment.objects.count() == 0


@pytest.mark.parametrize("role", PEOPLE)
def test_removing_an_alignment_on_the_page(client, who, ours, role):
    link = align(
        actor=who["owner"],
        framework=ours,
        competency=_competency(ours),
        scheme="testskills",
        code="s2",
    )
    response = _client(client, who, role).post(
        f"/frameworks/{ours.slug}/alignments/{link.identifier}/remove"
    )
    if role in EDITORS:
        assert response.status_code == 302
        assert Alignment.objects.count() == 0
    else:
        assert response.status_code == REFUSED[role]
        assert Alignment.objects.count() == 1


def test_the_competency_page_offers_aligning_and_removing_to_editors_only(client, who, ours):
    align(
        actor=who["owner"],
        framework=ours,
        competency=_competency(ours),
        scheme="testskills",
        code="s2",
        text="Read blueprints",
    )
    client.force_login(who["org editor"])
    page = client.get(f"/frameworks/{ours.slug}/competencies/1.1/").content.decode()
    assert "Align a statement</a>" in page and ">Remove<span" in page
    client.force_login(who["org viewer"])
    page = client.get(f"/frameworks/{ours.slug}/competencies/1.1/").content.decode()
    assert "Align a statement</a>" not in page and ">Remove<span" not in page
    assert "Read blueprints" in page


@pytest.mark.parametrize("role", PEOPLE)
def test_the_api_aligns_for_editors_only(client, who, ours, role):
    response = _client(client, who, role).post(
        f"/api/v1/frameworks/{ours.slug}/alignments",
        {"scheme": "testskills", "code": "s1", "competency": "1.1", "strength": "minor"},
        content_type="application/json",
    )
    expected = {
        "owner": 201,
        "org editor": 201,
        "org viewer": 403,
        "outsider": 404,
        "anonymous": 401,
    }
    assert response.status_code == expected[role]
    if role in EDITORS:
        body = response.json()
        assert (body["code"], body["text"], body["competency"], body["strength"]) == (
            "s1", "Weld pipes", "1.1", "minor"
        )  # fmt: skip
        assert _links() == [("testskills", "s1", "Weld pipes", "minor", "1.1")]
    else:
        assert _links() == []


def test_the_api_names_the_wrong_field(client, who, ours):
    client.force_login(who["owner"])
    response = client.post(
        f"/api/v1/frameworks/{ours.slug}/alignments",
        {"scheme": "testskills", "code": "s1", "competency": "9.9"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "where": "alignment",
            "field": "competency",
            "message": "no competency '9.9' in this framework",
        }
    ]
    wrong = client.post(
        f"/api/v1/frameworks/{ours.slug}/alignments",
        {"scheme": "testskills", "code": "s1", "competency": "1.1", "strength": "huge"},
        content_type="application/json",
    )
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.json()["errors"]] == ["payload.strength"]
    assert _links() == []


def test_the_api_lists_by_scheme_and_competency(client, who, ours):
    align(
        actor=who["owner"],
        framework=ours,
        competency=_competency(ours),
        scheme="testskills",
        code="s1",
    )
    align(
        actor=who["owner"],
        framework=ours,
        competency=Competency.objects.get(framework=ours, code="1.2"),
        scheme="onet",
        code="2.A.1.a",
    )
    client.force_login(who["org viewer"])
    every = client.get(f"/api/v1/frameworks/{ours.slug}/alignments").json()
    assert [(a["scheme"], a["competency"]) for a in every] == [
        ("testskills", "1.1"),
        ("onet", "1.2"),
    ]
    only = client.get(f"/api/v1/frameworks/{ours.slug}/alignments", {"competency": "1.2"}).json()
    assert [a["code"] for a in only] == ["2.A.1.a"]
    assert (
        client.get(f"/api/v1/frameworks/{ours.slug}/alignments", {"scheme": "onet"}).json()[0][
            "code"
        ]
        == "2.A.1.a"
    )
    client.logout()
    assert client.get(f"/api/v1/frameworks/{ours.slug}/alignments").status_code == 404


@pytest.mark.parametrize("role", PEOPLE)
def test_the_api_removes_for_editors_only(client, who, ours, role):
    link = align(
        actor=who["owner"],
        framework=ours,
        competency=_competency(ours),
        scheme="testskills",
        code="s1",
    )
    response = _client(client, who, role).delete(f"/api/v1/alignments/{link.identifier}")
    expected = {
        "owner": 204,
        "org editor": 204,
        "org viewer": 403,
        "outsider": 404,
        "anonymous": 401,
    }
    assert response.status_code == expected[role]
    assert Alignment.objects.count() == (0 if role in EDITORS else 1)


def test_a_models_alignments_download_as_csv_and_xlsx(client, who, ours):
    import io

    from openpyxl import load_workbook

    behavior = KeyBehavior.objects.filter(competency=_competency(ours)).order_by("position")[0]
    align(
        actor=who["owner"],
        framework=ours,
        competency=_competency(ours),
        scheme="testskills",
        code="s1",
        text="=Weld pipes",
    )
    align(
        actor=SYSTEM,
        framework=ours,
        behavior=behavior,
        scheme="onet",
        code="2.A.1.a",
        text="Reading",
        strength="exact",
        score=0.5,
        method="similarity",
    )
    client.force_login(who["org viewer"])
    response = client.get(f"/frameworks/{ours.slug}/alignments.csv")
    assert response["Content-Disposition"] == f'attachment; filename="{ours.slug}-alignments.csv"'
    lines = response.content.decode("utf-8-sig").splitlines()
    assert (
        lines[0]
        == "tier,competency code,competency,key behavior,scheme,statement code,statement,url,strength,score,made by,identifier"
    )
    assert lines[1].startswith("1,1.1,Teamwork,,testskills,s1,'=Weld pipes,,major,,olga,")
    assert lines[2].startswith("1,1.1,Teamwork,1,onet,2.A.1.a,Reading,,exact,0.50,similarity,")
    book = load_workbook(io.BytesIO(client.get(f"/frameworks/{ours.slug}/alignments.xlsx").content))
    cells = [[c.value for c in row] for row in book.active.iter_rows()]
    assert cells[1][:7] == ["1", "1.1", "Teamwork", None, "testskills", "s1", "=Weld pipes"]
    assert book.active["G2"].data_type == "s"
    client.logout()
    assert client.get(f"/frameworks/{ours.slug}/alignments.csv").status_code == 404
    client.force_login(who["owner"])
    assert client.get(f"/frameworks/{ours.slug}/alignments.pdf").status_code == 404
