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
from django.views.decorators.http import require_http_methods, require_POST

from cmc.core.errors import InvalidInput
from cmc.frameworks import services
from cmc.frameworks.selectors import editable_framework
from cmc.frameworks.selectors.building import (
    build_competency,
    build_sources,
    models_in_progress,
)
from cmc.frameworks.selectors.building import build_tier as build_tier_view
from cmc.frameworks.services import derive_framework, editing


def _editable(request, slug: str):
    return editable_framework(user=request.user, slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def build_start(request):
    """Step one: the frameworks to start from, and the new model's name."""
    chosen = request.POST.getlist("sources") or request.GET.getlist("from")
    errors = []
    if request.method == "POST":
        try:
            framework = derive_framework(
                actor=request.user,
                sources=chosen,
                name=request.POST.get("name", ""),
                visibility=request.POST.get("visibility", "private"),
            )
        except InvalidInput as error:
            errors = error.problems
        else:
            return redirect("frameworks:build", slug=framework.slug)
    context = {
        "choices": build_sources(user=request.user),
        "chosen": chosen,
        "errors": errors,
        "name": request.POST.get("name", ""),
        "mine": models_in_progress(user=request.user),
    }
    return render(request, "frameworks/build/start.html", context, status=422 if errors else 200)


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


def _back(request, framework, tier_number, anchor="", status=200, **extra):
    """After a change: the card or tier for HTMX, else the tier page at the same place."""
    if request.htmx:
        context = {**_tier_context(framework, tier_number, request.user), **extra}
        if anchor.startswith("card-") and "competency" in extra:
            card = next(
                (c for c in context["cards"] if c.competency.pk == extra["competency"].pk), None
            )
            if card is not None:
                context.update(card=card, competency=card.competency)
                return render(request, "frameworks/build/_card.html", context)
        return render(request, "frameworks/build/_tier_body.html", context)
    if extra.get("problem") or extra.get("conflict"):
        context = {**_tier_context(framework, tier_number, request.user), **extra}
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


@login_required
@require_POST
def build_tier_action(request, slug: str, number: int):
    """Tier-level changes: rename the tier, add a competency, put a left-out one back, merge
    or keep apart likely duplicates (or undo that), renumber the codes."""
    framework = _editable(request, slug)
    tier = get_object_or_404(framework.tiers, number=number)
    action = request.POST.get("action")
    try:
        if action == "rename":
            editing.rename_tier(
                actor=request.user,
                tier=tier,
                name=request.POST.get("name", ""),
                revision=_revision(request),
            )
        elif action == "add-competency":
            editing.add_competency(
                actor=request.user,
                tier=tier,
                name=request.POST.get("name", ""),
                definition=request.POST.get("definition", ""),
            )
        elif action == "choose":
            choice = get_object_or_404(tier.blend_choices, pk=_pk(request.POST.get("choice")))
            editing.resolve_blend_choice(
                actor=request.user,
                choice=choice,
                option=_option(request.POST.get("option")),
                revision=_revision(request),
            )
        elif action == "restore-competency":
            record = get_object_or_404(framework.left_out, pk=_pk(request.POST.get("record")))
            editing.restore_competency(actor=request.user, record=record)
        elif action in DUPLICATE_ACTIONS:
            pair = get_object_or_404(tier.likely_duplicates, pk=_pk(request.POST.get("duplicate")))
            DUPLICATE_ACTIONS[action](actor=request.user, duplicate=pair)
        elif action == "renumber":
            services.renumber_codes(actor=request.user, framework=framework, tier=tier)
        else:
            raise Http404("No such action.")
    except editing.EditConflict as conflict:
        return _back(request, framework, number, status=409, conflict=conflict)
    except (InvalidInput, editing.Conflict) as error:
        return _back(request, framework, number, status=422, problem=str(error))
    return _back(request, framework, number, anchor=f"tier-{number}")


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


@login_required
@require_POST
def build_competency_action(request, slug: str, code: str):
    """Changes to one competency and its key behaviors; answers with its card."""
    framework = _editable(request, slug)
    competency = build_competency(framework, code)
    number = competency.tier.number
    action = request.POST.get("action", "")
    if action not in COMPETENCY_ACTIONS | BEHAVIOR_ACTIONS:
        raise Http404("No such action.")
    try:
        _apply(request, framework, competency, action)
    except editing.EditConflict as conflict:
        return _back(
            request, framework, number, anchor=f"card-{competency.pk}", status=409,
            competency=competency, conflict=conflict,
        )  # fmt: skip
    except (InvalidInput, editing.Conflict) as error:
        return _back(
            request, framework, number, anchor=f"card-{competency.pk}", status=422,
            competency=competency, problem=str(error),
        )  # fmt: skip
    if action == "leave-out":
        if not request.htmx:
            messages.success(request, f"{competency.name} was left out; it can be put back below.")
        return _back(request, framework, number, anchor=f"tier-{number}")
    if action in ("move-up", "move-down"):  # the order of the tier changed: redraw the tier
        return _back(request, framework, number, anchor=f"card-{competency.pk}")
    return _back(request, framework, number, anchor=f"card-{competency.pk}", competency=competency)


def _behavior(competency, request):
    return get_object_or_404(competency.behaviors, identifier=_uuid(request.POST.get("behavior")))


def _apply(request, framework, competency, action) -> None:
    user, post = request.user, request.POST
    if action == "edit":
        editing.update_competency(
            actor=user, competency=competency, name=post.get("name", ""),
            definition=post.get("definition", ""), revision=_revision(request),
        )  # fmt: skip
    elif action == "leave-out":
        editing.leave_out_competency(actor=user, competency=competency)
    elif action in ("move-up", "move-down"):
        editing.move_competency(
            actor=user, competency=competency, offset=-1 if action == "move-up" else 1
        )
    elif action == "add-behavior":
        editing.add_behavior(
            actor=user,
            competency=competency,
            text=post.get("text", ""),
            title=post.get("title", ""),
        )
    elif action == "include-all":
        editing.include_all_behaviors(actor=user, competency=competency)
    elif action == "choose":
        choice = get_object_or_404(competency.blend_choices, pk=_pk(post.get("choice")))
        editing.resolve_blend_choice(
            actor=user, choice=choice, option=_option(post.get("option")),
            revision=_revision(request),
        )  # fmt: skip
    elif action == "edit-behavior":
        editing.update_behavior(
            actor=user, behavior=_behavior(competency, request), title=post.get("title", ""),
            text=post.get("text", ""), revision=_revision(request),
        )  # fmt: skip
    elif action == "leave-out-behavior":
        editing.leave_out_behavior(actor=user, behavior=_behavior(competency, request))
    elif action == "restore-behavior":
        record = get_object_or_404(competency.left_out, pk=_pk(post.get("record")))
        editing.restore_behavior(actor=user, record=record)
    else:
        editing.move_behavior(
            actor=user, behavior=_behavior(competency, request),
            offset=-1 if action == "behavior-up" else 1,
        )  # fmt: skip
