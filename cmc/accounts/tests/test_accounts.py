"""Sign-up, profile, organizations, roles, invitations and the sign-in rate limit."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from cmc.accounts import services
from cmc.accounts.models import ApiToken, Invitation, Membership, Organization
from cmc.core.errors import Conflict
from cmc.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-Pass-phrase-42"


def test_sign_up_creates_the_account_and_signs_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "maria",
            "email": "maria@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    user = get_user_model().objects.get(username="maria")
    assert user.email == "maria@example.org"
    assert user.check_password(PASSWORD)
    page = client.get("/accounts/profile/")
    assert "User name: <strong>maria</strong>" in page.content.decode()


def test_sign_up_refuses_a_weak_password_and_writes_nothing(client):
    response = client.post(
        "/accounts/signup/",
        {"username": "weak", "email": "w@example.org", "password1": "123", "password2": "123"},
    )
    assert response.status_code == 200
    assert "This password is too short." in response.content.decode()
    assert not get_user_model().objects.filter(username="weak").exists()


def test_password_reset_sends_a_working_link(client):
    user = UserFactory(email="reset@example.org")
    user.set_password(PASSWORD)
    user.save()
    response = client.post("/accounts/password-reset/", {"email": "reset@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "another-Long-phrase-7", "new_password2": "another-Long-phrase-7"},
    )
    assert done["Location"] == "/accounts/reset/done/"
    user.refresh_from_db()
    assert user.check_password("another-Long-phrase-7")


def test_profile_needs_sign_in(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/profile/"


def test_profile_saves_names(client):
    user = UserFactory()
    client.force_login(user)
    client.post(
        "/accounts/profile/", {"first_name": "Ana", "last_name": "Ruiz", "email": "a@example.org"}
    )
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.email) == ("Ana", "Ruiz", "a@example.org")


def test_tokens_are_shown_once_and_revoked(client):
    user = UserFactory()
    client.force_login(user)
    page = client.post("/accounts/tokens/", {"name": "laptop"}, follow=True)
    raw = re.search(r"(cmc_[A-Za-z0-9_-]{20,})", page.content.decode()).group(1)
    token = ApiToken.objects.get(user=user)
    assert token.name == "laptop"
    assert token.key_hash != raw and len(token.key_hash) == 64
    api = client.get("/api/v1/frameworks", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.status_code == 200
    client.post(f"/accounts/tokens/{token.prefix}/revoke/")
    assert not ApiToken.objects.filter(user=user).exists()


def test_creating_an_organization_makes_the_creator_its_owner(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/accounts/organizations/", {"name": "Gulf Coast Workforce Board"})
    assert response["Location"] == "/accounts/organizations/gulf-coast-workforce-board/"
    organization = Organization.objects.get(slug="gulf-coast-workforce-board")
    assert Membership.objects.get(organization=organization).role == "owner"


def test_an_owner_invites_and_the_invited_person_joins_with_the_role(client):
    owner = MembershipFactory(role="owner")
    organization = owner.organization
    client.force_login(owner.user)
    client.post(
        f"/accounts/organizations/{organization.slug}/invite/",
        {"email": "Lee@Example.org", "role": "editor"},
    )
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("lee@example.org", "editor")
    assert mail.outbox[0].to == ["lee@example.org"]
    assert f"/accounts/invitations/{invitation.token}/" in mail.outbox[0].body
    lee = UserFactory(username="lee")
    client.force_login(lee)
    page = client.get(f"/accounts/invitations/{invitation.token}/")
    assert "as editor" in page.content.decode()
    client.post(f"/accounts/invitations/{invitation.token}/")
    assert Membership.objects.get(user=lee, organization=organization).role == "editor"
    with pytest.raises(Conflict):
        services.accept_invitation(user=UserFactory(), token=invitation.token)


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_owners_invite_and_change_roles(client, role):
    member = MembershipFactory(role=role)
    other = MembershipFactory(organization=member.organization, role="viewer")
    client.force_login(member.user)
    page = client.post(
        f"/accounts/organizations/{member.organization.slug}/invite/",
        {"email": "x@example.org", "role": "owner"},
        follow=True,
    )
    assert f"Only an owner of {member.organization.name} may do that." in page.content.decode()
    client.post(
        f"/accounts/organizations/{member.organization.slug}/members/{other.user.username}/",
        {"role": "owner"},
    )
    other.refresh_from_db()
    assert other.role == "viewer"
    assert not Invitation.objects.exists()


def test_outsiders_do_not_see_an_organization(client):
    organization = OrganizationFactory()
    client.force_login(UserFactory())
    assert client.get(f"/accounts/organizations/{organization.slug}/").status_code == 404


def test_the_last_owner_cannot_leave_or_step_down():
    owner = MembershipFactory(role="owner")
    with pytest.raises(Conflict):
        services.change_role(
            actor=owner.user, organization=owner.organization, user=owner.user, role="viewer"
        )
    with pytest.raises(Conflict):
        services.remove_member(actor=owner.user, organization=owner.organization, user=owner.user)
    owner.refresh_from_db()
    assert owner.role == "owner"


def test_sign_in_is_locked_after_five_failures(client):
    user = UserFactory(username="target")
    user.set_password(PASSWORD)
    user.save()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "target", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "target", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_owner_removes_a_member_and_a_member_leaves(client):
    owner = MembershipFactory(role="owner")
    organization = owner.organization
    leaving = MembershipFactory(organization=organization, role="viewer")
    removed = MembershipFactory(organization=organization, role="editor")
    client.force_login(owner.user)
    client.post(
        f"/accounts/organizations/{organization.slug}/members/{removed.user.username}/",
        {"remove": "1"},
    )
    client.force_login(leaving.user)
    response = client.post(
        f"/accounts/organizations/{organization.slug}/members/{leaving.user.username}/",
        {"remove": "1"},
    )
    assert response["Location"] == "/accounts/profile/"
    assert list(Membership.objects.filter(organization=organization)) == [owner]
