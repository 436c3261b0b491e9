"""Suggestions read: the items of a public page one may suggest a change to, the triage queue
of a model's editors, and a suggestion as its suggester follows it."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cmc.frameworks.models import Competency, Framework, KeyBehavior, Visibility
from cmc.frameworks.selectors import may_edit, visible_framework

from ..links import hash_secret
from ..models import ItemKind, Suggestion


@dataclass
class Target:
    """An item of a model's draft one may suggest a change to."""

    kind: str
    identifier: uuid.UUID
    label: str
    title: str
    text: str
    ref: str


def why_no_suggestions(framework: Framework) -> str:
    """Why the model takes no suggestions from its readers, or "" when it takes them: a model
    shared beyond its owner (public, or with an organization) takes them; a private one is
    changed by its owner directly, and nobody triages the reference content shipped with the
    site. Read from the framework's own fields: no query."""
    if framework.is_reference:
        return (
            "This model is reference content shipped with the site and takes no suggestions; "
            "build your own model from it to change it."
        )
    if framework.visibility == Visibility.PRIVATE:
        return "This model is private: its owner changes it directly and takes no suggestions."
    return ""


def takes_suggestions(framework: Framework) -> bool:
    """Whether readers may suggest changes to the model's competencies and key behaviors."""
    return not why_no_suggestions(framework)


def target(framework: Framework, identifier) -> Target:
    """The competency or key behavior of the framework named by its identifier, or 404."""
    try:
        key = uuid.UUID(str(identifier))
    except ValueError:
        raise Http404("No such competency or key behavior in this model.") from None
    competency = Competency.objects.filter(framework=framework, identifier=key).first()
    if competency is not None:
        return Target(ItemKind.COMPETENCY, key, competency.name, competency.name,
                      competency.definition, competency.code)  # fmt: skip
    behavior = (
        KeyBehavior.objects.filter(competency__framework=framework, identifier=key)
        .select_related("competency")
        .first()
    )
    if behavior is None:
        raise Http404("No such competency or key behavior in this model.")
    ref = f"{behavior.competency.code} behavior {behavior.position}"
    return Target(ItemKind.BEHAVIOR, key, behavior.title or behavior.text, behavior.title,
                  behavior.text, ref)  # fmt: skip


def triage(*, user, slug: str) -> tuple[Framework, dict[str, list[Suggestion]]]:
    """A framework the user may edit and its suggestions by state (held first, then open,
    then those decided); 404 unseen, 403 read-only."""
    framework = visible_framework(user=user, slug=slug, whole=True)
    if not may_edit(framework=framework, actor=user):
        raise PermissionDenied("Only the model's editors triage its suggestions.")
    rows = framework.suggestions.select_related("suggested_by", "decided_by").prefetch_related(
        "replies__author"
    )
    grouped: dict[str, list[Suggestion]] = {state: [] for state in Suggestion.State.values}
    for row in rows:
        grouped[row.state].append(row)
    return framework, grouped


def editable_suggestion(*, user, identifier) -> Suggestion:
    """A suggestion on a framework the user may edit; 404 otherwise (or 403 if they may
    read the framework only)."""
    found = _by_identifier(identifier)
    visible_framework(user=user, slug=found.framework.slug)
    if not may_edit(framework=found.framework, actor=user):
        raise PermissionDenied("Only the model's editors triage its suggestions.")
    return found


def _by_identifier(identifier) -> Suggestion:
    try:
        key = uuid.UUID(str(identifier))
    except ValueError:
        raise Http404("No such suggestion.") from None
    found = Suggestion.objects.select_related("framework").filter(identifier=key).first()
    if found is None:
        raise Http404("No such suggestion.")
    return found


def followed(*, token: str = "", user=None, identifier=None) -> Suggestion:
    """A suggestion as its suggester follows it: by the personal link of an anonymous one,
    or by its identifier for the signed-in person who made it; 404 for anyone else."""
    rows = Suggestion.objects.select_related("framework").prefetch_related("replies__author")
    if token:
        found = rows.filter(token_hash=hash_secret(token)).exclude(token_hash="").first()
    elif user is not None and user.is_authenticated and identifier:
        try:
            found = rows.filter(identifier=uuid.UUID(str(identifier)), suggested_by=user).first()
        except ValueError:
            found = None
    else:
        found = None
    if found is None:
        raise Http404("No such suggestion: check that the link was copied whole.")
    return found


def mine(user) -> list[Suggestion]:
    """The suggestions a signed-in person made, newest first."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        Suggestion.objects.filter(suggested_by=user)
        .select_related("framework")
        .prefetch_related("replies")
    )
