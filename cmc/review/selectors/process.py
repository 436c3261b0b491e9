"""The development process of a model as the guide lays it out, read from what was recorded:
background items, the draft's versions, review rounds, their resolutions, the validation
survey (through the hook of `validation`), approvals and publications."""

from dataclasses import dataclass, field
from datetime import datetime

from cmc.frameworks.models import Framework

from ..models import Approval, Approver, Resolution
from .approvals import name_of
from .rounds import round_rows
from .validation import validation_state

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


def _names(users) -> list[str]:
    return sorted({name_of(u) for u in users})


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
