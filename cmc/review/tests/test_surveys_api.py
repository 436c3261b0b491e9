"""The survey routes of the API: their exact shapes, who may use them, and the respondent's
routes behind a personal link."""

import uuid

import pytest
from django.core import mail

from cmc.review.models import Survey

from .survey_builders import (
    MAY_EDIT,
    ROLES,
    behaviors,
    opened,
    people,
    published,
    survey_state,
    token_of,
)

pytestmark = pytest.mark.django_db
JSON = "application/json"
REFUSED = {"org viewer": 403, "outsider": 404, "anonymous": 401}


@pytest.fixture
def who():
    return people()


def as_(client, who, role):
    if role != "anonymous":
        client.force_login(who[role])
    return client


def test_open_answers_every_invitees_link(client, who, django_capture_on_commit_callbacks):
    published(who)
    client.force_login(who["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/api/v1/frameworks/our-welding/surveys",
            {
                "version": 1, "invite": ["ann@example.org", "Bob@Example.org"],
                "deadline": "2099-05-31", "min_mean_importance": 3.5, "min_share_important": 0.6,
                "groups": {"segment": ["Shipyards", "Pipelines"], "role": ["Employer", "Worker"]},
            },
            content_type=JSON,
        )  # fmt: skip
    assert answer.status_code == 201
    body = answer.json()
    survey = Survey.objects.get()
    assert set(body) == {
        "id", "framework", "version", "opened_at", "opened_by", "deadline", "closed_at",
        "closed_by", "min_mean_importance", "min_share_important", "groups", "employer_roles",
        "invitations",
    }  # fmt: skip
    assert body["id"] == survey.pk
    assert (body["framework"], body["version"], body["opened_by"]) == ("our-welding", 1, "olga")
    assert body["deadline"] == "2099-05-31T23:59:59Z"
    assert body["groups"] == {"segment": ["Shipyards", "Pipelines"], "role": ["Employer", "Worker"]}
    assert body["employer_roles"] == ["Employer"]
    assert [i["email"] for i in body["invitations"]] == ["ann@example.org", "bob@example.org"]
    link = body["invitations"][0]["link"]
    assert link.startswith("http://127.0.0.1:8000/surveys/respond/")
    assert client.get(f"/api/v1/survey-responses/{token_of(link)}").status_code == 200
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_a_survey(client, who, role):
    published(who)
    before = survey_state()
    answer = as_(client, who, role).post(
        "/api/v1/frameworks/our-welding/surveys",
        {"version": 1, "invite": ["ann@example.org"]},
        content_type=JSON,
    )
    if role in MAY_EDIT:
        assert answer.status_code == 201
    else:
        assert answer.status_code == REFUSED[role]
        assert survey_state() == before
        assert mail.outbox == []


def test_open_bad_input_is_422_naming_each_problem(client, who):
    published(who)
    client.force_login(who["owner"])
    answer = client.post(
        "/api/v1/frameworks/our-welding/surveys",
        {"version": 2, "invite": ["nobody"]},
        content_type=JSON,
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {
            "where": "survey",
            "field": "version",
            "message": "Our Welding has no published version 2",
        },
        {"where": "survey", "field": "invite", "message": "'nobody' is not an email address"},
    ]
    assert Survey.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_who_may_list_surveys(client, who, role):
    opened(who)
    answer = as_(client, who, role).get("/api/v1/frameworks/our-welding/surveys")
    if role in MAY_EDIT:
        assert answer.status_code == 200
        (only,) = answer.json()
        assert (only["invited"], only["answered"], only["submitted"]) == (3, 0, 0)
    else:
        assert answer.status_code == {"org viewer": 403, "outsider": 404, "anonymous": 404}[role]


def put(client, token, body, **query):
    url = f"/api/v1/survey-responses/{token}"
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.put(url, body, content_type=JSON)


def test_a_respondent_reads_and_saves_their_response(client, who):
    framework, survey, tokens = opened(who)
    token = tokens["ann@example.org"]
    first, second = behaviors(survey)[:2]
    got = client.get(f"/api/v1/survey-responses/{token}")
    assert got.status_code == 200
    body = got.json()
    assert set(body) == {"survey", "group", "ratings"}
    assert (body["group"], body["ratings"]) == ({}, [])
    assert body["survey"]["open"] is True and body["survey"]["message"] == ""
    assert body["survey"]["groups"]["role"] == {
        "label": "Role", "choices": ["Employer", "Worker", "Educator or trainer", "Other"],
    }  # fmt: skip
    assert body["survey"]["behaviors"][0] == {
        "identifier": str(first), "tier": 1, "competency_code": "1.1", "competency": "Teamwork",
        "title": "", "text": "Sharing tools with the crew",
    }  # fmt: skip
    saved = put(
        client, token,
        {"group": {"role": "Employer"}, "ratings": [
            {"behavior": str(first), "importance": 4, "frequency": 2, "needed_at_entry": True},
            {"behavior": str(second), "importance": 5, "frequency": 5, "needed_at_entry": False},
        ]},
    )  # fmt: skip
    assert saved.status_code == 200
    assert saved.json()["group"] == {"role": "Employer"}
    assert saved.json()["ratings"] == [
        {"behavior": str(first), "importance": 4, "frequency": 2, "needed_at_entry": True},
        {"behavior": str(second), "importance": 5, "frequency": 5, "needed_at_entry": False},
    ]
    again = put(
        client, token, {"group": {}, "ratings": [{"behavior": str(first), "importance": 1}]}
    )
    assert again.json()["group"] == {}
    assert [r["importance"] for r in again.json()["ratings"]] == [5, 1]
    final = put(client, token, {"group": {"role": "Worker"}, "ratings": []}, submit="true")
    assert final.status_code == 200
    assert final.json()["survey"]["open"] is False
    replay = put(client, token, {"group": {}, "ratings": []})
    assert replay.status_code == 409
    assert replay.json() == {
        "detail": "You submitted your answers already; thank you. They can't be changed now.",
        "errors": [],
    }


def test_the_response_body_has_exactly_the_documented_shape(client, who):
    framework, survey, tokens = opened(who)
    token = tokens["ann@example.org"]
    first = str(behaviors(survey)[0])
    extra = put(client, token, {"group": {}, "ratings": [], "name": "Ann"})
    assert extra.status_code == 422
    out_of_scale = put(client, token, {"ratings": [{"behavior": first, "importance": 9}]})
    assert out_of_scale.status_code == 422
    assert out_of_scale.json()["errors"] == [
        {"where": "body", "field": "payload.ratings.0.importance",
         "message": "Input should be less than or equal to 5"},
    ]  # fmt: skip
    unknown = put(client, token, {"ratings": [{"behavior": str(uuid.uuid4())}]})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["message"] == "is not a key behavior of this survey"
    assert survey_state()["responses"] == []


@pytest.mark.parametrize("token", ["wrong", "A" * 43])
def test_a_wrong_token_is_404(client, who, token):
    opened(who)
    for answer in (client.get(f"/api/v1/survey-responses/{token}"), put(client, token, {})):
        assert answer.status_code == 404
        assert answer.json()["detail"].startswith("This survey link is not valid")


def test_results_have_the_documented_shape(client, who):
    framework, survey, tokens = opened(who)
    first = behaviors(survey)[0]
    for email, score, role in [("ann", 3, "Employer"), ("bob", 4, "Employer"), ("cy", 5, "Worker")]:
        put(client, tokens[f"{email}@example.org"],
            {"group": {"role": role}, "ratings": [{"behavior": str(first), "importance": score}]})  # fmt: skip
    client.force_login(who["org editor"])
    answer = client.get(f"/api/v1/surveys/{survey.pk}/results")
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {
        "survey", "framework", "version", "closed", "respondents", "filters", "thresholds",
        "behaviors", "competencies",
    }  # fmt: skip
    assert (body["respondents"], body["closed"]) == (3, False)
    item = body["behaviors"][0]
    assert item == {
        "identifier": str(first), "label": "Sharing tools with the crew", "tier": 1,
        "competency_code": "1.1", "n": 3, "mean": 4.0, "sd": 1.0, "ci95": [1.5159, 6.4841],
        "share_important": 0.6667, "frequency": {"n": 0, "mean": None},
        "needed_at_entry": None, "distribution": [0, 0, 1, 1, 1],
        "by_group": {
            "region": {"groups": [
                {"choice": c, "n": 0, "mean": None} for c in ["Northeast", "Midwest", "South", "West"]
            ], "kruskal_p": None, "max_gap": None},
            "role": {"groups": [
                {"choice": "Employer", "n": 2, "mean": 3.5}, {"choice": "Worker", "n": 1, "mean": 5.0},
                {"choice": "Educator or trainer", "n": 0, "mean": None},
                {"choice": "Other", "n": 0, "mean": None},
            ], "kruskal_p": 0.2207, "max_gap": 1.5},
        },
        "flagged": False, "reasons": [],
    }  # fmt: skip
    assert body["competencies"][0]["label"] == "Teamwork"
    assert "flagged" not in body["competencies"][0]
    workers = client.get(f"/api/v1/surveys/{survey.pk}/results?role=Worker").json()
    assert (workers["respondents"], workers["filters"]) == (1, {"role": "Worker"})


@pytest.mark.parametrize("role", ROLES)
def test_who_may_read_results(client, who, role):
    framework, survey, tokens = opened(who)
    answer = as_(client, who, role).get(f"/api/v1/surveys/{survey.pk}/results")
    expected = 200 if role in MAY_EDIT else {"org viewer": 403, "outsider": 404, "anonymous": 404}
    assert answer.status_code == (expected if role in MAY_EDIT else expected[role])


@pytest.mark.parametrize("role", ROLES)
def test_who_may_close(client, who, role):
    framework, survey, tokens = opened(who)
    before = survey_state()
    answer = as_(client, who, role).post(f"/api/v1/surveys/{survey.pk}/close")
    if role in MAY_EDIT:
        assert answer.status_code == 200
        assert answer.json()["closed_by"] == who[role].username
        assert answer.json()["closed_at"] is not None
    else:
        assert answer.status_code == REFUSED[role]
        assert survey_state() == before


def test_closing_twice_is_409_and_links_say_closed(client, who):
    framework, survey, tokens = opened(who)
    client.force_login(who["owner"])
    assert client.post(f"/api/v1/surveys/{survey.pk}/close").status_code == 200
    again = client.post(f"/api/v1/surveys/{survey.pk}/close")
    assert again.status_code == 409
    assert again.json()["detail"].startswith("This survey was closed already, on ")
    client.logout()
    token = tokens["ann@example.org"]
    got = client.get(f"/api/v1/survey-responses/{token}").json()["survey"]
    assert got["open"] is False
    assert got["message"].endswith("; it takes no more answers.")
    assert put(client, token, {"group": {}, "ratings": []}).status_code == 409


@pytest.mark.parametrize("count", [1, 3])
def test_listing_surveys_costs_the_same_queries_however_many(
    client, who, count, django_assert_num_queries
):
    framework, survey, tokens = opened(who)
    for _ in range(count - 1):
        opened(who, framework=framework)
    client.force_login(who["owner"])
    # session, user, the framework, the right to edit, the surveys with their counts
    with django_assert_num_queries(5):
        answer = client.get("/api/v1/frameworks/our-welding/surveys")
    assert len(answer.json()) == count
