"""Deriving a model from one framework and blending several: lineage, merges and blend choices."""

import pytest
from django.core.exceptions import PermissionDenied

from cmc.core.actors import SYSTEM
from cmc.core.errors import EditConflict, InvalidInput, Problem
from cmc.core.models import SearchEntry
from cmc.factories import UserFactory, loaded, welding_tree
from cmc.frameworks.models import (
    BlendChoice,
    Competency,
    Framework,
    FrameworkSource,
    KeyBehavior,
    Kind,
    Origin,
    Status,
    Visibility,
)
from cmc.frameworks.services import derive_framework, publish_version, save_framework_tree
from cmc.frameworks.services.blending import normalize
from cmc.frameworks.services.editing import rename_tier, resolve_blend_choice, update_competency
from cmc.frameworks.trees import BehaviorNode, CompetencyNode, FrameworkTree, TierNode

from .builders import competency, state, welding

pytestmark = pytest.mark.django_db


def outline(framework: Framework) -> list:
    """Tiers, competencies and behaviors in order, as plain values."""
    return [
        (
            tier.number,
            tier.name,
            [
                (c.code, c.name, c.definition, [(b.title, b.text) for b in c.behavior_list])
                for c in tier.competency_list
            ],
        )
        for tier in loaded(framework.slug).tier_list
    ]


def lineage(item) -> tuple:
    return (item.origin, item.source_identifier, item.source_framework_id, item.source_version_id)


def tier_names(framework: Framework, number: int) -> list[str]:
    return list(
        framework.competencies.filter(tier__number=number)
        .order_by("position")
        .values_list("name", flat=True)
    )


def one_tier_model(slug: str, name: str, competencies: list[CompetencyNode], owner) -> Framework:
    tree = FrameworkTree(
        name=name,
        slug=slug,
        kind=Kind.INDUSTRY,
        tiers=[TierNode(number=1, name="Personal Effectiveness", competencies=competencies)],
    )
    save_framework_tree(tree=tree, where="test", actor=owner, visibility="public")
    return Framework.objects.get(slug=slug)


# Deriving from one source


def test_derived_model_copies_the_source_tree_with_lineage_on_every_item(reference):
    user = UserFactory()
    source = loaded("building-blocks")
    version = source.versions.get()

    derived = derive_framework(actor=user, sources=[source], name="  Our Building Blocks  ")

    assert (derived.slug, derived.name, derived.kind, derived.status) == (
        "our-building-blocks",
        "Our Building Blocks",
        Kind.ORGANIZATION,
        Status.DRAFT,
    )
    assert (derived.owner, derived.visibility, derived.based_on, derived.build_step) == (
        user,
        Visibility.PRIVATE,
        source,
        1,
    )
    assert derived.description == "Built from Building Blocks Competency Model."
    assert outline(derived) == outline(source)
    pairs = [
        (ours, theirs)
        for our_tier, their_tier in zip(
            loaded(derived.slug).tier_list, source.tier_list, strict=True
        )
        for ours, theirs in zip(our_tier.competency_list, their_tier.competency_list, strict=True)
    ]
    assert len(pairs) == 41
    for ours, theirs in pairs:
        assert lineage(ours) == (Origin.COPIED, theirs.identifier, source.pk, version.pk)
        assert ours.identifier != theirs.identifier
        for our_behavior, their_behavior in zip(
            ours.behavior_list, theirs.behavior_list, strict=True
        ):
            assert lineage(our_behavior) == (
                Origin.COPIED,
                their_behavior.identifier,
                source.pk,
                version.pk,
            )
    assert KeyBehavior.objects.filter(competency__framework=derived).count() == 67
    assert list(
        FrameworkSource.objects.filter(framework=derived).values_list(
            "source", "source_version", "source_name", "position"
        )
    ) == [(source.pk, version.pk, "Building Blocks Competency Model", 1)]
    assert not BlendChoice.objects.filter(competency__framework=derived).exists()


def test_a_source_without_a_version_is_taken_as_it_is_now_and_named_without_one():
    owner = UserFactory()
    source = welding(owner)

    derived = derive_framework(actor=owner, sources=[source], name="Welding, ours")

    teamwork = competency(derived, "1.1")
    assert lineage(teamwork) == (
        Origin.COPIED,
        competency(source, "1.1").identifier,
        source.pk,
        None,
    )
    assert FrameworkSource.objects.get(framework=derived).source_version is None


def test_the_latest_published_version_of_the_source_is_named():
    owner = UserFactory()
    source = welding(owner)
    publish_version(framework=source, actor=owner, note="first")
    latest = publish_version(framework=source, actor=owner, note="second")

    derived = derive_framework(actor=owner, sources=[source], name="Welding, ours")

    assert competency(derived, "2.1").source_version == latest
    assert set(
        KeyBehavior.objects.filter(competency__framework=derived).values_list(
            "source_version", flat=True
        )
    ) == {latest.pk}
    assert FrameworkSource.objects.get(framework=derived).source_version == latest


def test_edits_made_to_the_source_after_its_latest_version_are_not_taken():
    owner = UserFactory()
    source = welding(owner)
    version = publish_version(framework=source, actor=owner)
    update_competency(
        actor=owner,
        competency=competency(source, "1.1"),
        name="Teamwork, unpublished",
        definition="Not published yet.",
        revision=1,
    )

    derived = derive_framework(actor=owner, sources=[source], name="Welding, ours")

    assert outline(derived)[0][2][0] == (
        "1.1",
        "Teamwork",
        "Working with others.",
        [("", "Sharing tools with the crew"), ("Asking", "Asking for help early")],
    )
    assert lineage(competency(derived, "1.1")) == (
        Origin.COPIED,
        competency(source, "1.1").identifier,
        source.pk,
        version.pk,
    )


def test_the_derived_model_is_indexed_for_search():
    owner = UserFactory()
    source = welding(owner)

    derived = derive_framework(
        actor=owner, sources=[source], name="Welding, ours", description="  For our shop.  "
    )

    assert derived.description == "For our shop."
    assert list(
        SearchEntry.objects.filter(collection="frameworks", scope_id=derived.pk)
        .order_by("id")
        .values_list("kind", "title")
    ) == [
        ("framework", "Welding, ours"),
        ("tier", "Tier 1: Personal Effectiveness"),
        ("tier", "Tier 2: Academic"),
        ("competency", "1.1 Teamwork"),
        ("competency", "1.2 Integrity"),
        ("competency", "2.1 Reading"),
        ("behavior", ""),
        ("behavior", "Asking"),
        ("behavior", ""),
        ("behavior", ""),
    ]


def test_deriving_twice_with_one_name_gives_two_slugs():
    owner = UserFactory()
    source = welding(owner)

    first = derive_framework(actor=owner, sources=[source], name="Welding, ours")
    second = derive_framework(actor=owner, sources=[source], name="Welding, ours")

    assert (first.slug, second.slug) == ("welding-ours", "welding-ours-2")


def test_a_public_model_can_be_derived():
    owner = UserFactory()
    derived = derive_framework(
        actor=owner, sources=[welding(owner)], name="Open Welding", visibility="public"
    )
    assert derived.visibility == Visibility.PUBLIC


# What derive refuses


def test_bad_input_is_refused_with_every_problem_and_nothing_is_written():
    owner = UserFactory()
    welding(owner)

    with pytest.raises(InvalidInput) as refused:
        derive_framework(actor=owner, sources=[], name="  ", visibility="organization")

    assert refused.value.problems == [
        Problem("new model", "name", "is empty; name the new model"),
        Problem("new model", "sources", "choose at least one framework to start from"),
        Problem("new model", "visibility", "must be private or public"),
    ]
    assert Framework.objects.count() == 1


def test_a_private_framework_of_someone_else_cannot_be_used():
    owner = UserFactory()
    save_framework_tree(tree=welding_tree(), where="test", actor=owner)
    private = Framework.objects.get(slug="welding")

    with pytest.raises(InvalidInput) as caught:
        derive_framework(actor=UserFactory(), sources=[private], name="Stolen")

    assert caught.value.problems == [
        Problem("new model", "sources", "there is no framework 'welding' you may use")
    ]
    assert Framework.objects.count() == 1


def test_the_system_may_use_a_private_framework():
    save_framework_tree(tree=welding_tree(), where="test", actor=UserFactory())
    private = Framework.objects.get(slug="welding")

    derived = derive_framework(actor=SYSTEM, sources=[private], name="System copy")

    assert derived.owner is None
    assert derived.competencies.count() == 3


# Blending


def test_building_blocks_and_an_industry_model_are_merged_tier_by_tier(reference):
    user = UserFactory()
    blocks, manufacturing = loaded("building-blocks"), loaded("advanced-manufacturing")

    blended = derive_framework(
        actor=user, sources=[blocks, manufacturing], name="Manufacturing blocks"
    )

    assert blended.based_on is None
    assert blended.description == (
        "Built from Building Blocks Competency Model, Advanced Manufacturing Competency Model."
    )
    assert list(blended.tiers.order_by("position").values_list("number", "name")) == [
        (1, "Personal Effectiveness Competencies"),
        (2, "Academic Competencies"),
        (3, "Workplace Competencies"),
        (4, "Industry-Wide Technical Competencies"),
        (5, "Industry-Sector Technical Competencies"),
        (6, "Occupation-Specific Knowledge Competencies"),
        (7, "Occupation-Specific Technical Competencies"),
        (8, "Occupation-Specific Requirements"),
        (9, "Management Competencies"),
    ]
    assert tier_names(blended, 2) == [
        "Reading",
        "Writing",
        "Mathematics",
        "Science & Technology",
        "Communication",
        "Critical & Analytic Thinking",
        "Basic Computer Skills",
        "Science",
        "Communication – Listening & Speaking",
        "Information Literacy",
    ]
    assert [len(tier_names(blended, n)) for n in range(1, 10)] == [7, 10, 13, 7, 0, 0, 0, 0, 15]
    assert list(
        FrameworkSource.objects.filter(framework=blended)
        .order_by("position")
        .values_list("source__slug", "position")
    ) == [("building-blocks", 1), ("advanced-manufacturing", 2)]
    # Same name in the same tier: one competency, taken from the first source.
    reading = blended.competencies.get(name="Reading")
    assert lineage(reading) == (
        Origin.COPIED,
        blocks.competencies.get(name="Reading").identifier,
        blocks.pk,
        blocks.versions.get().pk,
    )
    information = blended.competencies.get(name="Information Literacy")
    assert (information.code, information.source_framework) == ("2.10", manufacturing)
    assert information.source_identifier == (
        manufacturing.competencies.get(name="Information Literacy").identifier
    )
    assert not BlendChoice.objects.filter(competency__framework=blended).exists()


def test_two_industry_models_are_blended(reference):
    manufacturing, energy = loaded("advanced-manufacturing"), loaded("energy-cewd")

    blended = derive_framework(
        actor=UserFactory(), sources=[manufacturing, energy], name="Two industries"
    )

    assert tier_names(blended, 1) == [
        "Interpersonal Skills",
        "Integrity",
        "Professionalism",
        "Initiative",
        "Dependability & Reliability",
        "Lifelong Learning",
        "Reputation",
        "Motivation",
        "Self-Development",
        "Flexibility & Adaptability",
        "Ability To Learn",
    ]
    # The first source names the tier; tiers only one source fills are kept whole.
    assert blended.tiers.get(number=5).name == "Industry-Sector Technical Competencies"
    assert len(tier_names(blended, 5)) == 4
    # The energy model's tier 6 names occupations: the tier comes, its entries do not.
    assert tier_names(blended, 6) == []
    assert blended.competencies.get(name="Integrity").source_framework == manufacturing
    assert blended.competencies.get(name="Reputation").source_framework == energy


def test_sources_that_differ_leave_a_choice_for_every_field_they_differ_in():
    owner = UserFactory()
    first = one_tier_model(
        "first",
        "First Model",
        [
            CompetencyNode(
                code="1.1",
                name="Teamwork",
                definition="Working with others.",
                behaviors=[
                    BehaviorNode(text="Sharing tools with the crew"),
                    BehaviorNode(text="Asking for help early"),
                ],
            )
        ],
        owner,
    )
    second = one_tier_model(
        "second",
        "Second Model",
        [
            CompetencyNode(
                code="1.1",
                name="TEAMWORK",
                definition="Working cooperatively with others.",
                behaviors=[
                    BehaviorNode(text="sharing tools with the crew!"),
                    BehaviorNode(text="Keeping promises", title="Promises"),
                ],
            )
        ],
        owner,
    )

    blended = derive_framework(actor=owner, sources=[first, second], name="Blend")

    teamwork = blended.competencies.get()
    assert (teamwork.name, teamwork.definition) == ("Teamwork", "Working with others.")
    assert list(
        teamwork.behaviors.order_by("position").values_list(
            "title", "text", "source_framework__slug"
        )
    ) == [
        ("", "Sharing tools with the crew", "first"),
        ("", "Asking for help early", "first"),
        ("Promises", "Keeping promises", "second"),
    ]
    assert list(
        BlendChoice.objects.filter(competency=teamwork)
        .order_by("field")
        .values_list("field", "options", "chosen")
    ) == [
        (
            "definition",
            [
                {"source": "First Model", "value": "Working with others."},
                {"source": "Second Model", "value": "Working cooperatively with others."},
            ],
            None,
        ),
        (
            "name",
            [
                {"source": "First Model", "value": "Teamwork"},
                {"source": "Second Model", "value": "TEAMWORK"},
            ],
            None,
        ),
    ]


def test_definitions_that_differ_only_in_spacing_and_punctuation_are_the_same():
    owner = UserFactory()
    first = one_tier_model(
        "first",
        "First Model",
        [CompetencyNode(code="1.1", name="Teamwork", definition="Working with others.")],
        owner,
    )
    second = one_tier_model(
        "second",
        "Second Model",
        [CompetencyNode(code="1.1", name="Teamwork", definition="working  with others")],
        owner,
    )

    blended = derive_framework(actor=owner, sources=[first, second], name="Blend")

    assert blended.competencies.get().definition == "Working with others."
    assert not BlendChoice.objects.exists()


def test_a_definition_only_the_second_source_gives_is_taken_without_a_choice():
    owner = UserFactory()
    first = one_tier_model("first", "First", [CompetencyNode(code="1.1", name="Ethics")], owner)
    second = one_tier_model(
        "second",
        "Second",
        [CompetencyNode(code="1.1", name="Ethics", definition="Doing right.")],
        owner,
    )

    blended = derive_framework(actor=owner, sources=[first, second], name="Blend")

    assert blended.competencies.get().definition == "Doing right."
    assert not BlendChoice.objects.exists()


def test_competencies_sharing_lineage_are_merged_even_when_renamed():
    owner = UserFactory()
    source = welding(owner)
    ours = derive_framework(actor=owner, sources=[source], name="Our Welding")
    renamed = competency(ours, "1.1")
    update_competency(
        actor=owner,
        competency=renamed,
        name="Working Together",
        definition="Working with others.",
        revision=1,
    )

    blended = derive_framework(actor=owner, sources=[ours, source], name="Blend")

    assert tier_names(blended, 1) == ["Working Together", "Integrity"]
    merged = competency(blended, "1.1")
    assert lineage(merged) == (Origin.COPIED, renamed.identifier, ours.pk, None)
    assert merged.behaviors.count() == 2
    choice = BlendChoice.objects.get(competency=merged)
    assert (choice.field, choice.options) == (
        "name",
        [
            {"source": "Our Welding", "value": "Working Together"},
            {"source": "Welding Model", "value": "Teamwork"},
        ],
    )


def test_normalize_ignores_case_spacing_and_punctuation():
    assert normalize("  Critical & Analytic_Thinking!! ") == "critical analytic thinking"
    assert normalize("ÉCOUTE active") == "écoute active"


# Resolving blend choices


@pytest.fixture
def blend_with_choice():
    owner = UserFactory()
    first = one_tier_model(
        "first", "First Model", [CompetencyNode(code="1.1", name="Teamwork")], owner
    )
    second = one_tier_model(
        "second", "Second Model", [CompetencyNode(code="1.1", name="Team work")], owner
    )
    # "Team work" and "Teamwork" are different names: give the second lineage into the first.
    Competency.objects.filter(framework=second).update(
        source_identifier=competency(first, "1.1").identifier
    )
    blended = derive_framework(actor=owner, sources=[first, second], name="Blend")
    return owner, BlendChoice.objects.get(competency__framework=blended)


def test_resolving_a_choice_applies_the_reading_and_records_it(blend_with_choice):
    owner, choice = blend_with_choice

    changed = resolve_blend_choice(actor=owner, choice=choice, option=1, revision=1)

    assert (changed.name, changed.revision) == ("Team work", 2)
    assert Competency.objects.get(pk=changed.pk).name == "Team work"
    choice.refresh_from_db()
    assert choice.chosen == "Team work"
    assert SearchEntry.objects.filter(
        scope_id=Framework.objects.get(slug="blend").pk, kind="competency"
    ).get().title == ("1.1 Team work")


def test_a_choice_after_someone_else_changed_the_item_is_a_conflict_with_both_texts(
    blend_with_choice,
):
    owner, choice = blend_with_choice
    item = choice.competency
    update_competency(
        actor=owner, competency=item, name="Working together", definition="", revision=1
    )
    before = state(item.framework)

    with pytest.raises(EditConflict) as conflict:
        resolve_blend_choice(actor=owner, choice=choice, option=1, revision=1)

    assert "Competency 1.1 was changed by someone else" in str(conflict.value)
    assert conflict.value.current == {"name": "Working together"}
    assert conflict.value.yours == {"name": "Team work"}
    assert state(item.framework) == before
    choice.refresh_from_db()
    assert choice.chosen is None


def test_an_option_that_is_not_offered_is_refused_and_nothing_changes(blend_with_choice):
    owner, choice = blend_with_choice
    before = state(choice.competency.framework)

    with pytest.raises(InvalidInput) as refused:
        resolve_blend_choice(actor=owner, choice=choice, option=2, revision=1)

    assert refused.value.problems == [
        Problem("choice", "option", "choose one of the readings shown")
    ]
    assert state(choice.competency.framework) == before


def test_someone_who_may_not_edit_cannot_resolve_a_choice(blend_with_choice):
    _, choice = blend_with_choice
    before = state(choice.competency.framework)

    with pytest.raises(PermissionDenied, match="^You may not change the framework 'blend'.$"):
        resolve_blend_choice(actor=UserFactory(), choice=choice, option=1, revision=1)

    assert state(choice.competency.framework) == before


@pytest.fixture
def tier_blend():
    """ "Both", blended from two welding models that name tier 1 differently: the owner, the
    model, its tier 1 and the choice offered for it."""
    from cmc.frameworks.services import create_framework

    owner = UserFactory()
    first = create_framework(tree=welding_tree(slug="first"), actor=owner).framework
    other = welding_tree(slug="second", name="Second Model")
    other.tiers[0].name = "Personal Skills"
    second = create_framework(tree=other, actor=owner).framework
    model = derive_framework(actor=owner, sources=[first, second], name="Both")
    tier = model.tiers.get(number=1)
    return owner, model, tier, BlendChoice.objects.get(tier=tier)


def test_tiers_named_differently_by_the_sources_are_offered_as_a_choice(client, tier_blend):
    owner, model, tier, choice = tier_blend
    assert [o["value"] for o in choice.options] == ["Personal Effectiveness", "Personal Skills"]
    assert not BlendChoice.objects.filter(tier=model.tiers.get(number=2)).exists()

    client.force_login(owner)
    page = client.get(f"/frameworks/{model.slug}/build/tiers/1/").content.decode()
    assert "The sources name this tier differently" in page
    client.post(
        f"/frameworks/{model.slug}/build/tiers/1/change",
        {"action": "choose", "choice": choice.pk, "option": 1, "revision": 1},
    )
    tier.refresh_from_db()
    choice.refresh_from_db()
    assert (tier.name, choice.chosen) == ("Personal Skills", "Personal Skills")
    assert tier.revision == 2
    page = client.get(f"/frameworks/{model.slug}/build/tiers/1/").content.decode()
    assert "The sources name this tier differently" not in page
    with pytest.raises(PermissionDenied):
        resolve_blend_choice(actor=UserFactory(), choice=choice, option=0, revision=2)


def test_choosing_a_tier_name_after_someone_renamed_it_shows_both_and_keeps_theirs(
    client, tier_blend
):
    owner, model, tier, choice = tier_blend
    rename_tier(actor=owner, tier=tier, name="Who We Are", revision=tier.revision)

    client.force_login(owner)
    response = client.post(
        f"/frameworks/{model.slug}/build/tiers/1/change",
        {"action": "choose", "choice": choice.pk, "option": 1, "revision": 1},
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "Not saved:" in page and "Tier 1 was changed by someone else" in page
    assert "Who We Are" in page and "Personal Skills" in page
    tier.refresh_from_db()
    assert tier.name == "Who We Are"
