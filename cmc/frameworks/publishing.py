"""What must hold before a framework is published, and what follows once it is, said by the
apps that know it, without the frameworks app knowing them.

An app with a rule about publishing (the review app: when a model has designated approvers,
they have all approved the draft as it is) registers a check in its `AppConfig.ready()`:

    publishing.register_check("approvals", check, order=10)

`check(framework=…, actor=…)` runs inside `services.publish_version`'s transaction, after the
framework's row is locked and before anything is written; it refuses by raising `Conflict`,
`PermissionDenied` or `InvalidInput` with words for people, and every door (the versions page,
the API, `cmc publish`, and any app that publishes through the same service) reports them.

An app that keeps its own record of a publication (the review app: the publication with the
round and survey that support it, and the approvals it took) registers what to do after it:

    publishing.register_after("publication", record, order=10)

`record(framework=…, version=…, actor=…)` runs in the same transaction right after the version
is frozen, whatever the door, so every door leaves the same history; if it raises, nothing of
the publication stays. A caller that made choices for one app's record (the process page may
name the round that supports the version) hands them to `publish_version` by the hook's name,
`choices={"publication": {"round": …}}`, and that hook alone gets them as keyword arguments.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str
    check: Callable
    order: int


@dataclass(frozen=True)
class After:
    name: str
    run: Callable
    order: int


_checks: dict[str, Check] = {}
_after: dict[str, After] = {}


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


def register_after(name: str, run: Callable, *, order: int = 50) -> None:
    """Add (or replace, by name) what an app does after every publication of a framework."""
    _after[name] = After(name, run, order)


def unregister_after(name: str) -> None:
    """Take an after-publication hook away (for tests that register their own)."""
    _after.pop(name, None)


def run_after(*, framework, version, actor, choices: Mapping[str, Mapping] | None = None) -> None:
    """Every registered after-publication hook, in order, each with the choices the caller
    made for it by name. Choices for a hook nobody registered are a mistake of the caller."""
    choices = choices or {}
    unknown = sorted(set(choices) - set(_after))
    if unknown:
        raise ValueError(f"No after-publication hook is named {', '.join(unknown)}.")
    for entry in sorted(_after.values(), key=lambda a: (a.order, a.name)):
        entry.run(framework=framework, version=version, actor=actor, **choices.get(entry.name, {}))
