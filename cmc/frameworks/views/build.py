"""The "Build a model" flow: choose sources, then walk the new model tier by tier.

Every change is a small form posted on its own. With HTMX the changed competency card (or the
tier) is swapped in place; without JavaScript the form posts and the page comes back at the
same place. Work is saved as it is made, and the flow resumes at the tier it was left on."""

from functools import partial
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.views.decorators.http import require_http_methods, require_POST

from cmc.core.errors import InvalidInput
from cmc.core.forms import Refusal, refusal
from cmc.frameworks import services
from cmc.frameworks.selectors import editable_framework
from cmc.frameworks.selectors.building import (
    build_competency,
    build_sources,
    models_in_progress,
)
from cmc.frameworks.selectors.building import build_tier as build_tier_view
from cmc.frameworks.services import derive_framework, editing

from .build_feedback import Done, Failed, failed, tell


def _editable(request, slug: str):
    return editable_framework(user=request.user, slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def build_start(request):
    """Step one: the frameworks to start from, and the new model's name."""
    chosen = request.POST.getlist("sources") or request.GET.getlist("from")
    choices = build_sources(user=request.user)
    refused = Refusal()
    if request.method == "POST":
        try:
            framework = derive_framework(
                actor=request.user,
                sources=chosen,
                name=request.POST.get("name", ""),
                visibility=request.POST.get("visibility", "private"),
            )
        except InvalidInput as error:
            first = next(iter(choices), None)
            anchors = {"name": "id_name", "visibility": "id_visibility"}
            if first is not None:
                anchors["sources"] = f"source-{first.slug}"
            refused = refusal(error.problems, anchors)
        else:
            return redirect("frameworks:build", slug=framework.slug)
    context = {
        "choices": choices,
        "chosen": chosen,
        "refused": refused,
        "name": request.POST.get("name", ""),
        "visibility": request.POST.get("visibility", "private"),
        "mine": models_in_progress(user=request.user),
    }
    status = 422 if refused.summary else 200
    return render(request, "frameworks/build/start.html", context, status=status)


@login_required
def build_resume(request, slug: str):
    framework = _editable(request, slug)
    first = framework.tiers.order_by("position").first()
    number = framework.build_step or (first.number if first else None)
    if number is None:
        return redirect(framework.get_absolute_url())
    return redirect("frameworks:build_tier", slug=slug, number=number)


def _tier_context(framework, number: int, user) -> dict:
    return vars(build_tier_view(framework, number, user=user))


@login_required
def build_tier(request, slug: str, number: int):
    framework = _editable(request, slug)
    context = _tier_context(framework, number, request.user)
    editing.set_build_step(actor=request.user, framework=framework, tier_number=number)
    return render(request, "frameworks/build/tier.html", context)


def _back(request, framework, tier_number, *, anchor="", competency=None, outcome=None):
    """After a change: the card (or the tier, when its order or its list changed) for HTMX,
    with what to announce and where focus goes; else the tier page at the same place, or
    again with the refusal beside the form that sent it."""
    refused = isinstance(outcome, Failed)
    if request.htmx:
        shown = outcome if refused else None
        context = {**_tier_context(framework, tier_number, request.user), "failed": shown}
        card = competency and next(
            (c for c in context["cards"] if c.competency.pk == competency.pk), None
        )
        if card:
            context.update(card=card, competency=card.competency)
            return tell(render(request, "frameworks/build/_card.html", context), outcome)
        return tell(render(request, "frameworks/build/_tier_body.html", context), outcome)
    if refused:
        context = {**_tier_context(framework, tier_number, request.user), "failed": outcome}
        status = 409 if outcome.conflict else 422
        return render(request, "frameworks/build/tier.html", context, status=status)
    url = reverse("frameworks:build_tier", kwargs={"slug": framework.slug, "number": tier_number})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _pk(value) -> int:
    """A record number from a form; anything else is no such record."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 0 < number < 2**63:
        raise Http404("No such record.")
    return number


def _uuid(value) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise Http404("No such key behavior.") from None


def _option(value) -> int:
    """The reading chosen; anything else is refused by the service as not one shown."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _revision(request) -> int:
    try:
        return int(request.POST.get("revision", "0"))
    except ValueError:
        return 0


DUPLICATE_ACTIONS = {
    "merge-first": partial(services.merge_duplicate, keep="first"),
    "merge-second": partial(services.merge_duplicate, keep="second"),
    "keep-apart": services.keep_apart,
    "undo-duplicate": services.undo_duplicate,
}
DUPLICATE_SAID = {
    "merge-first": "Merged",
    "merge-second": "Merged",
    "keep-apart": "Kept apart",
    "undo-duplicate": "Undone",
}
REFUSED = (InvalidInput, editing.Conflict)  # EditConflict is a Conflict


@login_required
@require_POST
def build_tier_action(request, slug: str, number: int):
    """Tier-level changes: rename the tier, add a competency, put a left-out one back, merge
    or keep apart likely duplicates (or undo that), renumber the codes."""
    framework = _editable(request, slug)
    tier = get_object_or_404(framework.tiers, number=number)
    action = request.POST.get("action")
    try:
        done = _apply_to_tier(request, framework, tier, action)
    except REFUSED as error:
        outcome = failed(error, form=action, post=request.POST)
        return _back(request, framework, number, outcome=outcome)
    return _back(request, framework, number, anchor=f"tier-{number}", outcome=done)


def _apply_to_tier(request, framework, tier, action) -> Done:
    user, post = request.user, request.POST
    if action == "rename":
        tier = editing.rename_tier(
            actor=user, tier=tier, name=post.get("name", ""), revision=_revision(request)
        )
        return Done(f"Tier renamed: {tier.name}", "tier-rename")
    if action == "add-competency":
        added = editing.add_competency(
            actor=user, tier=tier, name=post.get("name", ""), definition=post.get("definition", "")
        )
        return Done(f"Added: {added.code} {added.name}", f"name-{added.pk}")
    if action == "choose":
        choice = get_object_or_404(tier.blend_choices, pk=_pk(post.get("choice")))
        tier = editing.resolve_blend_choice(
            actor=user, choice=choice, option=_option(post.get("option")),
            revision=_revision(request),
        )  # fmt: skip
        return Done(f"Tier name chosen: {tier.name}", "tier-heading")
    if action == "restore-competency":
        record = get_object_or_404(framework.left_out, pk=_pk(post.get("record")))
        back = editing.restore_competency(actor=user, record=record)
        return Done(f"Put back: {back.code} {back.name}", f"name-{back.pk}")
    if action in DUPLICATE_ACTIONS:
        pair = get_object_or_404(tier.likely_duplicates, pk=_pk(post.get("duplicate")))
        DUPLICATE_ACTIONS[action](actor=user, duplicate=pair)
        return Done(DUPLICATE_SAID[action], "duplicates-heading")
    if action == "renumber":
        changed = services.renumber_codes(actor=user, framework=framework, tier=tier)
        return Done(f"Codes renumbered: {changed} changed", "tier-heading")
    raise Http404("No such action.")


COMPETENCY_ACTIONS = {
    "edit",
    "leave-out",
    "move-up",
    "move-down",
    "add-behavior",
    "include-all",
    "choose",
}
BEHAVIOR_ACTIONS = {
    "edit-behavior",
    "leave-out-behavior",
    "restore-behavior",
    "behavior-up",
    "behavior-down",
}
# Actions whose form redraws the whole tier (the order or the list of competencies changes).
TIER_REDRAWN = {"leave-out", "move-up", "move-down"}


@login_required
@require_POST
def build_competency_action(request, slug: str, code: str):
    """Changes to one competency and its key behaviors; answers with its card (or the tier,
    when the competency moved or was left out)."""
    framework = _editable(request, slug)
    competency = build_competency(framework, code)
    number = competency.tier.number
    action = request.POST.get("action", "")
    if action not in COMPETENCY_ACTIONS | BEHAVIOR_ACTIONS:
        raise Http404("No such action.")
    behavior = (
        _behavior(competency, request)
        if action in BEHAVIOR_ACTIONS - {"restore-behavior"}
        else None
    )
    card = None if action in TIER_REDRAWN else competency
    try:
        done = _apply(request, framework, competency, behavior, action)
    except REFUSED as error:
        outcome = failed(
            error, form=action, post=request.POST, competency=competency, behavior=behavior
        )
        return _back(request, framework, number, competency=card, outcome=outcome)
    if action == "leave-out" and not request.htmx:
        messages.success(request, f"{competency.name} was left out; it can be put back below.")
    anchor = f"tier-{number}" if action == "leave-out" else f"card-{competency.pk}"
    return _back(request, framework, number, anchor=anchor, competency=card, outcome=done)


def _behavior(competency, request):
    return get_object_or_404(competency.behaviors, identifier=_uuid(request.POST.get("behavior")))


def _apply(request, framework, competency, behavior, action) -> Done:
    user, post, pk = request.user, request.POST, competency.pk
    if action == "edit":
        competency = editing.update_competency(
            actor=user, competency=competency, name=post.get("name", ""),
            definition=post.get("definition", ""), revision=_revision(request),
        )  # fmt: skip
        return Done(f"Saved: {competency.code} {competency.name}", f"c{pk}-edit")
    if action == "leave-out":
        record = editing.leave_out_competency(actor=user, competency=competency)
        return Done(f"Left out: {competency.name}", f"r{record.pk}-back")
    if action in ("move-up", "move-down"):
        up = action == "move-up"
        editing.move_competency(actor=user, competency=competency, offset=-1 if up else 1)
        return Done(f"Moved {'up' if up else 'down'}: {competency.name}", f"c{pk}-{action[5:]}")
    if action == "add-behavior":
        added = editing.add_behavior(
            actor=user, competency=competency, text=post.get("text", ""),
            title=post.get("title", ""),
        )  # fmt: skip
        return Done(f"Key behavior added to {competency.name}", f"behavior-{added.pk}")
    if action == "include-all":
        count = editing.include_all_behaviors(actor=user, competency=competency)
        return Done(f"{count} key behaviors put back in {competency.name}", f"name-{pk}")
    if action == "choose":
        choice = get_object_or_404(competency.blend_choices, pk=_pk(post.get("choice")))
        editing.resolve_blend_choice(
            actor=user, choice=choice, option=_option(post.get("option")),
            revision=_revision(request),
        )  # fmt: skip
        return Done(f"Chosen for {competency.name}", f"name-{pk}")
    return _apply_to_behavior(request, competency, behavior, action)


def _apply_to_behavior(request, competency, behavior, action) -> Done:
    user, post = request.user, request.POST
    if action == "edit-behavior":
        editing.update_behavior(
            actor=user, behavior=behavior, title=post.get("title", ""),
            text=post.get("text", ""), revision=_revision(request),
        )  # fmt: skip
        return Done(f"Saved key behavior {behavior.position}", f"b{behavior.pk}-edit")
    if action == "leave-out-behavior":
        record = editing.leave_out_behavior(actor=user, behavior=behavior)
        return Done(f"Left out: {_short(record.label)}", f"r{record.pk}-back")
    if action == "restore-behavior":
        record = get_object_or_404(competency.left_out, pk=_pk(post.get("record")))
        back = editing.restore_behavior(actor=user, record=record)
        return Done(f"Put back: {_short(back.text)}", f"behavior-{back.pk}")
    up = action == "behavior-up"
    editing.move_behavior(actor=user, behavior=behavior, offset=-1 if up else 1)
    said = f"Moved {'up' if up else 'down'}: {_short(behavior.text)}"
    return Done(said, f"b{behavior.pk}-{action[9:]}")


def _short(text: str) -> str:
    return Truncator(text).chars(80)
