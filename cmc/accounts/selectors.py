"""Reads for accounts: organizations a user belongs to, members, open invitations, and the
frameworks of an organization a member may see."""

from django.db.models import QuerySet

from .models import ApiToken, Invitation, Membership, Organization


def organizations_of(*, user) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).order_by("name")


def memberships_of(*, user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name")
    )


def organization_for_member(*, user, slug: str) -> Organization | None:
    """The organization if the user is one of its members (others may not see it)."""
    return organizations_of(user=user).filter(slug=slug).first()


def members(*, organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("user__username")


def open_invitations(*, organization: Organization) -> QuerySet[Invitation]:
    return organization.invitations.filter(accepted_at__isnull=True)


def organization_frameworks(*, organization: Organization, user) -> QuerySet:
    """The organization's frameworks that this user may see: shared or public ones, and their
    own; a member's model set back to private is that member's alone."""
    # The related manager is the frameworks' own queryset, so visibility is decided there.
    return organization.frameworks.visible_to(user).order_by("name")


def invitation(*, token: str) -> Invitation | None:
    """The invitation with this token (accepted or not), with its organization."""
    return Invitation.objects.select_related("organization").filter(token=token).first()


def tokens_of(*, user) -> QuerySet[ApiToken]:
    """The user's API tokens, oldest first."""
    return ApiToken.objects.filter(user=user).order_by("created_at")
