"""Writes for accounts: sign-up, organizations, memberships, invitations and API tokens."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cmc.core.errors import Conflict, InvalidInput, Problem

from .models import ApiToken, Invitation, Membership, Organization, hash_token


def create_api_token(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for the user; the raw key is returned once and never stored."""
    raw = ApiToken.new_raw_key()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, key_hash=hash_token(raw), prefix=raw[4:12]
        )
    return token, raw


def revoke_api_token(*, user, prefix: str) -> int:
    """Delete the user's tokens that start with the prefix; returns how many."""
    deleted, _ = ApiToken.objects.filter(user=user, prefix=prefix).delete()
    return deleted


def find_user(username: str):
    return get_user_model().objects.filter(username=username).first()


def role_in(organization: Organization, user) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    membership = Membership.objects.filter(organization=organization, user=user).first()
    return membership.role if membership else None


def _require_owner(organization: Organization, actor) -> None:
    if role_in(organization, actor) != Membership.Role.OWNER:
        raise PermissionDenied(f"Only an owner of {organization.name} may do that.")


def create_organization(*, actor, name: str) -> Organization:
    """A new organization with the actor as its first owner."""
    name = name.strip()
    if not name:
        raise InvalidInput([Problem("organization", "name", "is empty; name the organization")])
    base = slugify(name)[:100] or "organization"
    slug, n = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    with transaction.atomic():
        organization = Organization.objects.create(name=name[:200], slug=slug)
        Membership.objects.create(organization=organization, user=actor, role=Membership.Role.OWNER)
    return organization


def invite(*, actor, organization: Organization, email: str, role: str) -> Invitation:
    """Invite someone by email (owners only); the email carries a one-time link."""
    _require_owner(organization, actor)
    if role not in Membership.Role.values:
        raise InvalidInput([Problem("invitation", "role", f"'{role}' is not a role")])
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organization=organization,
            email=email.strip().lower(),
            role=role,
            token=secrets.token_urlsafe(32),
            invited_by=actor,
        )
    link = f"{settings.CMC_SITE_URL}/accounts/invitations/{invitation.token}/"
    send_mail(
        f"You are invited to {organization.name}",
        f"{actor.get_username()} invites you to join {organization.name} as {role} on the "
        f"competency model platform.\n\nAccept the invitation: {link}\n",
        None,
        [invitation.email],
    )
    return invitation


def accept_invitation(*, user, token: str) -> Membership:
    """Join the organization an open invitation names, with its role."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(token=token, accepted_at__isnull=True)
            .select_related("organization")
            .first()
        )
        if invitation is None:
            raise Conflict("This invitation was used already or does not exist.")
        membership, created = Membership.objects.get_or_create(
            organization=invitation.organization, user=user, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def change_role(*, actor, organization: Organization, user, role: str) -> Membership:
    """Give a member another role (owners only); an organization always keeps one owner."""
    _require_owner(organization, actor)
    if role not in Membership.Role.values:
        raise InvalidInput([Problem("membership", "role", f"'{role}' is not a role")])
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(
            organization=organization, user=user
        )
        _keep_an_owner(organization, membership, role)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def remove_member(*, actor, organization: Organization, user) -> None:
    """Remove a member (owners, or members leaving); the last owner cannot leave."""
    if actor != user:
        _require_owner(organization, actor)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(
            organization=organization, user=user
        )
        _keep_an_owner(organization, membership, None)
        membership.delete()


def _keep_an_owner(organization, membership, new_role) -> None:
    owners = Membership.objects.filter(organization=organization, role=Membership.Role.OWNER)
    if (
        membership.role == Membership.Role.OWNER
        and new_role != Membership.Role.OWNER
        and owners.count() == 1
    ):
        raise Conflict(f"{organization.name} needs at least one owner; name another owner first.")


def sign_up(*, username: str, email: str, password: str):
    """A new account (the form has validated the password with Django's validators)."""
    return get_user_model().objects.create_user(username=username, email=email, password=password)
