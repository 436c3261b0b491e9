import pytest
from django.core.exceptions import PermissionDenied

from cmc.core.actors import SYSTEM
from cmc.core.errors import InvalidInput
from cmc.factories import CompetencyFactory, FrameworkFactory, TierFactory
from cmc.ladders import selectors, services
from cmc.ladders.models import Experience, Lattice, Position, Transition


def problems(error) -> list[tuple[str, str, str]]:
    return [(p.where, p.field, p.message) for p in error.value.problems]


def test_a_position_from_an_occupation_takes_its_title(small):
    position = services.add_position(lattice=small, actor=SYSTEM, data={"occupation": "51-9162.00", "level": 4, "track": "Programming"})  # fmt: skip
    assert (position.key, position.title, position.occupation_code) == (
        "computer-numerically-controlled-tool-programmers",
        "Computer Numerically Controlled Tool Programmers",
        "51-9162.00",
    )


def test_a_bad_position_is_refused_field_by_field_and_nothing_is_written(small):
    before = Position.objects.count()
    with pytest.raises(InvalidInput) as error:
        services.add_position(
            lattice=small, actor=SYSTEM,
            data={"occupation": "99-9999.00", "level": "0", "key": "helper", "competencies": ["1.1"]},
        )  # fmt: skip
    assert problems(error) == [
        ("position", "occupation", "No occupation has the code '99-9999.00'."),
        ("position", "title", "is empty; give a job title or choose an occupation"),
        ("position", "level", "0 is not between 1 and 20"),
        ("position", "competencies", "choose the lattice's framework first"),
        ("position", "key", "the lattice already has a position 'helper'"),
    ]
    assert Position.objects.count() == before


def test_a_code_that_is_not_one_is_named(small):
    with pytest.raises(InvalidInput) as error:
        services.add_position(lattice=small, actor=SYSTEM, data={"occupation": "machinist", "level": "two"})  # fmt: skip
    assert problems(error) == [
        ("position", "occupation", "'machinist' is not an O*NET-SOC code such as 51-4041.00"),
        ("position", "title", "is empty; give a job title or choose an occupation"),
        ("position", "level", "'two' is not a whole number from 1 to 20"),
    ]


def test_competencies_come_from_the_lattices_framework_by_code(small):
    framework = FrameworkFactory(slug="shop")
    tier = TierFactory(framework=framework, number=4, position=4)
    production = CompetencyFactory(framework=framework, tier=tier, code="4.2", name="Production", position=1)  # fmt: skip
    services.update_lattice(lattice=small, actor=SYSTEM, data={"framework": "shop"})
    machinist = small.positions.get(key="machinist")
    services.update_position(position=machinist, actor=SYSTEM, data={"competencies": ["4.2"]})
    view = selectors.lattice_view(small, reader=SYSTEM)
    assert [(c.identifier, c.code, c.name) for c in view.position("machinist").competencies] == [
        (str(production.identifier), "4.2", "Production")
    ]
    with pytest.raises(InvalidInput) as error:
        services.update_position(position=machinist, actor=SYSTEM, data={"competencies": ["9.9"]})
    assert problems(error) == [("position", "competencies", "'9.9' is not a competency of the framework 'shop'")]  # fmt: skip


def test_changing_a_positions_occupation_brings_its_title(small):
    helper = small.positions.get(key="helper")
    services.update_position(position=helper, actor=SYSTEM, data={"occupation": "51-9061.00", "level": 1})  # fmt: skip
    helper.refresh_from_db()
    assert (helper.title, helper.occupation_code, helper.key) == (
        "Inspectors, Testers, Sorters, Samplers, and Weighers", "51-9061.00", "helper",
    )  # fmt: skip


def test_removing_a_position_removes_its_moves(small):
    services.remove_position(position=small.positions.get(key="inspector"), actor=SYSTEM)
    assert sorted(small.transitions.values_list("source__key", "target__key")) == [
        ("helper", "machinist"), ("machinist", "programmer"),
    ]  # fmt: skip


def test_a_bad_move_is_refused_naming_each_field(small):
    before = (Transition.objects.count(), Experience.objects.count())
    with pytest.raises(InvalidInput) as error:
        services.add_transition(
            lattice=small, actor=SYSTEM,
            data={"from": "helper", "to": "helper", "kind": "demotion",
                  "experiences": [{"kind": "course", "text": "", "months": "-1"}]},
        )  # fmt: skip
    assert problems(error) == [
        ("move", "to", "a move goes to another position"),
        ("move", "kind", "'demotion' is not one of promotion, lateral"),
        (
            "move",
            "experiences[0].kind",
            "'course' is not one of education, training, credential, work_experience",
        ),  # fmt: skip
        ("move", "experiences[0].text", "is empty; fill it in"),
        ("move", "experiences[0].months", "-1 is not between 0 and 600"),
    ]
    with pytest.raises(InvalidInput) as error:
        services.add_transition(lattice=small, actor=SYSTEM, data={"from": "helper", "to": "machinist"})  # fmt: skip
    assert problems(error) == [
        ("move", "to", "there is already a move from 'helper' to 'machinist'")
    ]
    with pytest.raises(InvalidInput) as error:
        services.add_transition(lattice=small, actor=SYSTEM, data={"from": "welder", "to": ""})
    assert problems(error) == [
        ("move", "from", "the lattice has no position 'welder'"),
        ("move", "to", "is empty; fill it in"),
    ]
    assert (Transition.objects.count(), Experience.objects.count()) == before


def test_a_moves_experiences_are_replaced_when_given(small):
    move = small.transitions.get(source__key="helper", target__key="machinist")
    services.update_transition(transition=move, actor=SYSTEM, data={"kind": "lateral", "experiences": [{"kind": "credential", "text": "OSHA 10", "months": 1}]})  # fmt: skip
    move.refresh_from_db()
    assert move.kind == "lateral"
    assert list(move.experiences.values_list("kind", "text", "months")) == [("credential", "OSHA 10", 1)]  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        services.update_transition(transition=move, actor=SYSTEM, data={"to": "inspector"})
    assert problems(error) == [("move", "to", "cannot be changed; remove the move and add another")]


def test_creating_needs_a_person_and_sharing_needs_an_organization(people):
    with pytest.raises(PermissionDenied, match="Sign in to build a lattice."):
        services.create_lattice(actor=None, data={"name": "X"})
    with pytest.raises(InvalidInput) as error:
        services.create_lattice(actor=people["outsider"], data={"name": " ", "visibility": "organization", "organization": "works"})  # fmt: skip
    assert problems(error) == [
        ("lattice", "name", "is empty; fill it in"),
        ("lattice", "organization", "you are not an owner or editor of an organization 'works'"),
    ]
    assert Lattice.objects.count() == 0


def test_an_editor_changes_content_but_not_sharing(small, people):
    services.update_lattice(lattice=small, actor=people["editor"], data={"name": "Machine shop"})
    with pytest.raises(PermissionDenied, match="You may change the lattice 'shop-floor' but not change who may see it"):  # fmt: skip
        services.update_lattice(
            lattice=small, actor=people["editor"], data={"visibility": "public"}
        )
    with pytest.raises(PermissionDenied):
        services.delete_lattice(lattice=small, actor=people["editor"])
    small.refresh_from_db()
    assert (small.name, small.visibility) == ("Machine shop", "organization")
    services.update_lattice(lattice=small, actor=people["owner"], data={"visibility": "public"})
    small.refresh_from_db()
    assert small.visibility == "public"
