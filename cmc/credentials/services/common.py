"""What the credential and pathway services share: checking the common fields, sharing, slugs."""

from django.core.exceptions import PermissionDenied
from django.utils.text import slugify

from cmc.accounts.models import Membership, Organization
from cmc.core.actors import is_system, person
from cmc.core.errors import InvalidInput, Problem

from ..models import Visibility

MAX_TEXT = 20_000


def text(problems, where, data, field, most, *, required=False) -> str:
    """A trimmed text field; a problem if it is missing (when required) or too long."""
    value = data.get(field)
    value = "" if value is None else str(value).replace("\x00", "").strip()
    if required and not value:
        problems.append(Problem(where, field, "is required"))
    elif len(value) > most:
        problems.append(Problem(where, field, f"must be at most {most} characters"))
    return value


def web_address(problems, where, data, field) -> str:
    value = text(problems, where, data, field, 1000)
    if value and not value.startswith(("http://", "https://")):
        problems.append(Problem(where, field, "must be an http or https address"))
    return value


def sharing(problems, where, data, actor) -> dict:
    """Visibility and the organization it is shared with (by slug): only an organization the
    actor belongs to; SYSTEM may name any."""
    visibility = data.get("visibility") or Visibility.PRIVATE
    if visibility not in Visibility.values:
        allowed = ", ".join(Visibility.values)
        problems.append(Problem(where, "visibility", f"must be one of {allowed}"))
    slug = (data.get("organization") or "").strip()
    organization = None
    if slug:
        organization = Organization.objects.filter(slug=slug).first()
        member = is_system(actor) or (
            organization is not None
            and Membership.objects.filter(organization=organization, user=person(actor)).exists()
        )
        if not member:
            problems.append(Problem(where, "organization", f"'{slug}' is not one of yours"))
            organization = None
    if visibility == Visibility.ORGANIZATION and organization is None and not slug:
        problems.append(Problem(where, "organization", "is required to share with one"))
    return {"visibility": visibility, "organization": organization}


def require_person(actor, what: str) -> None:
    if not is_system(actor) and person(actor) is None:
        raise PermissionDenied(f"Sign in to {what}.")


def unique_slug(model, wanted: str, name: str, problems, where, *, own_pk=None) -> str:
    """The slug asked for (refused if taken), or one made from the name."""
    if wanted:
        slug = slugify(wanted)[:120]
        if slug != wanted:
            problems.append(
                Problem(where, "slug", "may hold only lowercase letters, digits and hyphens")
            )
        elif model.objects.filter(slug=slug).exclude(pk=own_pk).exists():
            problems.append(Problem(where, "slug", f"'{slug}' is taken; choose another"))
        return slug
    base = slugify(name)[:110].strip("-") or model._meta.model_name
    slug, number = base, 2
    while model.objects.filter(slug=slug).exclude(pk=own_pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def refuse(problems, detail: str) -> None:
    if problems:
        raise InvalidInput(problems, detail=detail)


MAX_DESCRIPTION = MAX_TEXT
