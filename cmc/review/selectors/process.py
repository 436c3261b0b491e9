"""The development process of a model as the guide lays it out, read from what was recorded:
background items, the draft's versions, review rounds, their resolutions, the validation
survey (through a hook the survey part provides), approvals and publications."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cmc.core.actors import is_system
from cmc.frameworks.models import Framework
from cmc.frameworks.selectors import may_edit, may_manage

from ..models import Approval, Approver, BackgroundItem, Publication, Resolution, ReviewRound

# The guide's own words for its six steps ("Competency Model Development and Use: A Technical
# Assistance Guide", ETA, September 2015, chapter 3, "A Process to Develop Competency Models").
GUIDE = "Competency Model Development and Use – A Technical Assistance Guide (ETA, September 2015)"
STEPS = (
    (1, "Conduct research: gather and analyze background information"),
    (2, "Develop draft competency model framework"),
    (3, "Gather feedback from industry representatives"),
    (4, "Refine the competency model framework"),
    (5, "Validate the competency model framework"),
    (6, "Finalize the model framework"),
)


@dataclass(frozen=True)
class ValidationState:
    """What the validation survey (step 5) says about a framework: whether it is done, by
    whom and when, a line for people, and how many employers took part (for the public
    page's "validated with N employers on DATE")."""

    done: bool = False
    started: bool = False
    by: tuple[str, ...] = ()
    when: datetime | None = None
    summary: str = "not started"
    employers: int | None = None
    reference: str = ""

    def as_record(self) -> dict:
        return {
            "done": self.done,
            "by": list(self.by),
            "when": self.when.isoformat() if self.when else None,
            "summary": self.summary,
            "employers": self.employers,
            "reference": self.reference,
        }


NOT_STARTED = ValidationState()
# How a validation made by this site's own survey is referred to (its panel shows it itself).
SITE_SURVEY = "validation survey"
_validation: list[Callable[[Framework], ValidationState]] = []


def provide_validation(state: Callable[[Framework], ValidationState]) -> None:
    """The survey part names the function that says where a framework's validation stands
    (registered in the app's ready(); the last one registered answers)."""
    _validation[:] = [state]


def validation_state(framework: Framework) -> ValidationState:
    """Where the framework's validation with employers (step 5) stands: done, by whom, when;
    "not started" until a survey part provides the answer, either by registering it
    (provide_validation) or as `validation_state` in the survey part's own selectors module
    (cmc.review.selectors.surveys)."""
    provider = _validation[0] if _validation else _survey_module_state()
    if provider is None:
        return NOT_STARTED
    return _as_state(provider(framework))


def _survey_module_state():
    try:
        from . import surveys  # the survey part, once it is in the app
    except ImportError:
        return None
    found = getattr(surveys, "validation_state", None)
    return found if callable(found) else None


def _as_state(answer) -> ValidationState:
    """The survey part's answer as a ValidationState: one already, a dict, or any object with
    done, by and when (and optionally started, summary, employers, reference)."""
    if isinstance(answer, ValidationState):
        return answer
    if answer is None:
        return NOT_STARTED
    get = (
        answer.get
        if isinstance(answer, dict)
        else (lambda name, default=None: getattr(answer, name, default))
    )
    if get("status") is not None and get("done") is None:  # the survey part's own state
        status = get("status")
        if status == "not started":
            return NOT_STARTED
        return ValidationState(
            done=status == "closed",
            started=status != "not started",
            when=get("closed_at"),
            summary=f"{status}, {get('respondents', 0)} respondents",
            employers=get("employers"),
            reference=f"{SITE_SURVEY} {get('survey_id')}",
        )
    done, by = bool(get("done", False)), get("by", ()) or ()
    by = (by,) if isinstance(by, str) else tuple(str(b) for b in by)
    when = get("when")
    summary = get("summary") or (
        "done" if done else "under way" if get("started") else "not started"
    )
    return ValidationState(
        done=done, started=bool(get("started", done)), by=by, when=when, summary=summary,
        employers=get("employers"), reference=str(get("reference", "") or ""),
    )  # fmt: skip


@dataclass
class Step:
    number: int
    name: str
    state: str  # done, under way, not started
    done: list[str] = field(default_factory=list)
    by: list[str] = field(default_factory=list)
    when: datetime | None = None
    next: str = ""

    @property
    def state_label(self) -> str:
        return {"done": "Done", "under way": "Under way", "not started": "Not started"}[self.state]


def _name(user) -> str:
    if user is None:
        return "the system"
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or user.get_username()


def _names(users) -> list[str]:
    return sorted({_name(u) for u in users})


def _step1(framework: Framework) -> Step:
    items = list(framework.background_items.select_related("added_by"))
    step = Step(1, STEPS[0][1], "done" if items else "not started")
    counts: dict[str, int] = {}
    for item in items:
        label = item.get_kind_display().replace("Document", "document").replace("Link", "link")
        label = label.replace("Existing model", "existing model")
        counts[label] = counts.get(label, 0) + 1
    step.done = [f"{n} {label}{'s' if n != 1 else ''}" for label, n in counts.items()]
    step.by = _names(item.added_by for item in items)
    step.when = max((i.added_at for i in items), default=None)
    if not items:
        step.next = "Attach the documents, links, models and O*NET occupations the model draws on."
    return step


def _step2(framework: Framework, versions: list) -> Step:
    counts = framework.competencies.count()
    step = Step(2, STEPS[1][1], "not started")
    if counts:
        step.state = "done" if versions else "under way"
        step.done = [f"{counts} competencies in the draft"]
    if versions:
        first = versions[-1]
        step.done.append(f"version {first.number} published")
        step.by, step.when = _names([first.published_by]), first.published_at
    else:
        step.next = "Publish a version of the draft so that reviewers have one to review."
    return step


def _step3(rounds: list) -> Step:
    step = Step(3, STEPS[2][1], "not started")
    if not rounds:
        step.next = "Open a review round and invite subject matter experts."
        return step
    closed = [r for r in rounds if not r.is_open]
    step.state = "done" if closed else "under way"
    invited = sum(r.reviewer_count for r in rounds)
    step.done = [
        f"{len(rounds)} round{'s' if len(rounds) != 1 else ''}, {invited} reviewers invited"
    ]
    step.by = _names(r.opened_by for r in rounds)
    step.when = rounds[0].closed_at or rounds[0].opened_at
    if not closed:
        step.next = f"Close the round “{rounds[0].title}” when its deadline ({rounds[0].deadline:%B %-d, %Y}) has passed."
    return step


def _step4(framework: Framework, rounds: list) -> Step:
    step = Step(4, STEPS[3][1], "not started")
    resolutions = list(
        Resolution.objects.filter(round__framework=framework).select_related("resolved_by")
    )
    closed = [r for r in rounds if not r.is_open]
    waiting = sum(r.unresolved for r in closed)
    if resolutions:
        step.state = "under way" if waiting else "done"
        step.done = [f"{len(resolutions)} resolutions"]
        step.by = _names(r.resolved_by for r in resolutions)
        step.when = max(r.resolved_at for r in resolutions)
    if waiting:
        step.next = f"Resolve the {waiting} proposals still waiting."
    elif not resolutions:
        step.next = "Close a round, then accept, reject or merge its proposals."
    return step


def _step5(framework: Framework) -> Step:
    state = validation_state(framework)
    label = "done" if state.done else "under way" if state.started else "not started"
    step = Step(5, STEPS[4][1], label, [state.summary], list(state.by), state.when)
    if not state.done:
        step.next = "Ask employers to rate the key behaviors in a validation survey."
    return step


def _step6(framework: Framework) -> Step:
    publications = list(framework.publications.select_related("published_by", "version"))
    pending = list(Approval.objects.filter(framework=framework, publication__isnull=True))
    approvers = Approver.objects.filter(framework=framework).count()
    step = Step(6, STEPS[5][1], "not started")
    if publications:
        last = publications[0]
        step.state = "done"
        step.done = [f"version {last.version.number} published after approval"]
        step.by, step.when = _names([last.published_by]), last.published_at
    elif pending:
        step.state = "under way"
    if pending:
        step.done.append(f"{len(pending)} of {approvers} approvers approved the draft")
    if not approvers:
        step.next = "Designate the people who approve the model before it is published."
    elif len(pending) < approvers:
        step.next = "Wait for every designated approver to approve the draft, then publish."
    else:
        step.next = "Publish the approved draft."
    return step


def process_steps(framework: Framework) -> list[Step]:
    """The six steps of the guide for one framework: the state of each, what was done, by
    whom, when, and what comes next."""
    versions = list(framework.versions.select_related("published_by").order_by("-number"))
    rounds = round_rows(framework)
    return [
        _step1(framework),
        _step2(framework, versions),
        _step3(rounds),
        _step4(framework, rounds),
        _step5(framework),
        _step6(framework),
    ]


def next_step(steps: list[Step]) -> Step | None:
    """The first step that is not done."""
    return next((s for s in steps if s.state != "done"), None)


def round_rows(framework: Framework) -> list[ReviewRound]:
    """The framework's rounds, newest first, each with its reviewer count and how many of its
    edit, remove and add proposals no resolution has taken yet."""
    from django.db.models import Count, Q

    return list(
        ReviewRound.objects.filter(framework=framework)
        .select_related("version", "opened_by", "closed_by")
        .annotate(
            reviewer_count=Count("reviewers", distinct=True),
            proposal_count=Count("proposals", distinct=True),
            unresolved=Count(
                "proposals",
                filter=~Q(proposals__action="keep") & Q(proposals__resolutions__isnull=True),
                distinct=True,
            ),
        )
    )


def background_items(framework: Framework) -> list[BackgroundItem]:
    """The framework's background items, without the documents' content."""
    return list(framework.background_items.select_related("added_by", "model").defer("content"))


def background_item(framework: Framework, identifier) -> BackgroundItem:
    """One background item of the framework (without a document's content), or 404."""
    item = framework.background_items.defer("content").filter(identifier=identifier).first()
    if item is None:
        raise Http404("No such background item.")
    return item


def background_document(*, user, framework: Framework, identifier) -> BackgroundItem:
    """A document attached to a framework the user may edit, with its content; 404 if none."""
    require_process_reader(framework=framework, user=user)
    item = framework.background_items.filter(
        identifier=identifier, kind=BackgroundItem.Kind.DOCUMENT
    ).first()
    if item is None:
        raise Http404("No such document.")
    return item


def require_process_reader(*, framework: Framework, user) -> None:
    """Only the people who may edit a model, and its approvers, see its development process."""
    if not (
        may_edit(framework=framework, actor=user) or is_approver(framework=framework, user=user)
    ):
        raise PermissionDenied(
            "Only the model's editors and approvers see its development process."
        )


def approvers(framework: Framework) -> list[dict]:
    """The designated approvers, each with whether they approved the draft since the last
    publication."""
    pending = {
        a.approver_id: a
        for a in Approval.objects.filter(framework=framework, publication__isnull=True)
    }
    changed = Framework.objects.filter(pk=framework.pk).values_list("updated_at", flat=True)[0]
    rows = []
    for row in Approver.objects.filter(framework=framework).select_related("user"):
        approval = pending.get(row.user_id)
        current = approval is not None and approval.draft_changed_at == changed
        rows.append({"user": row.user, "name": _name(row.user), "approval": approval,
                     "current": current})  # fmt: skip
    return rows


@dataclass(frozen=True)
class ApprovalStanding:
    """Where a model's designated approvers stand on the draft as it is now: how many there
    are, who has not approved it, and who approved an earlier state of it."""

    approvers: int
    waiting: tuple[str, ...]
    stale: tuple[str, ...]

    @property
    def missing(self) -> int:
        return len(self.waiting) + len(self.stale)


def approval_standing(framework: Framework) -> ApprovalStanding:
    """The designated approvers and their approvals of the current draft (an approval of an
    earlier state of it does not count): two queries."""
    names = {a.user_id: a.user.get_username() for a in framework.approvers.select_related("user")}
    if not names:
        return ApprovalStanding(0, (), ())
    changed = Framework.objects.filter(pk=framework.pk).values_list("updated_at", flat=True)[0]
    pending = Approval.objects.filter(framework=framework, publication=None)
    given = dict(pending.values_list("approver_id", "draft_changed_at"))
    waiting = sorted(name for pk, name in names.items() if pk not in given)
    stale = sorted(name for pk, name in names.items() if pk in given and given[pk] != changed)
    return ApprovalStanding(len(names), tuple(waiting), tuple(stale))


def is_approver(*, framework: Framework, user) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and Approver.objects.filter(framework=framework, user=user).exists()
    )


def latest_publication(framework: Framework) -> Publication | None:
    """The last publication after approval, with its version, round and survey."""
    return framework.publications.select_related(
        "version", "round", "survey__version", "published_by"
    ).first()


def models_to_draw_on(*, user, exclude: Framework) -> list[Framework]:
    """The models the user may see, to pick one as background (its name and slug only)."""
    return list(
        Framework.objects.visible_to(user)
        .exclude(pk=exclude.pk)
        .only("slug", "name")
        .order_by("name")
    )


def managed_frameworks(user):
    """The frameworks the user may edit (the system: every one), for the dashboard."""
    if is_system(user):
        return Framework.objects.all()
    if user is None or not user.is_authenticated:
        return Framework.objects.none()
    return Framework.objects.editable_by(user)


def may_manage_process(*, framework: Framework, user) -> bool:
    """Who chooses the approvers: the framework's managers (see frameworks' may_manage)."""
    return may_manage(framework=framework, actor=user)


def roles(*, framework: Framework, user) -> tuple[bool, bool]:
    """Whether the user edits the framework and whether they approve it, in one query."""
    from django.db.models import Exists, OuterRef

    row = (
        Framework.objects.filter(pk=framework.pk)
        .annotate(
            editor=Exists(Framework.objects.editable_by(user).filter(pk=OuterRef("pk"))),
            approver=Exists(Approver.objects.filter(framework=OuterRef("pk"), user=user)),
        )
        .values_list("editor", "approver")
        .first()
    )
    return (bool(row[0]), bool(row[1])) if row else (False, False)
