"""Lattice pages: the list, a lattice (diagram, list view, routes, files) and the build page.

The build page's forms work as plain forms; with HTMX each answers with the whole page and the
form's section is swapped in (hx-select), so that a change redraws the diagram and the lists
without a reload. A refused form is shown again with a summary of its problems linking to
each field and the problem beside its field (422 without HTMX; HTMX only swaps a success, so
it gets 200)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cmc.core.errors import InvalidInput
from cmc.core.http import attachment
from cmc.occupations import selectors as occupations

from . import forms, pictures, selectors, services

LATTICE_FIELDS = ("name", "description", "framework")
SHARING_FIELDS = ("visibility", "organization")
POSITION_FIELDS = ("occupation", "title", "level", "track", "education", "experience", "credentials", "key")  # fmt: skip


@require_http_methods(["GET", "POST"])
def index(request):
    form = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        data = {name: request.POST.get(name, "") for name in LATTICE_FIELDS + SHARING_FIELDS}
        try:
            lattice = services.create_lattice(actor=request.user, data=data)
        except InvalidInput as error:
            form = forms.with_problems(_lattice_form(request, data), error.problems)
        else:
            messages.success(request, f"{lattice.name} was created; add its positions below.")
            return redirect("ladders:build", slug=lattice.slug)
    context = {
        "lattices": selectors.lattice_list(user=request.user),
        "form": form or _lattice_form(request, {}),
    }
    return render(request, "ladders/index.html", context, status=422 if form else 200)


def _lattice_form(request, values: dict, *, sharing: bool = True) -> forms.Form:
    return forms.lattice_form(
        values,
        selectors.framework_choices(user=request.user),
        selectors.organization_choices(user=request.user),
        sharing=sharing,
        name="lattice",
    )


@require_GET
def detail(request, slug: str):
    lattice = selectors.visible_lattice(user=request.user, slug=slug)
    view = selectors.lattice_view(lattice, reader=request.user)
    context = {
        "lattice": view,
        "diagram": pictures.lattice_svg(view),
        "may_edit": selectors.may_edit(lattice=lattice, actor=request.user),
    }
    return render(request, "ladders/detail.html", context)


@require_GET
def paths(request, slug: str):
    lattice = selectors.visible_lattice(user=request.user, slug=slug)
    view = selectors.lattice_view(lattice, reader=request.user)
    start, goal = request.GET.get("from", ""), request.GET.get("to", "")
    found, problem = None, ""
    if start and goal:
        try:
            found = selectors.routes(view, start=start, goal=goal)
        except Http404 as error:
            problem = str(error)
    elif start or goal:
        problem = "Choose both a starting position and a goal."
    context = {"lattice": view, "start": start, "goal": goal, "found": found, "problem": problem}
    return render(request, "ladders/paths.html", context, status=422 if problem else 200)


@require_GET
def download(request, slug: str, fmt: str):
    if fmt not in pictures.CONTENT_TYPES:
        raise Http404("No such file: choose json, svg, png or pdf.")
    lattice = selectors.visible_lattice(user=request.user, slug=slug)
    view = selectors.lattice_view(lattice, reader=request.user)
    return attachment(
        pictures.render(view, fmt), pictures.CONTENT_TYPES[fmt], pictures.filename(view, fmt)
    )


def _editable(request, slug: str):
    return selectors.editable_lattice(user=request.user, slug=slug)


def _build_page(request, lattice, *, status: int = 200, **forms_given):
    view = selectors.lattice_view(lattice, reader=request.user)
    competencies = selectors.competency_choices(lattice.framework)
    manage = selectors.may_manage(lattice=lattice, actor=request.user)
    query = request.GET.get("q", "").strip()[:200]
    values = {
        "name": lattice.name,
        "description": lattice.description,
        "framework": view.framework_slug,
        "visibility": lattice.visibility,
        "organization": lattice.organization.slug if lattice.organization else "",
    }
    editing = {
        p.key: forms.position_form(_position_values(p), competencies, name=f"position-{p.key}")
        for p in view.positions
    }
    moves = {
        t.id: forms.move_form(
            {"kind": t.kind},
            [],
            [e.__dict__ for e in t.experiences],
            name=f"move-{t.id}",
            ends=False,
        )
        for t in view.transitions
    }
    edited = forms_given.pop("edited", None)
    if edited is not None:
        (editing if edited.name.startswith("position-") else moves)[_edited_key(edited)] = edited
    context = {
        "lattice": view,
        "diagram": pictures.lattice_svg(view),
        "may_manage": manage,
        "lattice_form": forms_given.get("lattice_form")
        or _lattice_form(request, values, sharing=manage),  # fmt: skip
        "position_form": forms_given.get("position_form")
        or forms.position_form({"occupation": request.GET.get("occupation", "")}, competencies),
        "move_form": forms_given.get("move_form") or forms.move_form({}, view.positions, []),
        "editing": editing,
        "moves": moves,
        "query": query,
        "results": occupations.search_occupations(query, limit=15) if query else [],
    }
    if request.htmx and status == 422:
        status = 200  # HTMX swaps only a success; the problems are in the page it swaps in
    return render(request, "ladders/build.html", context, status=status)


def _edited_key(form: forms.Form):
    key = form.name.split("-", 1)[1]
    return int(key) if form.name.startswith("move-") else key


def _position_values(p) -> dict:
    return {
        "occupation": p.occupation_code, "title": p.title, "level": p.level, "track": p.track,
        "education": p.education, "experience": p.experience,
        "credentials": "\n".join(p.credentials), "key": p.key,
        "competencies": [c.identifier for c in p.competencies],
    }  # fmt: skip


def _done(request, lattice, message: str, anchor: str = ""):
    if request.htmx:
        return _build_page(request, lattice)
    messages.success(request, message)
    return redirect(reverse("ladders:build", kwargs={"slug": lattice.slug}) + anchor)


@login_required
@require_http_methods(["GET", "POST"])
def build(request, slug: str):
    """The build page; POST changes the lattice's own fields (and, for its managers, sharing)."""
    lattice = _editable(request, slug)
    if request.method == "GET":
        return _build_page(request, lattice)
    names = LATTICE_FIELDS + (SHARING_FIELDS if selectors.may_manage(lattice=lattice, actor=request.user) else ())  # fmt: skip
    data = {name: request.POST.get(name, "") for name in names if name in request.POST}
    try:
        services.update_lattice(lattice=lattice, actor=request.user, data=data)
    except InvalidInput as error:
        form = forms.with_problems(_lattice_form(request, data, sharing="visibility" in data), error.problems)  # fmt: skip
        return _build_page(request, lattice, status=422, lattice_form=form)
    return _done(request, lattice, "The lattice was saved.", "#lattice")


@login_required
@require_POST
def delete(request, slug: str):
    lattice = _editable(request, slug)
    name = lattice.name
    services.delete_lattice(lattice=lattice, actor=request.user)
    messages.success(request, f"{name} was deleted.")
    return redirect("ladders:index")


def _position_data(request) -> dict:
    data = {name: request.POST.get(name, "") for name in POSITION_FIELDS if name in request.POST}
    if "competencies-sent" in request.POST:
        data["competencies"] = request.POST.getlist("competencies")
    return data


@login_required
@require_POST
def position_add(request, slug: str):
    lattice = _editable(request, slug)
    data = _position_data(request)
    try:
        position = services.add_position(lattice=lattice, actor=request.user, data=data)
    except InvalidInput as error:
        form = forms.position_form(data, selectors.competency_choices(lattice.framework))
        return _build_page(request, lattice, status=422, position_form=forms.with_problems(form, error.problems))  # fmt: skip
    return _done(request, lattice, f"{position.title} was added.", "#positions")


@login_required
@require_POST
def position_edit(request, slug: str, key: str):
    lattice = _editable(request, slug)
    position = selectors.find_position(lattice, key)
    data = _position_data(request)
    try:
        services.update_position(position=position, actor=request.user, data=data)
    except InvalidInput as error:
        form = forms.position_form(data, selectors.competency_choices(lattice.framework), name=f"position-{key}")  # fmt: skip
        return _build_page(request, lattice, status=422, edited=forms.with_problems(form, error.problems))  # fmt: skip
    return _done(request, lattice, f"{position.title} was saved.", "#positions")


@login_required
@require_POST
def position_remove(request, slug: str, key: str):
    lattice = _editable(request, slug)
    position = selectors.find_position(lattice, key)
    services.remove_position(position=position, actor=request.user)
    return _done(request, lattice, f"{position.title} was removed with its moves.", "#positions")


@login_required
@require_POST
def move_add(request, slug: str):
    lattice = _editable(request, slug)
    rows, numbers = forms.experiences_of(request.POST)
    data = {name: request.POST.get(name, "") for name in ("from", "to", "kind")}
    try:
        services.add_transition(lattice=lattice, actor=request.user, data={**data, "experiences": rows})  # fmt: skip
    except InvalidInput as error:
        view = selectors.lattice_view(lattice, reader=request.user)
        form = forms.move_form(data, view.positions, _rows(request.POST))
        problems = forms.renumbered(error.problems, numbers)
        return _build_page(request, lattice, status=422, move_form=forms.with_problems(form, problems))  # fmt: skip
    return _done(request, lattice, "The move was added.", "#moves")


def _rows(post) -> list[dict]:
    rows = []
    for n in range(50):
        if f"experiences-{n}-text" not in post:
            break
        rows.append({k: post.get(f"experiences-{n}-{k}", "") for k in ("kind", "text", "months")})
    # The form adds blank rows of its own under these.
    while rows and not (rows[-1]["text"].strip() or str(rows[-1]["months"]).strip()):
        rows.pop()
    return rows


@login_required
@require_POST
def move_edit(request, slug: str, pk: int):
    lattice = _editable(request, slug)
    move = selectors.find_transition(lattice, pk)
    rows, numbers = forms.experiences_of(request.POST)
    data = {"kind": request.POST.get("kind", ""), "experiences": rows}
    try:
        services.update_transition(transition=move, actor=request.user, data=data)
    except InvalidInput as error:
        form = forms.move_form(data, [], _rows(request.POST), name=f"move-{pk}", ends=False)
        problems = forms.renumbered(error.problems, numbers)
        return _build_page(request, lattice, status=422, edited=forms.with_problems(form, problems))  # fmt: skip
    return _done(request, lattice, "The move was saved.", "#moves")


@login_required
@require_POST
def move_remove(request, slug: str, pk: int):
    lattice = _editable(request, slug)
    move = selectors.find_transition(lattice, pk)
    services.remove_transition(transition=move, actor=request.user)
    return _done(request, lattice, "The move was removed.", "#moves")
