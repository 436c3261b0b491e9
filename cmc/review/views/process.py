"""The development process page of a model: the guide's six steps, background information,
approvers and approvals, and publishing through the process."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cmc.core.errors import Conflict, InvalidInput
from cmc.core.http import attachment
from cmc.frameworks.selectors import visible_framework

from ..selectors import approvals, background, process, validation
from ..services import process as services


def _framework(request, slug: str):
    framework = visible_framework(user=request.user, slug=slug, whole=True)
    approvals.require_process_reader(framework=framework, user=request.user)
    return framework


def _context(request, framework, problems=(), conflict="") -> dict:
    steps = process.process_steps(framework)
    return {
        "framework": framework,
        "guide": process.GUIDE,
        "steps": steps,
        "next_step": process.next_step(steps),
        "background": background.background_items(framework),
        "models": background.models_to_draw_on(user=request.user, exclude=framework),
        "approvers": approvals.approvers(framework),
        "may_choose_approvers": approvals.may_manage_process(
            framework=framework, user=request.user
        ),
        "is_approver": approvals.is_approver(framework=framework, user=request.user),
        "publication": approvals.latest_publication(framework),
        "validation": validation.validation_state(framework),
        "problems": problems,
        "conflict": conflict,
    }


@login_required
@require_GET
def process_page(request, slug: str):
    framework = _framework(request, slug)
    return render(request, "review/process.html", _context(request, framework))


def _acted(request, slug, action, done: str):
    framework = _framework(request, slug)
    try:
        action(framework)
    except InvalidInput as error:
        context = _context(request, framework, problems=error.problems)
        return render(request, "review/process.html", context, status=422)
    except Conflict as error:
        return render(
            request,
            "review/process.html",
            _context(request, framework, conflict=str(error)),
            status=409,
        )
    messages.success(request, done)
    return redirect("review:process", slug=slug)


@login_required
@require_POST
def background_add(request, slug: str):
    data, kind = request.POST, request.POST.get("kind", "")

    def add(framework):
        common = {"framework": framework, "actor": request.user, "note": data.get("note", "")}
        if kind == "document":
            upload = request.FILES.get("file")
            limit = services.document_guard().limits.bytes
            services.add_document(
                **common, name=upload.name if upload else "",
                data=upload.read(limit + 1) if upload else b"",
                content_type=upload.content_type if upload else "", title=data.get("title", ""),
            )  # fmt: skip
        elif kind == "link":
            services.add_link(**common, url=data.get("url", ""), title=data.get("title", ""))
        elif kind == "model":
            model = visible_framework(user=request.user, slug=data.get("model", ""), whole=True)
            services.add_model(**common, model=model)
        elif kind == "occupation":
            services.add_occupation(
                **common, code=data.get("code", ""), title=data.get("title", "")
            )
        else:
            raise Http404("No such kind of background information.")

    return _acted(request, slug, add, "Added to the background information.")


@login_required
@require_POST
def background_remove(request, slug: str, identifier):
    def remove(framework):
        item = background.background_item(framework, identifier)
        services.remove_background(item=item, actor=request.user)

    return _acted(request, slug, remove, "Removed from the background information.")


@login_required
@require_GET
def background_download(request, slug: str, identifier):
    framework = visible_framework(user=request.user, slug=slug, whole=True)
    item = background.background_document(
        user=request.user, framework=framework, identifier=identifier
    )
    return attachment(bytes(item.content), item.content_type, item.filename.replace('"', ""))


@login_required
@require_POST
def approvers_change(request, slug: str):
    data = request.POST

    def change(framework):
        if data.get("remove"):
            services.remove_approver(
                framework=framework, actor=request.user, username=data["remove"]
            )
        else:
            services.designate_approver(
                framework=framework, actor=request.user, username=data.get("username", "")
            )

    return _acted(request, slug, change, "The approvers are updated.")


@login_required
@require_POST
def approve(request, slug: str):
    def approve_it(framework):
        services.approve(framework=framework, actor=request.user, note=request.POST.get("note", ""))

    return _acted(request, slug, approve_it, "Your approval is recorded.")


@login_required
@require_POST
def publish(request, slug: str):
    def publish_it(framework):
        services.publish(framework=framework, actor=request.user, note=request.POST.get("note", ""))

    return _acted(
        request,
        slug,
        publish_it,
        "Published: the version is frozen, with the round and validation that support it.",
    )
