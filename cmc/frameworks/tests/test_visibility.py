"""Who sees and who may change a framework: the querysets every view and route starts from."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cmc.accounts.models import Membership
from cmc.factories import (
    CompetencyFactory,
    FrameworkFactory,
    MembershipFactory,
    OrganizationFactory,
    TierFactory,
    UserFactory,
)
from cmc.frameworks.models import Competency, Framework, Tier

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    owner = UserFactory()
    organization = OrganizationFactory()
    return {
        "organization": organization,
        "owner": owner,
        "org owner": MembershipFactory(organization=organization, role=Membership.Role.OWNER).user,
        "org editor": MembershipFactory(
            organization=organization, role=Membership.Role.EDITOR
        ).user,
        "org member": MembershipFactory(
            organization=organization, role=Membership.Role.VIEWER
        ).user,
        "outsider": MembershipFactory(role=Membership.Role.EDITOR).user,  # of another organization
        "anonymous": AnonymousUser(),
        "nobody": None,
    }


def framework_for(people, visibility: str) -> Framework:
    return FrameworkFactory(
        slug="shared",
        owner=people["owner"],
        organization=people["organization"],
        visibility=visibility,
    )


SEES = {
    "private": {"owner"},
    "organization": {"owner", "org owner", "org editor", "org member"},
    "public": {"owner", "org owner", "org editor", "org member", "outsider", "anonymous", "nobody"},
}
EVERYONE = ["owner", "org owner", "org editor", "org member", "outsider", "anonymous", "nobody"]


@pytest.mark.parametrize("visibility", ["private", "organization", "public"])
@pytest.mark.parametrize("who", EVERYONE)
def test_visible_to(people, visibility, who):
    framework = framework_for(people, visibility)
    competency = CompetencyFactory(tier=TierFactory(framework=framework))
    FrameworkFactory(slug="someone-elses", visibility="private", owner=UserFactory())
    user = people[who]

    expected = ["shared"] if who in SEES[visibility] else []
    assert list(Framework.objects.visible_to(user).values_list("slug", flat=True)) == expected
    assert list(Tier.objects.visible_to(user)) == ([competency.tier] if expected else [])
    assert list(Competency.objects.visible_to(user)) == ([competency] if expected else [])


EDITS = {
    "private": {"owner"},
    "organization": {"owner", "org owner", "org editor"},
    "public": {"owner"},
}


@pytest.mark.parametrize("visibility", ["private", "organization", "public"])
@pytest.mark.parametrize("who", EVERYONE)
def test_editable_by(people, visibility, who):
    framework_for(people, visibility)

    expected = ["shared"] if who in EDITS[visibility] else []
    assert list(Framework.objects.editable_by(people[who]).values_list("slug", flat=True)) == (
        expected
    )


def test_a_framework_seen_two_ways_is_listed_once(people):
    """Owned by the user and shared with the user's organization: one row, not two."""
    member = people["org member"]
    FrameworkFactory(
        slug="mine", owner=member, organization=people["organization"], visibility="organization"
    )

    assert list(Framework.objects.visible_to(member).values_list("slug", flat=True)) == ["mine"]


def test_an_import_by_an_editor_who_may_not_manage_sharing_cannot_publish_the_model():
    """Importing a file over an existing model with a visibility (`--public`, the API's
    public=true) changes who may see it: only its managers may, whatever the door."""
    from django.core.exceptions import PermissionDenied

    from cmc.factories import FrameworkFactory, MembershipFactory
    from cmc.frameworks.services import save_framework_tree
    from cmc.frameworks.trees import FrameworkTree, TierNode

    editor = MembershipFactory(role="editor")
    model = FrameworkFactory(
        slug="shared-model", organization=editor.organization, visibility="organization"
    )
    tree = FrameworkTree(name="Shared Model", slug="shared-model", identifier=model.identifier,
                         tiers=[TierNode(number=1, name="Tier 1")])  # fmt: skip
    with pytest.raises(PermissionDenied, match="change who may see it"):
        save_framework_tree(tree=tree, where="t", actor=editor.user, visibility="public")
    model.refresh_from_db()
    assert model.visibility == "organization" and not model.tiers.exists()
    # Without a visibility the editor's import changes the content only.
    save_framework_tree(tree=tree, where="t", actor=editor.user)
    model.refresh_from_db()
    assert model.visibility == "organization" and model.tiers.count() == 1
