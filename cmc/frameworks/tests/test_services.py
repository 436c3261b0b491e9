"""save_framework_tree and the other framework services: what they write, report and refuse."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from cmc.accounts.models import Membership
from cmc.core.actors import SYSTEM
from cmc.core.errors import Conflict, InvalidInput, Problem
from cmc.core.models import SearchEntry
from cmc.factories import (
    FrameworkFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    loaded,
    welding_tree,
)
from cmc.frameworks.models import Competency, Framework, KeyBehavior, Tier
from cmc.frameworks.selectors import may_manage, tree_of
from cmc.frameworks.services import (
    create_framework,
    delete_framework,
    save_framework_tree,
    share_framework,
    update_framework,
)
from cmc.frameworks.trees import BehaviorNode, CompetencyNode, TierNode, validate

pytestmark = pytest.mark.django_db


def counts(c) -> tuple[int, int, int, int]:
    """(created, updated, deleted, unchanged)"""
    return (c.created, c.updated, c.deleted, c.unchanged)


def shape(slug: str = "welding") -> list:
    """Every tier, competency and behavior with its place, as plain values."""
    return [
        (
            tier.number,
            tier.position,
            tier.name,
            [
                (
                    c.code,
                    c.position,
                    c.name,
                    [(b.position, b.title, b.text) for b in c.behavior_list],
                )
                for c in tier.competency_list
            ],
        )
        for tier in loaded(slug).tier_list
    ]


def identifiers() -> dict[str, set]:
    return {
        "frameworks": set(Framework.objects.values_list("identifier", flat=True)),
        "tiers": set(Tier.objects.values_list("identifier", flat=True)),
        "competencies": set(Competency.objects.values_list("identifier", flat=True)),
        "behaviors": set(KeyBehavior.objects.values_list("identifier", flat=True)),
    }


def row_counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Framework, Tier, Competency, KeyBehavior, SearchEntry)
    )


WELDING_SHAPE = [
    (
        1,
        1,
        "Personal Effectiveness",
        [
            (
                "1.1",
                1,
                "Teamwork",
                [(1, "", "Sharing tools with the crew"), (2, "Asking", "Asking for help early")],
            ),
            ("1.2", 2, "Integrity", [(1, "", "Reporting defects honestly")]),
        ],
    ),
    (2, 2, "Academic", [("2.1", 1, "Reading", [(1, "", "Reading weld procedure specifications")])]),
]


def test_create_writes_the_tree_and_reports_every_item_as_new():
    report = save_framework_tree(tree=welding_tree(), where="test")

    assert report.created is True
    assert report.changed is True
    assert (counts(report.tiers), counts(report.competencies), counts(report.behaviors)) == (
        (2, 0, 0, 0),
        (3, 0, 0, 0),
        (4, 0, 0, 0),
    )
    assert report.lines() == [
        "Welding Model (welding) was created",
        "  tiers: 2 new, 0 changed, 0 removed, 0 unchanged",
        "  competencies: 3 new, 0 changed, 0 removed, 0 unchanged",
        "  key behaviors: 4 new, 0 changed, 0 removed, 0 unchanged",
    ]
    assert shape() == WELDING_SHAPE
    framework = Framework.objects.get(slug="welding")
    assert (framework.name, framework.kind, framework.industry) == (
        "Welding Model",
        "industry",
        "Manufacturing",
    )
    assert (framework.visibility, framework.owner, framework.is_reference) == (
        "private",
        None,
        False,
    )
    assert list(framework.tiers.values_list("group", flat=True)) == ["foundational", "foundational"]
    # One search entry for the framework, each competency and each behavior.
    assert SearchEntry.objects.filter(collection="frameworks", scope_id=framework.pk).count() == 10


def test_a_framework_without_a_slug_gets_one_from_its_name():
    report = save_framework_tree(tree=welding_tree(slug=""), where="test")

    assert report.framework.slug == "welding-model"


def test_saving_the_same_tree_again_changes_nothing():
    save_framework_tree(tree=welding_tree(), where="test")
    before = identifiers()
    stamp = Framework.objects.get().updated_at

    report = save_framework_tree(tree=welding_tree(), where="test")

    assert (report.created, report.fields_changed, report.changed) == (False, False, False)
    assert (counts(report.tiers), counts(report.competencies), counts(report.behaviors)) == (
        (0, 0, 0, 2),
        (0, 0, 0, 3),
        (0, 0, 0, 4),
    )
    assert report.lines()[0] == "Welding Model (welding) was unchanged"
    assert identifiers() == before
    assert Framework.objects.get().updated_at == stamp
    assert shape() == WELDING_SHAPE


def test_update_in_place_counts_each_kind_of_change_and_keeps_identifiers():
    save_framework_tree(tree=welding_tree(), where="test")
    old = loaded("welding")
    teamwork_id = old.tier_list[0].competency_list[0].identifier
    first_behavior_id = old.tier_list[0].competency_list[0].behavior_list[0].identifier
    tree = welding_tree()  # no identifiers: items are matched by tier number, code and position
    tree.description = "Now with a description."
    teamwork, integrity = tree.tiers[0].competencies
    teamwork.behaviors.pop()  # one behavior removed
    integrity.name = "Honesty"  # one competency renamed
    tree.tiers[1].competencies[0].behaviors[0].text = "Reading drawings"  # one behavior edited
    tree.tiers[1].competencies.append(
        CompetencyNode(code="2.2", name="Writing", behaviors=[BehaviorNode(text="Writing logs")])
    )

    report = save_framework_tree(tree=tree, where="test")

    assert (report.created, report.fields_changed) == (False, True)
    assert (counts(report.tiers), counts(report.competencies), counts(report.behaviors)) == (
        (0, 0, 0, 2),
        (1, 1, 0, 2),
        (1, 1, 1, 2),
    )
    assert report.lines()[0] == "Welding Model (welding) was updated"
    assert shape() == [
        (
            1,
            1,
            "Personal Effectiveness",
            [
                ("1.1", 1, "Teamwork", [(1, "", "Sharing tools with the crew")]),
                ("1.2", 2, "Honesty", [(1, "", "Reporting defects honestly")]),
            ],
        ),
        (
            2,
            2,
            "Academic",
            [
                ("2.1", 1, "Reading", [(1, "", "Reading drawings")]),
                ("2.2", 2, "Writing", [(1, "", "Writing logs")]),
            ],
        ),
    ]
    new = loaded("welding")
    assert new.identifier == old.identifier
    assert new.description == "Now with a description."
    assert [t.identifier for t in new.tier_list] == [t.identifier for t in old.tier_list]
    assert new.tier_list[0].competency_list[0].identifier == teamwork_id
    assert new.tier_list[0].competency_list[0].behavior_list[0].identifier == first_behavior_id
    assert [c.identifier for c in new.tier_list[1].competency_list][0] == (
        old.tier_list[1].competency_list[0].identifier
    )
    titles = set(SearchEntry.objects.values_list("title", flat=True))
    assert {"1.2 Honesty", "2.2 Writing"} <= titles
    assert "1.2 Integrity" not in titles


def test_a_tier_left_out_is_removed_with_everything_under_it():
    save_framework_tree(tree=welding_tree(), where="test")
    tree = welding_tree()
    tree.tiers.pop()

    report = save_framework_tree(tree=tree, where="test")

    assert (counts(report.tiers), counts(report.competencies), counts(report.behaviors)) == (
        (0, 0, 1, 1),
        (0, 0, 1, 2),
        (0, 0, 1, 3),
    )
    assert shape() == WELDING_SHAPE[:1]
    assert row_counts() == (1, 1, 2, 3, 7)


def test_reordering_competencies_swaps_their_positions():
    save_framework_tree(tree=welding_tree(), where="test")
    tree = tree_of(loaded("welding"))
    tree.tiers[0].competencies.reverse()
    before = identifiers()

    report = save_framework_tree(tree=tree, where="test")

    assert (counts(report.tiers), counts(report.competencies), counts(report.behaviors)) == (
        (0, 0, 0, 2),
        (0, 2, 0, 1),
        (0, 0, 0, 4),
    )
    assert shape()[0][3] == [
        ("1.2", 1, "Integrity", [(1, "", "Reporting defects honestly")]),
        (
            "1.1",
            2,
            "Teamwork",
            [(1, "", "Sharing tools with the crew"), (2, "Asking", "Asking for help early")],
        ),
    ]
    assert identifiers() == before


def test_reordering_competencies_without_identifiers_matches_them_by_code():
    save_framework_tree(tree=welding_tree(), where="test")
    teamwork_id = Competency.objects.get(code="1.1").identifier
    tree = welding_tree()
    tree.tiers[0].competencies.reverse()

    report = save_framework_tree(tree=tree, where="test")

    assert counts(report.competencies) == (0, 2, 0, 1)
    assert Competency.objects.get(code="1.1").position == 2
    assert Competency.objects.get(code="1.1").identifier == teamwork_id


def test_reordering_behaviors_swaps_their_positions_and_identifiers_follow_the_text():
    save_framework_tree(tree=welding_tree(), where="test")
    tree = tree_of(loaded("welding"))
    sharing, asking = tree.tiers[0].competencies[0].behaviors
    tree.tiers[0].competencies[0].behaviors = [asking, sharing]

    report = save_framework_tree(tree=tree, where="test")

    assert (counts(report.competencies), counts(report.behaviors)) == ((0, 0, 0, 3), (0, 2, 0, 2))
    teamwork = loaded("welding").tier_list[0].competency_list[0]
    assert [(b.position, b.text, b.identifier) for b in teamwork.behavior_list] == [
        (1, "Asking for help early", asking.identifier),
        (2, "Sharing tools with the crew", sharing.identifier),
    ]


def test_moving_a_competency_to_another_tier_keeps_it():
    save_framework_tree(tree=welding_tree(), where="test")
    tree = tree_of(loaded("welding"))
    integrity = tree.tiers[0].competencies.pop()
    tree.tiers[1].competencies.append(integrity)

    report = save_framework_tree(tree=tree, where="test")

    assert (counts(report.competencies), counts(report.behaviors)) == ((0, 1, 0, 2), (0, 0, 0, 4))
    moved = Competency.objects.get(identifier=integrity.identifier)
    assert (moved.tier.number, moved.position, moved.code) == (2, 2, "1.2")
    assert moved.behaviors.get().identifier == integrity.behaviors[0].identifier
    assert SearchEntry.objects.get(title="1.2 Integrity").facet == 2


def test_swapping_two_codes_keeps_each_competency_its_identifier():
    save_framework_tree(tree=welding_tree(), where="test")
    tree = tree_of(loaded("welding"))
    teamwork, integrity = tree.tiers[0].competencies
    teamwork.code, integrity.code = integrity.code, teamwork.code

    report = save_framework_tree(tree=tree, where="test")

    assert counts(report.competencies) == (0, 2, 0, 1)
    assert Competency.objects.get(identifier=teamwork.identifier).code == "1.2"
    assert Competency.objects.get(identifier=integrity.identifier).code == "1.1"
    assert shape()[0][3][0][:3] == ("1.2", 1, "Teamwork")


def test_a_new_competency_taking_a_code_does_not_take_the_identified_ones_place():
    save_framework_tree(tree=welding_tree(), where="test")
    tree = tree_of(loaded("welding"))
    teamwork = tree.tiers[0].competencies[0]
    teamwork.code = "1.3"
    tree.tiers[0].competencies.insert(0, CompetencyNode(code="1.1", name="Initiative"))

    report = save_framework_tree(tree=tree, where="test")

    assert counts(report.competencies) == (1, 2, 0, 1)
    assert Competency.objects.get(identifier=teamwork.identifier).code == "1.3"
    assert Competency.objects.get(code="1.1").name == "Initiative"


def test_a_behavior_moved_to_another_competency_keeps_its_identifier():
    save_framework_tree(tree=welding_tree(), where="test")
    tree = tree_of(loaded("welding"))
    reading = tree.tiers[1].competencies[0].behaviors.pop()
    tree.tiers[0].competencies[0].behaviors.append(reading)

    report = save_framework_tree(tree=tree, where="test")

    assert counts(report.behaviors) == (0, 1, 0, 3)
    moved = KeyBehavior.objects.get(identifier=reading.identifier)
    assert (moved.competency.code, moved.position) == ("1.1", 3)
    assert KeyBehavior.objects.filter(competency__code="2.1").count() == 0


def test_a_renumbered_tier_is_matched_by_its_identifier():
    save_framework_tree(tree=welding_tree(), where="test")
    tree = tree_of(loaded("welding"))
    academic = tree.tiers[1]
    academic.number = 3
    tree.tiers.insert(1, TierNode(number=2, name="Workplace"))

    report = save_framework_tree(tree=tree, where="test")

    assert counts(report.tiers) == (1, 1, 0, 1)
    renumbered = Tier.objects.get(identifier=academic.identifier)
    assert (renumbered.number, renumbered.position, renumbered.name) == (3, 3, "Academic")
    assert list(renumbered.competencies.values_list("code", flat=True)) == ["2.1"]
    assert Tier.objects.get(number=2).name == "Workplace"


def test_identifiers_of_another_framework_are_refused_and_nothing_is_written():
    save_framework_tree(tree=welding_tree(), where="test")
    copy = tree_of(loaded("welding"))
    copy.identifier, copy.slug, copy.name = None, "welding-copy", "Welding copy"
    tier_one = copy.tiers[0].identifier
    before = row_counts()

    with pytest.raises(InvalidInput) as caught:
        save_framework_tree(tree=copy, where="copy.json")

    assert len(caught.value.problems) == 9  # 2 tiers, 3 competencies, 4 behaviors
    assert caught.value.problems[0] == Problem(
        "framework welding-copy",
        "tier identifier",
        f"'{tier_one}' belongs to a tier of the framework 'welding'; "
        "leave it empty to make a new tier",
    )
    assert {p.field for p in caught.value.problems} == {
        "tier identifier",
        "competency identifier",
        "behavior identifier",
    }
    assert row_counts() == before


def test_an_identifier_given_twice_is_refused():
    tree = welding_tree()
    same = uuid.UUID("00000000-0000-4000-8000-000000000001")
    tree.tiers[0].competencies[0].identifier = same
    tree.tiers[1].competencies[0].identifier = same

    with pytest.raises(InvalidInput) as caught:
        save_framework_tree(tree=tree, where="upload.json")

    assert caught.value.problems == [
        Problem(
            "upload.json, competency 2.1",
            "competency identifier",
            f"'{same}' is used twice (first at upload.json, competency 1.1); "
            "leave it empty for a new item",
        )
    ]
    assert row_counts() == (0, 0, 0, 0, 0)


def test_dry_run_of_a_new_framework_reports_it_and_writes_nothing():
    report = save_framework_tree(tree=welding_tree(), where="test", dry_run=True)

    assert (report.created, report.dry_run) == (True, True)
    assert counts(report.behaviors) == (4, 0, 0, 0)
    assert report.lines()[0] == "Welding Model (welding) would be created"
    assert row_counts() == (0, 0, 0, 0, 0)


def test_dry_run_of_an_update_reports_it_and_changes_nothing():
    save_framework_tree(tree=welding_tree(), where="test")
    before = (shape(), row_counts(), identifiers())
    tree = welding_tree(name="Welding Model 2")
    tree.tiers.pop()

    report = save_framework_tree(tree=tree, where="test", dry_run=True)

    assert report.lines() == [
        "Welding Model 2 (welding) would be updated",
        "  tiers: 0 new, 0 changed, 1 removed, 1 unchanged",
        "  competencies: 0 new, 0 changed, 1 removed, 2 unchanged",
        "  key behaviors: 0 new, 0 changed, 1 removed, 3 unchanged",
    ]
    assert (shape(), row_counts(), identifiers()) == before
    assert Framework.objects.get().name == "Welding Model"


@pytest.mark.parametrize(
    ("change", "problems"),
    [
        pytest.param(
            lambda t: (
                setattr(t, "name", "  "),
                setattr(t.tiers[0], "name", ""),
                setattr(t.tiers[0].competencies[1], "name", " "),
            ),
            [
                Problem("upload.csv", "name", "is empty; give the framework a name"),
                Problem("upload.csv, tier 1", "tier name", "is empty; name the tier"),
                Problem(
                    "upload.csv, competency 1.2", "competency name", "is empty; name the competency"
                ),
            ],
            id="empty names",
        ),
        pytest.param(
            lambda t: setattr(t.tiers[1].competencies[0], "code", "1.1"),
            [
                Problem(
                    "upload.csv, competency 1.1",
                    "competency code",
                    "'1.1' is used twice (first at upload.csv, competency 1.1); "
                    "codes are unique within a framework",
                )
            ],
            id="duplicate codes",
        ),
        pytest.param(
            lambda t: setattr(t.tiers[1], "number", 1),
            [
                Problem(
                    "upload.csv, tier 1",
                    "tier number",
                    "tier 1 appears twice (first at upload.csv, tier 1); "
                    "give each tier its own number",
                )
            ],
            id="duplicate tier numbers",
        ),
        pytest.param(
            lambda t: setattr(t, "kind", "guild"),
            [
                Problem(
                    "upload.csv",
                    "kind",
                    "'guild' is not one of building_blocks, industry, sector, occupation, "
                    "organization",
                )
            ],
            id="bad kind",
        ),
        pytest.param(
            lambda t: setattr(t.tiers[0].competencies[0].behaviors[0], "text", "   "),
            [
                Problem(
                    "upload.csv, competency 1.1, behavior 1",
                    "behavior text",
                    "is empty; write the behavior",
                )
            ],
            id="empty behavior",
        ),
        pytest.param(
            lambda t: setattr(t, "naics", "3332490"),
            [Problem("upload.csv", "naics", "is longer than 6 characters")],
            id="long naics",
        ),
        pytest.param(
            lambda t: setattr(t, "source_url", "javascript:alert(1)"),
            [Problem("upload.csv", "source url", "must start with http:// or https://")],
            id="source url scheme",
        ),
    ],
)
def test_invalid_trees_are_refused_with_located_problems(change, problems):
    tree = welding_tree()
    change(tree)

    with pytest.raises(InvalidInput) as caught:
        save_framework_tree(tree=tree, where="upload.csv")

    assert caught.value.problems == problems
    assert str(caught.value) == "; ".join(str(p) for p in problems)
    assert row_counts() == (0, 0, 0, 0, 0)


def test_an_update_by_someone_who_may_not_edit_is_refused_and_changes_nothing():
    owner, outsider = UserFactory(), UserFactory()
    save_framework_tree(tree=welding_tree(), where="test", actor=owner)
    before = (shape(), identifiers())
    tree = welding_tree(name="Taken over")
    tree.tiers.pop()

    with pytest.raises(PermissionDenied, match=r"^You may not change the framework 'welding'\.$"):
        save_framework_tree(tree=tree, where="test", actor=outsider)

    assert (shape(), identifiers()) == before
    assert Framework.objects.get().name == "Welding Model"
    assert Framework.objects.get().owner == owner


def test_create_framework_refuses_a_taken_slug():
    FrameworkFactory(slug="welding", name="The first welding model")
    user = UserFactory()

    with pytest.raises(Conflict, match=r"^The slug 'welding' is already used; choose another\.$"):
        create_framework(tree=welding_tree(), actor=user)

    assert list(Framework.objects.values_list("slug", "name")) == [
        ("welding", "The first welding model")
    ]


def test_create_framework_without_a_slug_picks_a_free_one_and_ignores_a_given_identifier():
    FrameworkFactory(slug="welding-model")
    user = UserFactory()
    tree = welding_tree(slug="")
    tree.identifier = Framework.objects.get().identifier

    report = create_framework(tree=tree, actor=user, visibility="public")

    created = report.framework
    assert (created.slug, created.owner, created.visibility) == ("welding-model-2", user, "public")
    assert created.identifier != Framework.objects.get(slug="welding-model").identifier


ROLES = ["owner", "org owner", "org editor", "org viewer", "outsider", "anonymous"]
MAY_EDIT = {"owner", "org owner", "org editor"}
MAY_MANAGE = {"owner", "org owner"}


@pytest.fixture
def shared():
    """The welding framework, owned by one user and shared with an organization."""
    owner = UserFactory()
    organization = OrganizationFactory()
    save_framework_tree(tree=welding_tree(), where="test", actor=owner)
    Framework.objects.filter(slug="welding").update(
        organization=organization, visibility="organization"
    )
    people = {
        "owner": owner,
        "org owner": MembershipFactory(organization=organization, role=Membership.Role.OWNER).user,
        "org editor": MembershipFactory(
            organization=organization, role=Membership.Role.EDITOR
        ).user,
        "org viewer": MembershipFactory(
            organization=organization, role=Membership.Role.VIEWER
        ).user,
        "outsider": UserFactory(),
        "anonymous": AnonymousUser(),
    }
    return Framework.objects.get(slug="welding"), people


def framework_row() -> tuple:
    return tuple(Framework.objects.values_list("name", "status", "updated_at").get())


@pytest.mark.parametrize("role", ROLES)
def test_update_framework_is_allowed_only_to_those_who_may_edit(shared, role):
    framework, people = shared
    before = framework_row()

    if role in MAY_EDIT:
        update_framework(
            framework=framework, actor=people[role], name="Welding, revised", status="archived"
        )
        assert framework_row()[:2] == ("Welding, revised", "archived")
        assert SearchEntry.objects.get(kind="framework").title == "Welding, revised"
    else:
        with pytest.raises(PermissionDenied, match="^You may not change the framework 'welding'.$"):
            update_framework(framework=framework, actor=people[role], name="Welding, revised")
        assert framework_row() == before
        assert SearchEntry.objects.get(kind="framework").title == "Welding Model"


def refusal(role: str, action: str) -> str:
    if role in MAY_EDIT:  # an editor, who changes the content only
        return (
            f"^You may change the content of the framework 'welding' but not {action}: "
            "ask its owner or an owner of its organization.$"
        )
    return "^You may not change the framework 'welding'.$"


@pytest.mark.parametrize("role", ROLES)
def test_delete_framework_is_allowed_only_to_those_who_may_manage(shared, role):
    framework, people = shared

    if role in MAY_MANAGE:
        delete_framework(framework=framework, actor=people[role])
        assert row_counts() == (0, 0, 0, 0, 0)
    else:
        with pytest.raises(PermissionDenied, match=refusal(role, "delete it")):
            delete_framework(framework=framework, actor=people[role])
        assert row_counts() == (1, 2, 3, 4, 10)


def sharing_row() -> tuple:
    return tuple(Framework.objects.values_list("visibility", "organization__slug").get())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("how", ["update", "share"])
def test_who_may_see_a_framework_is_decided_only_by_those_who_may_manage(shared, role, how):
    framework, people = shared
    before = sharing_row()

    def make_public():
        if how == "update":
            update_framework(framework=framework, actor=people[role], visibility="public")
        else:
            share_framework(framework=framework, actor=people[role], visibility="public")

    if role in MAY_MANAGE:
        make_public()
        assert sharing_row() == ("public", before[1])
    else:
        with pytest.raises(PermissionDenied, match=refusal(role, "change who may see it")):
            make_public()
        assert sharing_row() == before


def test_an_owner_of_the_organization_may_not_manage_a_private_model_that_names_it(shared):
    framework, people = shared
    Framework.objects.filter(pk=framework.pk).update(visibility="private")
    org_owner = people["org owner"]

    assert may_manage(framework=framework, actor=org_owner) is False
    assert may_manage(framework=framework, actor=people["owner"]) is True
    assert may_manage(framework=framework, actor=SYSTEM) is True
    assert may_manage(framework=framework, actor=None) is False
    with pytest.raises(PermissionDenied, match="^You may not change the framework 'welding'.$"):
        delete_framework(framework=framework, actor=org_owner)
    assert row_counts() == (1, 2, 3, 4, 10)


def test_delete_framework_refuses_the_system_actor_none(shared):
    framework, _ = shared

    with pytest.raises(PermissionDenied):
        delete_framework(framework=framework, actor=None)

    assert row_counts() == (1, 2, 3, 4, 10)


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        (
            {"name": "   "},
            [Problem("framework", "name", "is empty; give the framework a name")],
        ),
        (
            {"slug": "other", "owner": None},
            [
                Problem("framework", "slug", "cannot be changed here"),
                Problem("framework", "owner", "cannot be changed here"),
            ],
        ),
        (
            {"visibility": "organization"},
            [Problem("framework", "visibility", "share it with an organization first")],
        ),
    ],
)
def test_update_framework_refuses_bad_changes_and_changes_nothing(changes, problems):
    owner = UserFactory()
    save_framework_tree(tree=welding_tree(), where="test", actor=owner)
    framework = Framework.objects.get()
    before = framework_row()

    with pytest.raises(InvalidInput) as caught:
        update_framework(framework=framework, actor=owner, **changes)

    assert caught.value.problems == problems
    assert framework_row() == before


def test_a_real_code_like_a_moving_placeholder_never_clashes():
    report = create_framework(tree=welding_tree(slug="tilde"), actor=SYSTEM)
    framework = loaded("tilde")
    first = framework.tier_list[0].competency_list[0]
    tree = tree_of(framework)
    tree.tiers[0].competencies[0].code = "9.9"
    tree.tiers[0].competencies.insert(0, CompetencyNode(code=f"~{first.pk}", name="Tilde"))
    save_framework_tree(tree=tree, where="test", actor=SYSTEM)
    codes = sorted(c.code for c in Competency.objects.filter(framework=report.framework))
    assert codes == sorted(["9.9", "1.2", "2.1", f"~{first.pk}"])


def test_a_control_character_in_a_code_is_refused():
    tree = welding_tree(slug="bell")
    tree.tiers[0].competencies[0].code = "1\x071"
    problems = validate(tree, "file")
    assert any(p.field == "competency code" and "control character" in p.message for p in problems)


def test_its_owner_keeps_the_organization_it_is_shared_with_without_being_a_member(shared):
    framework, people = shared
    organization = framework.organization.slug
    other = OrganizationFactory(slug="other-guild")

    share_framework(
        framework=framework, actor=people["owner"], visibility="public", organization=organization
    )
    assert sharing_row() == ("public", organization)
    with pytest.raises(InvalidInput) as caught:
        share_framework(
            framework=framework, actor=people["owner"], visibility="public", organization=other.slug
        )

    assert caught.value.problems == [
        Problem(
            "sharing",
            "organization",
            "you are not an owner or editor of an organization 'other-guild'",
        )
    ]
    assert sharing_row() == ("public", organization)
