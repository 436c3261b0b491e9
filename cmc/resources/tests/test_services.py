import pytest
from django.core.exceptions import PermissionDenied
from django.utils.html import escape

from cmc.core.actors import SYSTEM
from cmc.core.errors import InvalidInput, Problem
from cmc.factories import UserFactory
from cmc.frameworks.models import Alignment
from cmc.resources import selectors, services
from cmc.resources.cleaning import AlignmentRef
from cmc.resources.models import Resource
from cmc.resources.vocab import SUBMISSIONS_PER_HOUR

from .conftest import resource_input


def test_a_submission_waits_for_moderation_with_its_tags_and_alignment(welding, owner):
    resource = services.submit_resource(actor=owner, data=resource_input())
    assert (resource.status, resource.submitted_by, resource.decided_by) == ("pending", owner, None)
    assert selectors.tags_of(resource) == {
        "industry": ["Advanced Manufacturing"],
        "state": ["OR", "WA"],
        "use": [],
    }
    link = Alignment.objects.get(scheme="resource", code=resource.identifier)
    assert (link.framework.slug, link.tier.number, link.competency.code) == ("welding", 1, "1.1")
    assert link.text == "Welding safety course"
    assert link.url == f"http://127.0.0.1:8000/resources/{resource.identifier}/"
    assert link.made_by == owner


def test_every_bad_field_is_named_and_nothing_is_written(welding, owner):
    bad = resource_input(
        kind="poster",
        title="",
        url="javascript:alert(1)",
        industries=["Mining"],
        states=["XX"],
        uses=["dancing"],
        date="15/01/2024",
        alignments=[
            AlignmentRef("nowhere"),
            AlignmentRef("welding", 7),
            AlignmentRef("welding", 2, "1.1"),
        ],
    )
    with pytest.raises(InvalidInput) as caught:
        services.submit_resource(actor=owner, data=bad)
    fields = [(p.field, p.message) for p in caught.value.problems]
    assert fields[:5] == [
        ("title", "is required"),
        (
            "kind",
            "'poster' is not a kind (one of: apprenticeship, assessment, curriculum, "
            "skill-standard, training-program, case-study, guide, tool)",
        ),
        ("url", "'javascript:alert(1)' is not a web address (http:// or https://)"),
        ("date", "'15/01/2024' is not a date (YYYY-MM-DD)"),
        ("industries", fields[4][1]),
    ]
    assert fields[4][1].startswith("'Mining' is not an industry of the clearinghouse (one of: ")
    assert fields[5:] == [
        ("states", "'XX' is not a U.S. state code (two letters, such as WA or DC)"),
        ("uses", fields[6][1]),
        ("alignments", "no framework 'nowhere'"),
        ("alignments", "the framework 'welding' has no tier 7"),
        ("alignments", "tier 2 of the framework 'welding' has no competency '1.1'"),
    ]
    assert Resource.objects.count() == 0
    assert Alignment.objects.count() == 0


def test_html_is_stored_as_given_and_escaped_on_the_page(welding, owner, client):
    resource = services.submit_resource(
        actor=owner, data=resource_input(title="<script>alert(1)</script>")
    )
    client.force_login(owner)
    page = client.get(resource.get_absolute_url()).content.decode()
    assert escape("<script>alert(1)</script>") in page
    assert "<script>alert(1)</script>" not in page


def test_anonymous_people_may_not_submit(welding):
    with pytest.raises(PermissionDenied, match="Sign in to submit a resource."):
        services.submit_resource(actor=None, data=resource_input())
    assert Resource.objects.count() == 0


def test_submissions_are_limited_per_person_and_hour(welding, owner):
    for _ in range(SUBMISSIONS_PER_HOUR):
        services.submit_resource(actor=owner, data=resource_input(alignments=[]))
    with pytest.raises(InvalidInput) as caught:
        services.submit_resource(actor=owner, data=resource_input(alignments=[]))
    assert caught.value.problems == [
        Problem(
            "resource",
            "submission",
            f"you have submitted {SUBMISSIONS_PER_HOUR} resources "
            "in the last hour, the most allowed; try again later",
        )  # fmt: skip
    ]
    assert Resource.objects.count() == SUBMISSIONS_PER_HOUR


def test_staff_publish_and_reject_with_who_and_when(welding, owner, staff):
    resource = services.submit_resource(actor=owner, data=resource_input())
    with pytest.raises(InvalidInput) as caught:
        services.moderate_resource(actor=staff, resource=resource, decision="rejected")
    assert caught.value.problems == [
        Problem("moderation", "reason", "is required to reject a resource")
    ]
    rejected = services.moderate_resource(
        actor=staff, resource=resource, decision="rejected", reason="The link is broken."
    )
    assert (rejected.status, rejected.reason, rejected.decided_by) == (
        "rejected", "The link is broken.", staff,
    )  # fmt: skip
    assert rejected.decided_at is not None
    assert selectors.submissions_of(user=owner) == [rejected]
    published = services.moderate_resource(actor=staff, resource=resource, decision="published")
    assert (published.status, published.reason) == ("published", "")


@pytest.mark.parametrize("who", ["owner", "outsider", "anonymous"])
def test_only_staff_moderate(welding, owner, who):
    resource = services.submit_resource(actor=owner, data=resource_input())
    actor = {"owner": owner, "outsider": UserFactory(), "anonymous": None}[who]
    with pytest.raises(PermissionDenied, match="Only staff may moderate resources."):
        services.moderate_resource(actor=actor, resource=resource, decision="published")
    resource.refresh_from_db()
    assert (resource.status, resource.decided_by) == ("pending", None)


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_only_the_submitter_or_staff_change_a_resource(welding, owner, who):
    resource = services.submit_resource(actor=owner, data=resource_input())
    actor = {"outsider": UserFactory(), "anonymous": None}[who]
    with pytest.raises(PermissionDenied, match="You may not change this resource."):
        services.update_resource(actor=actor, resource=resource, data=resource_input(title="Mine"))
    resource.refresh_from_db()
    assert resource.title == "Welding safety course"


def test_a_submitters_change_goes_back_to_moderation_and_replaces_alignments(welding, owner, staff):
    resource = services.submit_resource(actor=owner, data=resource_input())
    services.moderate_resource(actor=staff, resource=resource, decision="published")
    changed = services.update_resource(
        actor=owner,
        resource=resource,
        data=resource_input(
            title="Welding safety, second edition", alignments=[AlignmentRef("welding", 2)]
        ),
    )
    assert (changed.title, changed.status, changed.decided_by) == (
        "Welding safety, second edition", "pending", None,
    )  # fmt: skip
    links = Alignment.objects.filter(scheme="resource", code=resource.identifier)
    assert [(a.tier.number, a.competency_id) for a in links] == [(2, None)]


def test_an_import_writes_nothing_when_one_row_is_bad(welding):
    rows = [("f.csv, row 2", resource_input()), ("f.csv, row 3", resource_input(url="ftp://x"))]
    with pytest.raises(InvalidInput) as caught:
        services.import_resources(actor=SYSTEM, rows=rows, publish=True)
    assert caught.value.problems == [
        Problem("f.csv, row 3", "url", "'ftp://x' is not a web address (http:// or https://)")
    ]
    assert Resource.objects.count() == 0
    written = services.import_resources(actor=SYSTEM, rows=rows[:1], publish=True)
    assert [(r.status, r.submitted_by) for r in written] == [("published", None)]


def test_a_change_keeps_the_links_to_frameworks_its_editor_may_not_see(welding, owner, staff):
    from cmc.factories import welding_tree
    from cmc.frameworks.models import Framework
    from cmc.frameworks.services import align, save_framework_tree

    tree = welding_tree()
    tree.slug, tree.name = "private-welding", "Private welding"
    save_framework_tree(tree=tree, where="test", actor=staff, visibility="private")
    resource = services.submit_resource(actor=owner, data=resource_input())
    hidden = Framework.objects.get(slug="private-welding")
    align(actor=SYSTEM, framework=hidden, scheme="resource", code=resource.identifier)

    services.update_resource(
        actor=owner,
        resource=resource,
        data=resource_input(alignments=[AlignmentRef("welding", 2)]),
    )

    links = Alignment.objects.filter(scheme="resource", code=resource.identifier)
    assert sorted((a.framework.slug, a.tier.number if a.tier else None) for a in links) == [
        ("private-welding", None),
        ("welding", 2),
    ]
