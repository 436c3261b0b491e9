"""The `derive`, `publish` and `diff` commands: what they print, write and refuse."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cmc.factories import UserFactory, welding_tree
from cmc.frameworks.models import (
    BlendChoice,
    Framework,
    FrameworkVersion,
    Status,
    StatusChange,
    Visibility,
)
from cmc.frameworks.services import editing, save_framework_tree

from .builders import competency, state, welding

pytestmark = pytest.mark.django_db


def run(*args, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def refused(*args, **options) -> tuple[str, str]:
    """The one-line reason a command gives, and what it wrote to stderr before it."""
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=StringIO(), stderr=err, **options)
    return str(error.value), err.getvalue()


# derive


def test_derive_makes_a_private_model_for_its_owner(who):
    welding(who["owner"])

    out, _ = run("derive", "welding", "--name", "Shop welding", "--owner", "otto")

    assert out == "Created Shop welding (shop-welding): 2 tiers, 3 competencies\n"
    derived = Framework.objects.get(slug="shop-welding")
    assert (derived.owner, derived.visibility, derived.based_on.slug) == (
        who["outsider"],
        Visibility.PRIVATE,
        "welding",
    )


def test_derive_public_without_an_owner(who):
    welding(who["owner"])

    out, _ = run("derive", "welding", "--name", "Open welding", "--public")

    assert out == "Created Open welding (open-welding): 2 tiers, 3 competencies\n"
    derived = Framework.objects.get(slug="open-welding")
    assert (derived.owner, derived.visibility) == (None, Visibility.PUBLIC)


def test_derive_blend_counts_the_places_where_the_sources_differ(who):
    source = welding(who["owner"])
    save_framework_tree(
        tree=welding_tree(name="Cutting Model", slug="cutting"),
        where="test",
        actor=who["owner"],
        visibility="public",
    )
    cutting = Framework.objects.get(slug="cutting")
    cutting.competencies.filter(code="1.1").update(definition="Cutting with others.")
    cutting.competencies.filter(code="1.2").update(
        name="INTEGRITY", source_identifier=competency(source, "1.2").identifier
    )

    out, _ = run("derive", "welding", "cutting", "--name", "Both", "--owner", "olga")

    assert out == (
        "Created Both (both): 2 tiers, 3 competencies, 2 place(s) where the sources differ, "
        "to choose on its page\n"
    )
    assert list(
        BlendChoice.objects.order_by("competency__code").values_list("competency__code", "field")
    ) == [("1.1", "definition"), ("1.2", "name")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["welding", "--name", "X"], "give --owner USER (a private model needs an owner) or --public"),
        (["welding", "--name", "X", "--owner", "zed"], "no user named 'zed'"),
    ],
)  # fmt: skip
def test_derive_refusals_are_one_line(who, args, message):
    welding(who["owner"])

    assert refused("derive", *args) == (message, "")
    assert Framework.objects.count() == 1


def test_derive_from_unknown_sources_names_them_all(who):
    welding(who["owner"])

    assert refused("derive", "nope", "welding", "gone", "--name", "X", "--public") == (
        "1 problem(s); nothing was written",
        "new model, sources: there is no framework 'nope', 'gone' you may use\n",
    )
    assert Framework.objects.count() == 1


def test_derive_with_an_empty_name_names_the_problem(who):
    welding(who["owner"])

    assert refused("derive", "welding", "--name", " ", "--public") == (
        "1 problem(s); nothing was written",
        "new model, name: is empty; name the new model\n",
    )
    assert Framework.objects.count() == 1


def test_derive_for_an_owner_who_may_not_see_the_source_is_refused(who):
    save_framework_tree(tree=welding_tree(), where="test", actor=who["owner"])

    assert refused("derive", "welding", "--name", "X", "--owner", "otto") == (
        "1 problem(s); nothing was written",
        "new model, sources: there is no framework 'welding' you may use\n",
    )
    assert Framework.objects.count() == 1


# publish


def test_publish_as_the_system(ours):
    out, _ = run("publish", "our-welding", "--note", "First cut")

    assert out == "Published Our Welding version 1 (draft)\n"
    version = FrameworkVersion.objects.get(framework=ours)
    assert (version.number, version.note, version.published_by) == (1, "First cut", None)


def test_publish_with_a_status_changes_it_first(ours):
    run("publish", "our-welding")

    out, _ = run("publish", "our-welding", "--status", "approved")

    assert out == "Published Our Welding version 2 (approved)\n"
    assert Framework.objects.get(pk=ours.pk).status == Status.APPROVED
    assert list(
        StatusChange.objects.filter(framework=ours).values_list(
            "from_status", "to_status", "changed_by"
        )
    ) == [("draft", "approved", None)]


def test_publish_with_the_status_the_model_has_records_no_change(ours):
    out, _ = run("publish", "our-welding", "--status", "draft")

    assert out == "Published Our Welding version 1 (draft)\n"
    assert not StatusChange.objects.exists()


def test_publish_as_an_editor(who, ours):
    run("publish", "our-welding", "--as", "ed", "--status", "approved")

    assert FrameworkVersion.objects.get().published_by == who["org editor"]
    assert StatusChange.objects.get().changed_by == who["org editor"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "no framework with the slug 'nope'"),
        (["our-welding", "--as", "zed"], "no user named 'zed'"),
        (["our-welding", "--as", "vic"], "You may not change the framework 'our-welding'."),
        (["our-welding", "--as", "vic", "--status", "approved"], "You may not change the framework 'our-welding'."),
        (["our-welding", "--status", "archived"], "A draft framework cannot become archived."),
    ],
)  # fmt: skip
def test_publish_refusals_are_one_line_and_write_nothing(ours, args, message):
    before = state(ours)

    assert refused("publish", *args) == (message, "")
    assert state(ours) == before


# diff


def test_diff_of_a_model_just_derived_from_its_source(ours):
    out, _ = run("diff", "welding", "our-welding")

    assert out == (
        "Welding Model (current) → Our Welding (current): 0 added, 0 removed, 0 moved, 0 edited\n"
    )


def test_diff_lists_every_change_with_word_marks(who, ours):
    owner = who["owner"]
    run("publish", "our-welding")
    editing.update_competency(
        actor=owner,
        competency=competency(ours, "1.1"),
        name="Teamwork",
        definition="Working well with others.",
        revision=1,
    )
    editing.add_behavior(actor=owner, competency=competency(ours, "1.2"), text="Owning up")
    editing.leave_out_competency(actor=owner, competency=competency(ours, "2.1"))

    out, _ = run("diff", "our-welding@1", "our-welding")

    assert out.splitlines() == [
        "Our Welding version 1 → Our Welding (current): 1 added, 2 removed, 0 moved, 1 edited",
        "  edited   competency Teamwork  (Tier 1)",
        "             definition: Working{+ well+} with others.",
        "  removed  competency Reading  (Tier 2)",
        "  added    behavior   Owning up  (Integrity)",
        "  removed  behavior   Reading weld procedure specifications  (Reading)",
    ]


def test_diff_between_two_versions_and_a_source_taken(who, ours):
    run("publish", "our-welding")
    editing.update_behavior(
        actor=who["owner"],
        behavior=competency(ours, "1.2").behaviors.get(),
        title="",
        text="Reporting every defect honestly",
        revision=1,
    )
    run("publish", "our-welding")

    versions, _ = run("diff", "our-welding@1", "our-welding@2")
    source, _ = run("diff", "welding", "our-welding@2")

    expected_tail = [
        "  edited   behavior   Reporting every defect honestly  (Integrity)",
        "             text: Reporting [-defects-]{+every defect+} honestly",
    ]
    assert versions.splitlines()[1:] == source.splitlines()[1:]
    assert source.splitlines()[0] == (
        "Welding Model (current) → Our Welding version 2: 0 added, 0 removed, 0 moved, 1 edited"
    )
    assert versions.splitlines()[1:] == expected_tail


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("nope", "our-welding", "No framework 'nope'."),
        ("our-welding@one", "our-welding", "'one' is not a version: use a number, 'draft' or 'source:SLUG'."),
        ("our-welding@4", "our-welding", "Our Welding has no version 4."),
    ],
)  # fmt: skip
def test_diff_refusals_are_one_line(ours, before, after, message):
    assert refused("diff", before, after) == (message, "")


def test_commands_see_private_models(who):
    save_framework_tree(tree=welding_tree(), where="test", actor=UserFactory())

    out, _ = run("diff", "welding", "welding@draft")

    assert out.startswith("Welding Model (current) → Welding Model (current): 0 added")
