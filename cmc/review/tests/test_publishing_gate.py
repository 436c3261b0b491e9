"""A model's designated approvers gate every door that publishes it: the versions page, the
API, `cmc publish`, and publishing through the process. A model without approvers publishes
as before. A refusal writes nothing and says why."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cmc.accounts.services import create_api_token
from cmc.core.errors import Conflict
from cmc.frameworks import publishing
from cmc.frameworks.models import Framework, FrameworkVersion, StatusChange
from cmc.frameworks.services import publish_version, update_competency
from cmc.review.models import Publication
from cmc.review.services import process

from .conftest import competency

pytestmark = pytest.mark.django_db

WAITING = (
    "This model has designated approvers: 2 of 2 have not approved the current draft "
    "(waiting for ed, vic)."
)


@pytest.fixture
def gated(ours, who):
    """Our Welding with two designated approvers, neither of whom has approved yet."""
    process.designate_approver(framework=ours, actor=who["owner"], username="vic")
    process.designate_approver(framework=ours, actor=who["owner"], username="ed")
    return ours


def versions(framework) -> list[int]:
    return list(
        FrameworkVersion.objects.filter(framework=framework)
        .order_by("number")
        .values_list("number", flat=True)
    )


def approve_all(framework, who) -> None:
    process.approve(framework=framework, actor=who["org viewer"])
    process.approve(framework=framework, actor=who["org editor"])


def test_the_review_app_registers_its_check_and_its_record():
    assert publishing._checks["approvals"].check is process.check_approvals
    assert publishing._after["publication"].run is process.record_publication


def test_the_service_refuses_until_every_approver_approved_the_current_draft(gated, who):
    with pytest.raises(Conflict) as error:
        publish_version(framework=gated, actor=who["owner"], note="early")
    assert str(error.value) == WAITING
    process.approve(framework=gated, actor=who["org viewer"])
    with pytest.raises(Conflict) as error:
        publish_version(framework=gated, actor=who["owner"])
    assert str(error.value) == (
        "This model has designated approvers: 1 of 2 has not approved the current draft "
        "(waiting for ed)."
    )
    process.approve(framework=gated, actor=who["org editor"])
    item = competency(gated, "1.2")
    update_competency(
        actor=who["owner"], competency=item, name="Honesty", definition="", revision=item.revision
    )
    with pytest.raises(Conflict) as error:
        publish_version(framework=gated, actor=who["owner"])
    assert str(error.value) == (
        "This model has designated approvers: 2 of 2 have not approved the current draft "
        "(the draft changed since ed, vic approved it)."
    )
    assert versions(gated) == [1]
    approve_all(gated, who)
    version = publish_version(framework=gated, actor=who["owner"])
    assert version.number == 2
    # Published outside the process page, recorded as from it (see test_publication_doors).
    assert Publication.objects.get().version == version


def test_a_model_without_approvers_publishes_as_before(ours, who):
    assert publish_version(framework=ours, actor=who["org editor"]).number == 2


# The versions page


def test_the_versions_page_shows_the_refusal_beside_the_form(client, gated, who):
    client.force_login(who["owner"])
    response = client.post(f"/frameworks/{gated.slug}/versions/publish", {"note": "Spring cut"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "The version was not published" in page
    assert WAITING in page
    assert ">Spring cut</textarea>" in page
    assert versions(gated) == [1]


def test_the_versions_page_publishes_once_approved(client, gated, who):
    approve_all(gated, who)
    client.force_login(who["org editor"])
    response = client.post(f"/frameworks/{gated.slug}/versions/publish", {"note": "Approved"})
    assert response.status_code == 302
    assert versions(gated) == [1, 2]


# The API


def bearer(user) -> dict:
    _, raw = create_api_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_api_answers_409_with_the_reason(client, gated, who):
    response = client.post(
        f"/api/v1/frameworks/{gated.slug}/versions",
        {"note": "x"},
        content_type="application/json",
        **bearer(who["owner"]),
    )
    assert response.status_code == 409
    assert response.json()["detail"] == WAITING
    assert versions(gated) == [1]
    approve_all(gated, who)
    response = client.post(
        f"/api/v1/frameworks/{gated.slug}/versions",
        {"note": "x"},
        content_type="application/json",
        **bearer(who["owner"]),
    )
    assert (response.status_code, response.json()["number"]) == (201, 2)


# The command line


def test_the_command_prints_one_line_and_changes_nothing(gated, who):
    before = Framework.objects.get(pk=gated.pk).status
    for args in (["--as", "olga"], [], ["--status", "approved"]):
        err = StringIO()
        with pytest.raises(CommandError) as error:
            call_command("publish", gated.slug, *args, stdout=StringIO(), stderr=err)
        assert str(error.value) == WAITING
        assert err.getvalue() == ""
    # The status given with --status moves only with a publication that goes through.
    assert Framework.objects.get(pk=gated.pk).status == before
    assert StatusChange.objects.filter(framework=gated).count() == 0
    assert versions(gated) == [1]


def test_the_command_publishes_once_approved_and_moves_the_status_with_it(gated, who):
    approve_all(gated, who)
    out = StringIO()
    call_command("publish", gated.slug, "--status", "approved", "--as", "olga", stdout=out)
    assert out.getvalue() == "Published Our Welding version 2 (approved)\n"
    assert FrameworkVersion.objects.get(framework=gated, number=2).status == "approved"


# Publishing through the process goes through the same check


def test_the_process_publish_uses_the_same_check(gated, who):
    with pytest.raises(Conflict) as error:
        process.publish(framework=gated, actor=who["owner"])
    assert str(error.value) == WAITING
    approve_all(gated, who)
    publication = process.publish(framework=gated, actor=who["owner"])
    assert publication.version.number == 2
    assert Publication.objects.get() == publication
