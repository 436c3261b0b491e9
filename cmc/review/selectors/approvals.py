"""Who takes part in a model's development process: its designated approvers and their
approvals of the draft (step 6), the last publication after approval, and who may read the
process or choose its approvers."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from cmc.frameworks.models import Framework
from cmc.frameworks.selectors import may_edit, may_manage

from ..models import Approval, Approver, Publication


def name_of(user) -> str:
    """A person as the process names them: their full name, else their username (no one:
    the system)."""
    if user is None:
        return "the system"
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or user.get_username()


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
        rows.append({"user": row.user, "name": name_of(row.user), "approval": approval,
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
