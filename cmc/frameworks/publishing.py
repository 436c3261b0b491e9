"""What must hold before a framework is published, said by the apps that know it, without the
frameworks app knowing them.

An app with a rule about publishing (the review app: when a model has designated approvers,
they have all approved the draft as it is) registers a check in its `AppConfig.ready()`:

    publishing.register_check("approvals", check, order=10)

`check(framework=…, actor=…)` runs inside `services.publish_version`'s transaction, after the
framework's row is locked and before anything is written; it refuses by raising `Conflict`,
`PermissionDenied` or `InvalidInput` with words for people, and every door (the versions page,
the API, `cmc publish`, and any app that publishes through the same service) reports them.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str
    check: Callable
    order: int


_checks: dict[str, Check] = {}


def register_check(name: str, check: Callable, *, order: int = 50) -> None:
    """Add (or replace, by name) a check that every publication of a framework must pass."""
    _checks[name] = Check(name, check, order)


def unregister_check(name: str) -> None:
    """Take a check away (for tests that register their own)."""
    _checks.pop(name, None)


def run_checks(*, framework, actor) -> None:
    """Every registered check, in order; the first that refuses stops the publication."""
    for entry in sorted(_checks.values(), key=lambda c: (c.order, c.name)):
        entry.check(framework=framework, actor=actor)
