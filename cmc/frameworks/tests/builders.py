"""What the "build a model" tests share: the people around a shared model and its state."""

from django.contrib.auth.models import AnonymousUser

from cmc.accounts.models import Membership
from cmc.factories import MembershipFactory, OrganizationFactory, UserFactory, welding_tree
from cmc.frameworks.models import (
    BlendChoice,
    Competency,
    Framework,
    FrameworkVersion,
    KeyBehavior,
    LeftOut,
    StatusChange,
    Tier,
)
from cmc.frameworks.services import derive_framework, save_framework_tree
from cmc.frameworks.trees import BehaviorNode, CompetencyNode, FrameworkTree, TierNode

ROLES = ["owner", "org editor", "org viewer", "outsider", "anonymous", "nobody"]
MAY_EDIT = {"owner", "org editor"}


def people() -> dict:
    """An owner, an organization with an editor and a viewer, an outsider (editor of another
    organization), the anonymous user and None."""
    organization = OrganizationFactory(name="Welders Guild", slug="welders-guild")
    return {
        "organization": organization,
        "owner": UserFactory(username="olga"),
        "org editor": MembershipFactory(
            organization=organization, role=Membership.Role.EDITOR, user__username="ed"
        ).user,
        "org viewer": MembershipFactory(
            organization=organization, role=Membership.Role.VIEWER, user__username="vic"
        ).user,
        "outsider": MembershipFactory(role=Membership.Role.EDITOR, user__username="otto").user,
        "anonymous": AnonymousUser(),
        "nobody": None,
    }


def welding(owner) -> Framework:
    """The public welding model (see welding_tree), owned by `owner`."""
    save_framework_tree(tree=welding_tree(), where="test", actor=owner, visibility="public")
    return Framework.objects.get(slug="welding")


def shared_derived(who: dict) -> Framework:
    """ "Our Welding": derived by the owner from the welding model, shared with the
    organization of `who`."""
    source = welding(who["owner"])
    framework = derive_framework(actor=who["owner"], sources=[source], name="Our Welding")
    Framework.objects.filter(pk=framework.pk).update(
        organization=who["organization"], visibility="organization"
    )
    return Framework.objects.get(pk=framework.pk)


def state(framework: Framework) -> dict:
    """Everything an edit could change in a framework, as plain values."""
    return {
        "framework": tuple(
            Framework.objects.filter(pk=framework.pk).values_list(
                "name", "status", "build_step", "updated_at"
            )[0]
        ),
        "tiers": list(
            Tier.objects.filter(framework=framework)
            .order_by("position")
            .values_list("identifier", "number", "name", "position", "revision")
        ),
        "competencies": list(
            Competency.objects.filter(framework=framework)
            .order_by("tier__position", "position")
            .values_list(
                "identifier", "code", "name", "definition", "position", "origin", "revision"
            )
        ),
        "behaviors": list(
            KeyBehavior.objects.filter(competency__framework=framework)
            .order_by("competency__tier__position", "competency__position", "position")
            .values_list("identifier", "title", "text", "position", "origin", "revision")
        ),
        "left out": list(
            LeftOut.objects.filter(framework=framework).values_list("kind", "label").order_by("id")
        ),
        "choices": list(
            BlendChoice.objects.filter(competency__framework=framework)
            .order_by("id")
            .values_list("field", "chosen")
        ),
        "versions": list(
            FrameworkVersion.objects.filter(framework=framework).values_list("number", flat=True)
        ),
        "status changes": StatusChange.objects.filter(framework=framework).count(),
    }


def competency(framework: Framework, code: str) -> Competency:
    return Competency.objects.select_related("framework", "tier").get(
        framework=framework, code=code
    )


def behaviors_of(item: Competency) -> list[tuple[int, str]]:
    return list(item.behaviors.order_by("position").values_list("position", "text"))


def generated_tree(slug: str, sizes: dict[int, tuple[int, int]]) -> FrameworkTree:
    """Tier number -> (competencies, key behaviors each); every text says where it is."""
    return FrameworkTree(
        name=f"Model {slug}",
        slug=slug,
        kind="industry",
        tiers=[
            TierNode(
                number=number,
                name=f"Tier {number} work",
                competencies=[
                    CompetencyNode(
                        code=f"{number}.{c}",
                        name=f"Competency {number}.{c}",
                        definition=f"Defined as {number}.{c}.",
                        behaviors=[
                            BehaviorNode(text=f"Behaves as {number}.{c}.{b}")
                            for b in range(1, behaviors + 1)
                        ],
                    )
                    for c in range(1, competencies + 1)
                ],
            )
            for number, (competencies, behaviors) in sizes.items()
        ],
    )
