import pytest
from django.contrib.auth.models import AnonymousUser

from cmc.accounts.models import Membership
from cmc.credentials import services
from cmc.factories import MembershipFactory, OrganizationFactory, UserFactory, welding_tree
from cmc.frameworks.models import Framework
from cmc.frameworks.services import save_framework_tree

ROLES = ["owner", "org editor", "org viewer", "outsider", "anonymous"]
MAY_CHANGE = {"owner", "org editor"}


@pytest.fixture
def who(db) -> dict:
    """An owner, an organization (the credential's and the endorsing body) with an editor and
    a viewer, an outsider (editor of another organization) and the anonymous user."""
    organization = OrganizationFactory(name="Welders Guild", slug="welders-guild")
    owner = UserFactory(username="olga")
    Membership.objects.create(organization=organization, user=owner, role=Membership.Role.OWNER)
    return {
        "organization": organization,
        "owner": owner,
        "org editor": MembershipFactory(
            organization=organization, role=Membership.Role.EDITOR, user__username="ed"
        ).user,
        "org viewer": MembershipFactory(
            organization=organization, role=Membership.Role.VIEWER, user__username="vic"
        ).user,
        "outsider": MembershipFactory(role=Membership.Role.EDITOR, user__username="otto").user,
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def welding(who) -> Framework:
    """The public welding model: tier 1 (1.1 Teamwork, 1.2 Integrity), tier 2 (2.1 Reading)."""
    save_framework_tree(tree=welding_tree(), where="test", actor=who["owner"], visibility="public")
    return Framework.objects.get(slug="welding")


@pytest.fixture
def credential(who):
    """A certification shared with the Welders Guild, owned by olga."""
    return services.create_credential(
        actor=who["owner"],
        data={
            "name": "Certified Welder",
            "kind": "certification",
            "issuer": "American Welding Society (AWS)",
            "visibility": "organization",
            "organization": "welders-guild",
        },
    )
