"""The CASE 1.1 provider under /ims/case/v1p1/: what each endpoint answers, to whom, and how it
refuses (imsx_StatusInfo)."""

import uuid

import pytest

from cmc.accounts.services import create_api_token
from cmc.core.actors import SYSTEM
from cmc.factories import UserFactory, welding_tree
from cmc.frameworks.models import Framework
from cmc.frameworks.services import align, save_framework_tree

from .test_case import import_case, rich_package

pytestmark = pytest.mark.django_db
BASE = "/ims/case/v1p1"


def unknown(description: str, minor: str = "unknownobject") -> dict:
    return {
        "imsx_codeMajor": "failure",
        "imsx_severity": "error",
        "imsx_description": description,
        "imsx_codeMinor": {"imsx_codeMinorField": [
            {"imsx_codeMinorFieldName": "sourcedId", "imsx_codeMinorFieldValue": minor}]},
    }  # fmt: skip


@pytest.fixture
def models():
    """A public framework (welding), a private one (secret) owned by olga."""
    owner = UserFactory(username="olga")
    public = save_framework_tree(tree=welding_tree(), where="t", visibility="public").framework
    private = save_framework_tree(
        tree=welding_tree(slug="secret", name="Secret Model"), where="t", actor=owner
    ).framework
    return {"owner": owner, "public": public, "private": private}


def test_documents_lists_public_frameworks_with_paging_and_sorting(client, models):
    save_framework_tree(tree=welding_tree(slug="alpha", name="Alpha Model"), where="t",
                        visibility="public")  # fmt: skip
    response = client.get(f"{BASE}/CFDocuments")
    assert response.status_code == 200
    assert response["X-Total-Count"] == "2"
    assert [d["title"] for d in response.json()["CFDocuments"]] == ["Alpha Model", "Welding Model"]
    page = client.get(f"{BASE}/CFDocuments?limit=1&offset=0&sort=title&orderBy=desc").json()
    assert [d["title"] for d in page["CFDocuments"]] == ["Welding Model"]
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("query", "minor", "description"),
    [
        ("sort=colour", "invalid_sort_field",
         "sort must be one of title, lastChangeDateTime, identifier, creator, version."),
        ("orderBy=up", "invalid_selection_field", "orderBy must be asc or desc."),
        ("limit=0", "invalid_selection_field", "limit must be 1 to 1000 and offset 0 or more."),
        ("offset=x", "invalid_selection_field", "limit and offset must be whole numbers."),
    ],
)  # fmt: skip
def test_bad_selections_are_refused_with_status_info(client, models, query, minor, description):
    response = client.get(f"{BASE}/CFDocuments?{query}")
    assert response.status_code == 400
    assert response.json() == unknown(description, minor)


@pytest.mark.parametrize("who", ["anonymous", "owner", "outsider", "token", "bad token"])
def test_a_private_framework_is_served_only_to_whom_may_see_it(client, models, who):
    identifier = models["private"].identifier
    headers = {}
    if who in ("owner", "outsider"):
        client.force_login(models["owner"] if who == "owner" else UserFactory(username="otto"))
    if who == "token":
        _, secret = create_api_token(user=models["owner"], name="case")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    if who == "bad token":
        headers["HTTP_AUTHORIZATION"] = "Bearer nonsense"
    response = client.get(f"{BASE}/CFPackages/{identifier}", **headers)
    listed = client.get(f"{BASE}/CFDocuments", **headers)
    if who in ("owner", "token"):
        assert response.status_code == 200
        assert response.json()["CFDocument"]["title"] == "Secret Model"
        assert listed.json()["CFDocuments"][0]["title"] == "Secret Model"
        assert "private" in response["Cache-Control"]
    elif who == "bad token":
        assert response.status_code == 401
        assert response.json() == unknown("The bearer token is not valid.", "unauthorisedrequest")
    else:
        assert response.status_code == 404
        assert response.json() == unknown(f"No CASE document with the identifier {identifier}.")
        assert [d["title"] for d in listed.json()["CFDocuments"]] == ["Welding Model"]


def test_a_package_is_served_with_an_etag_and_not_again_when_unchanged(client, models):
    url = f"{BASE}/CFPackages/{models['public'].identifier}"
    first = client.get(url)
    assert first.status_code == 200
    assert len(first.json()["CFItems"]) == 9
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content) == (304, b"")
    teamwork = models["public"].competencies.get(code="1.1")
    align(actor=SYSTEM, framework=models["public"], scheme="onet", code="2.A.1.b",
          competency=teamwork)  # fmt: skip
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert any(a["destinationNodeURI"]["identifier"] == "2.A.1.b"
               for a in changed.json()["CFAssociations"])  # fmt: skip


def test_documents_items_and_associations_by_identifier(client, models):
    framework = models["public"]
    teamwork = framework.competencies.get(code="1.1")
    document = client.get(f"{BASE}/CFDocuments/{framework.identifier}").json()
    assert document["title"] == "Welding Model"
    item = client.get(f"{BASE}/CFItems/{str(teamwork.identifier).upper()}").json()
    assert (item["fullStatement"], item["humanCodingScheme"]) == ("Teamwork", "1.1")
    assert item["CFDocumentURI"] == {"title": "Welding Model", "identifier": str(framework.identifier),
                                     "uri": document["uri"]}  # fmt: skip
    links = client.get(f"{BASE}/CFItemAssociations/{teamwork.identifier}").json()
    assert links["CFItem"]["identifier"] == str(teamwork.identifier)
    assert len(links["CFAssociations"]) == 1 + 2  # its tier, its two key behaviors
    one = links["CFAssociations"][0]
    association = client.get(f"{BASE}/CFAssociations/{one['identifier']}").json()
    assert association["associationType"] == "isChildOf"
    assert association["CFDocumentURI"]["identifier"] == str(framework.identifier)
    types = client.get(f"{BASE}/CFItemTypes/{item['CFItemTypeURI']['identifier']}").json()
    assert [t["title"] for t in types["CFItemTypes"]] == ["Competency"]
    definitions = client.get(f"{BASE}/CFDefinitions/{framework.identifier}").json()
    assert [t["title"] for t in definitions["CFItemTypes"]] == [
        "Tier",
        "Competency",
        "Key behavior",
    ]


def test_definitions_a_package_brought_are_served(client):
    package = rich_package()
    import_case(package, public=True)
    license_id = package["CFDefinitions"]["CFLicenses"][0]["identifier"]
    response = client.get(f"{BASE}/CFLicenses/{license_id}")
    assert response.status_code == 200
    assert response.json() == package["CFDefinitions"]["CFLicenses"][0]


@pytest.mark.parametrize("endpoint", ["CFDocuments", "CFPackages", "CFItems", "CFAssociations",
                                      "CFItemAssociations", "CFItemTypes", "CFConcepts",
                                      "CFSubjects", "CFLicenses", "CFAssociationGroupings",
                                      "CFDefinitions"])  # fmt: skip
def test_unknown_and_malformed_identifiers_are_404_status_info(client, models, endpoint):
    missing = uuid.uuid4()
    response = client.get(f"{BASE}/{endpoint}/{missing}")
    assert response.status_code == 404
    assert (
        response.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]
        == "unknownobject"
    )
    malformed = client.get(f"{BASE}/{endpoint}/not-a-uuid")
    assert malformed.status_code == 404
    assert malformed.json() == unknown("'not-a-uuid' is not a UUID.", "invalid_uuid")


def test_only_reads_are_answered(client, models):
    response = client.post(f"{BASE}/CFDocuments")
    assert response.status_code == 405
    assert client.get(f"{BASE}/CFNothing").json() == unknown("No such CASE endpoint.")
    assert Framework.objects.count() == 2
