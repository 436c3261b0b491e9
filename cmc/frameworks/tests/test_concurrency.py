"""Adds that race: many people adding to the same tier, or to the same competency, at the same
moment each get a code and a position of their own (never a 500 from a taken one).

The requests run in threads, each with its own database connection, in tests that commit
(`transaction=True`), as concurrent requests on several app servers would."""

import threading

import pytest
from django.db import connection
from django.db.models import Min
from django.test import Client

from cmc.accounts.services import create_api_token
from cmc.factories import UserFactory
from cmc.frameworks.models import Competency, Framework
from cmc.frameworks.services import editing
from cmc.frameworks.tests.builders import state, welding

pytestmark = pytest.mark.django_db(transaction=True)
threaded = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the SQLite test database is one in memory, shared by every connection with table "
    "locks that do not wait; a SQLite file serializes writers on its own",
)

N = 20
JSON = "application/json"


def at_once(send) -> list[tuple[int, dict]]:
    """N requests sent at the same moment, each from its own thread and connection: their
    statuses and answers."""
    start = threading.Barrier(N)
    answers: list = [None] * N

    def run(i: int) -> None:
        try:
            start.wait(timeout=60)
            response = send(Client(raise_request_exception=False), i)
            answers[i] = (response.status_code, response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


@pytest.fixture
def model():
    owner = UserFactory(username="olga")
    framework = welding(owner)
    token = create_api_token(user=owner, name="tests")[1]
    return framework, {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@threaded
def test_concurrent_competencies_added_to_one_tier_each_get_their_own_code(model):
    framework, auth = model

    answers = at_once(
        lambda client, i: client.post(
            f"/api/v1/frameworks/{framework.slug}/tiers/1/competencies",
            {"name": f"Added {i}"},
            content_type=JSON,
            **auth,
        )
    )

    assert sorted(status for status, _ in answers) == [201] * N
    rows = Competency.objects.filter(framework=framework, tier__number=1).order_by("position")
    codes = [f"1.{n}" for n in range(3, N + 3)]
    assert list(rows.values_list("code", "position")) == [
        ("1.1", 1),
        ("1.2", 2),
        *[(code, n) for n, code in enumerate(codes, start=3)],
    ]
    added = rows.filter(code__in=codes)
    assert sorted(added.values_list("name", flat=True)) == sorted(f"Added {i}" for i in range(N))
    assert {answer["identifier"] for _, answer in answers} == {
        str(identifier) for identifier in added.values_list("identifier", flat=True)
    }


@threaded
def test_concurrent_behaviors_added_to_one_competency_each_get_their_own_position(model):
    framework, auth = model
    teamwork = Competency.objects.get(framework=framework, code="1.1")

    answers = at_once(
        lambda client, i: client.post(
            f"/api/v1/competencies/{teamwork.identifier}/behaviors",
            {"text": f"Added {i}"},
            content_type=JSON,
            **auth,
        )
    )

    assert sorted(status for status, _ in answers) == [201] * N
    behaviors = teamwork.behaviors.order_by("position")
    assert list(behaviors.values_list("position", flat=True)) == list(range(1, N + 3))
    assert list(behaviors.values_list("text", flat=True)[:2]) == [
        "Sharing tools with the crew",
        "Asking for help early",
    ]
    assert sorted(behaviors.values_list("text", flat=True)[2:]) == sorted(
        f"Added {i}" for i in range(N)
    )
    assert {answer["identifier"] for _, answer in answers} == {
        str(identifier) for identifier in behaviors.values_list("identifier", flat=True)[2:]
    }
    assert Framework.objects.get(pk=framework.pk).name == "Welding Model"


@pytest.mark.parametrize("what", ["competency", "behavior"])
def test_a_code_or_position_taken_by_a_write_without_the_lock_is_a_409(model, monkeypatch, what):
    """A whole-model import takes no lock of the builder's: should it take the code or the
    position an add chose, the add is refused, whole, as a conflict."""
    framework, auth = model
    teamwork = Competency.objects.get(framework=framework, code="1.1")
    if what == "competency":
        monkeypatch.setattr(editing, "Max", Min)  # so the new one takes position 2 again
        path = f"/api/v1/frameworks/{framework.slug}/tiers/1/competencies"
        body, where = {"name": "Added"}, "Tier 1"
    else:
        monkeypatch.setattr(editing, "_next_position", lambda competency: 2)
        path, body = f"/api/v1/competencies/{teamwork.identifier}/behaviors", {"text": "Added"}
        where = "Competency 1.1"
    before = state(framework)

    response = Client().post(path, body, content_type=JSON, **auth)

    assert (response.status_code, response.json()) == (
        409,
        {"detail": f"{where} changed as you added to it; reload it and add again.", "errors": []},
    )
    assert state(framework) == before
