"""factory_boy factories for the models tests build on, and a small framework tree to save."""

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from cmc.accounts.models import Membership, Organization
from cmc.core.actors import SYSTEM
from cmc.frameworks.models import Competency, Framework, KeyBehavior, Kind, Status, Tier, Visibility
from cmc.frameworks.selectors import framework_tree
from cmc.frameworks.trees import (
    BehaviorNode,
    CompetencyNode,
    FrameworkTree,
    TierNode,
    default_group,
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"organization-{n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.VIEWER


class FrameworkFactory(DjangoModelFactory):
    class Meta:
        model = Framework

    name = factory.Sequence(lambda n: f"Framework {n}")
    slug = factory.Sequence(lambda n: f"framework-{n}")
    kind = Kind.INDUSTRY
    status = Status.APPROVED
    visibility = Visibility.PUBLIC


class TierFactory(DjangoModelFactory):
    class Meta:
        model = Tier

    framework = factory.SubFactory(FrameworkFactory)
    number = factory.LazyAttribute(lambda tier: tier.framework.tiers.count() + 1)
    name = factory.LazyAttribute(lambda tier: f"Tier {tier.number} competencies")
    group = factory.LazyAttribute(lambda tier: default_group(tier.number))
    position = factory.LazyAttribute(lambda tier: tier.number)


class CompetencyFactory(DjangoModelFactory):
    class Meta:
        model = Competency

    tier = factory.SubFactory(TierFactory)
    framework = factory.SelfAttribute("tier.framework")
    position = factory.LazyAttribute(lambda c: c.tier.competencies.count() + 1)
    code = factory.LazyAttribute(lambda c: f"{c.tier.number}.{c.position}")
    name = factory.Sequence(lambda n: f"Competency {n}")
    definition = ""


class KeyBehaviorFactory(DjangoModelFactory):
    class Meta:
        model = KeyBehavior

    competency = factory.SubFactory(CompetencyFactory)
    position = factory.LazyAttribute(lambda b: b.competency.behaviors.count() + 1)
    title = ""
    text = factory.Sequence(lambda n: f"Doing thing number {n}")


def welding_tree(**fields) -> FrameworkTree:
    """Two tiers, three competencies, four key behaviors: the tree most service tests save."""
    return FrameworkTree(
        name=fields.pop("name", "Welding Model"),
        slug=fields.pop("slug", "welding"),
        kind=fields.pop("kind", Kind.INDUSTRY),
        industry=fields.pop("industry", "Manufacturing"),
        tiers=[
            TierNode(
                number=1,
                name="Personal Effectiveness",
                competencies=[
                    CompetencyNode(
                        code="1.1",
                        name="Teamwork",
                        definition="Working with others.",
                        behaviors=[
                            BehaviorNode(text="Sharing tools with the crew"),
                            BehaviorNode(text="Asking for help early", title="Asking"),
                        ],
                    ),
                    CompetencyNode(
                        code="1.2",
                        name="Integrity",
                        behaviors=[BehaviorNode(text="Reporting defects honestly")],
                    ),
                ],
            ),
            TierNode(
                number=2,
                name="Academic",
                competencies=[
                    CompetencyNode(
                        code="2.1",
                        name="Reading",
                        behaviors=[BehaviorNode(text="Reading weld procedure specifications")],
                    )
                ],
            ),
        ],
        **fields,
    )


def loaded(slug: str) -> Framework:
    """A framework with its whole tree, as the system sees it (private ones too)."""
    return framework_tree(user=SYSTEM, slug=slug)
