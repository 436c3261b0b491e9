"""Refinement: the editor resolves a closed round's proposals item by item; accepted and
merged changes reach the draft through the frameworks app's edits, every resolution is
recorded; the round's report lists it all as PDF and XLSX."""

import io
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from cmc.core.errors import Conflict, InvalidInput
from cmc.frameworks.models import KeyBehavior, LeftOut, Origin
from cmc.frameworks.tests.builders import state
from cmc.review import reports
from cmc.review.models import Resolution
from cmc.review.selectors import rounds as selectors
from cmc.review.services import refinement
from cmc.review.services import rounds as services

from .conftest import behavior, competency, tier_id

pytestmark = pytest.mark.django_db
SHARING = "Sharing tools with the crew"


@pytest.fixture
def proposed(opened, ours, who):
    """Ann and Bo both edit the first behavior, Bo wants the second removed, Ann adds a
    competency to tier 1 and keeps 1.2; then the round is closed."""
    ann = selectors.reviewer_by_token(opened.tokens["ann@example.org"])
    bo = selectors.reviewer_by_token(opened.tokens["bo@example.org"])
    first = behavior(ours, SHARING).identifier
    second = behavior(ours, "Asking for help early").identifier
    p = {
        "ann edit": services.save_proposal(reviewer=ann, item=first, action="edit", text="Sharing tools and PPE with the crew"),
        "bo edit": services.save_proposal(reviewer=bo, item=first, action="edit", text="Sharing tools with the whole crew", comment="clearer"),
        "bo remove": services.save_proposal(reviewer=bo, item=second, action="remove", comment="covered by 1.1"),
        "ann add": services.save_proposal(reviewer=ann, item=tier_id(ours, 1), action="add", title="Safety", text="Working safely on site."),
        "ann keep": services.save_proposal(reviewer=ann, item=competency(ours, "1.2").identifier, action="keep"),
    }  # fmt: skip
    services.close_round(review_round=opened.round, actor=who["owner"])
    opened.round.refresh_from_db()
    return p


def test_proposals_side_by_side_with_counts(opened, proposed):
    groups = selectors.proposals_by_item(opened.round)
    assert [(g.item.ref, g.counts) for g in groups] == [
        ("Tier 1", {"keep": 0, "edit": 0, "remove": 0, "add": 1}),
        ("1.1 behavior 1", {"keep": 0, "edit": 2, "remove": 0, "add": 0}),
        ("1.1 behavior 2", {"keep": 0, "edit": 0, "remove": 1, "add": 0}),
        ("1.2", {"keep": 1, "edit": 0, "remove": 0, "add": 0}),
    ]


def test_accepting_applies_the_edit_to_the_draft_and_records_it(opened, proposed, ours, who):
    resolution = refinement.resolve(
        review_round=opened.round, actor=who["org editor"], decision="accepted",
        proposals=[proposed["bo edit"].identifier],
    )  # fmt: skip
    changed = KeyBehavior.objects.get(identifier=proposed["bo edit"].item_identifier)
    assert (changed.text, changed.origin) == ("Sharing tools with the whole crew", Origin.EDITED)
    assert (resolution.decision, resolution.resolved_by, resolution.applied_identifier) == (
        "accepted", who["org editor"], changed.identifier,
    )  # fmt: skip
    assert list(resolution.proposals.all()) == [proposed["bo edit"]]


def test_merging_several_edits_into_one_text(opened, proposed, who):
    refinement.resolve(
        review_round=opened.round, actor=who["owner"], decision="merged",
        proposals=[proposed["ann edit"].identifier, proposed["bo edit"].identifier],
        text="Sharing tools and PPE with the whole crew",
    )  # fmt: skip
    item = KeyBehavior.objects.get(identifier=proposed["ann edit"].item_identifier)
    assert item.text == "Sharing tools and PPE with the whole crew"
    assert Resolution.objects.get().proposals.count() == 2


def test_accepting_a_removal_and_an_addition(opened, proposed, ours, who):
    refinement.resolve(
        review_round=opened.round,
        actor=who["owner"],
        decision="accepted",
        proposals=[proposed["bo remove"].identifier],
    )
    refinement.resolve(
        review_round=opened.round,
        actor=who["owner"],
        decision="accepted",
        proposals=[proposed["ann add"].identifier],
    )
    assert list(LeftOut.objects.filter(framework=ours).values_list("label", flat=True)) == [
        "Asking for help early"
    ]
    added = ours.competencies.get(name="Safety")
    assert (added.code, added.definition, added.origin) == (
        "1.3",
        "Working safely on site.",
        "added",
    )
    assert Resolution.objects.get(action="add").applied_identifier == added.identifier


def test_rejecting_needs_a_reason_and_changes_nothing(opened, proposed, ours, who):
    before = state(ours)
    with pytest.raises(InvalidInput) as error:
        refinement.resolve(
            review_round=opened.round,
            actor=who["owner"],
            decision="rejected",
            proposals=[proposed["bo remove"].identifier],
        )
    assert str(error.value.problems[0]) == "resolution, reason: say why the proposal is rejected"
    rejected = refinement.resolve(
        review_round=opened.round, actor=who["owner"], decision="rejected",
        proposals=[proposed["bo remove"].identifier], reason="Employers asked for it",
    )  # fmt: skip
    assert rejected.reason == "Employers asked for it"
    assert state(ours) == before


def test_a_proposal_is_resolved_once(opened, proposed, who):
    one = [proposed["bo remove"].identifier]
    refinement.resolve(
        review_round=opened.round,
        actor=who["owner"],
        decision="rejected",
        proposals=one,
        reason="no",
    )
    with pytest.raises(Conflict):
        refinement.resolve(
            review_round=opened.round, actor=who["owner"], decision="accepted", proposals=one
        )
    assert Resolution.objects.count() == 1


def test_an_open_round_is_not_resolved(ours, who, opened):
    ann = selectors.reviewer_by_token(opened.tokens["ann@example.org"])
    mark = services.save_proposal(
        reviewer=ann, item=behavior(ours, SHARING).identifier, action="remove"
    )
    with pytest.raises(Conflict) as error:
        refinement.resolve(
            review_round=opened.round,
            actor=who["owner"],
            decision="accepted",
            proposals=[mark.identifier],
        )
    assert str(error.value).startswith("Close the round before resolving its proposals")


@pytest.mark.parametrize("role", ["org viewer", "outsider", "anonymous"])
def test_only_editors_resolve_and_nothing_changes_when_refused(opened, proposed, ours, who, role):
    before = state(ours)
    with pytest.raises(PermissionDenied):
        refinement.resolve(
            review_round=opened.round,
            actor=who[role],
            decision="accepted",
            proposals=[proposed["bo edit"].identifier],
        )
    assert state(ours) == before
    assert Resolution.objects.count() == 0


def test_merging_needs_two_proposals_of_one_item(opened, proposed, who):
    with pytest.raises(InvalidInput) as error:
        refinement.resolve(
            review_round=opened.round, actor=who["owner"], decision="merged",
            proposals=[proposed["ann edit"].identifier, proposed["bo remove"].identifier], text="x",
        )  # fmt: skip
    assert error.value.problems[0].message == "are about different items; resolve each item apart"


def test_the_report_as_a_workbook_lists_every_proposal_and_resolution(opened, proposed, who):
    refinement.resolve(
        review_round=opened.round,
        actor=who["owner"],
        decision="accepted",
        proposals=[proposed["bo edit"].identifier],
    )
    refinement.resolve(
        review_round=opened.round,
        actor=who["owner"],
        decision="rejected",
        proposals=[proposed["ann edit"].identifier],
        reason="Bo's is clearer",
    )
    book = load_workbook(io.BytesIO(reports.xlsx(opened.round)))
    assert book.sheetnames == ["Summary", "Proposals"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert (summary["Model"], summary["Reviewers invited"], summary["Reviewers who responded"]) == (
        "Our Welding",
        2,
        2,
    )
    assert summary["Resolutions: accepted"] == 1
    rows = list(book["Proposals"].iter_rows(values_only=True))
    assert rows[0][:9] == (
        "Item",
        "Kind",
        "Text under review",
        "Keep",
        "Edit",
        "Remove",
        "Add",
        "Reviewer",
        "Proposal",
    )
    edits = [r for r in rows[1:] if r[0] == "1.1 behavior 1"]
    assert [(r[7], r[10], r[12], r[14]) for r in edits] == [
        ("Reviewer 1", "Sharing tools and PPE with the crew", "Rejected", "Bo's is clearer"),
        ("Reviewer 2", "Sharing tools with the whole crew", "Accepted", None),
    ]
    assert len(rows) == 6


def test_the_report_as_a_pdf(opened, proposed, tmp_path):
    data = reports.pdf(opened.round)
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        (tmp_path / "r.pdf").write_bytes(data)
        text = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True
        ).stdout
        assert "Spring review" in text and "Our Welding" in text
        assert "Sharing tools with the whole crew" in text
        assert "2 of 2 invited responded" in text
