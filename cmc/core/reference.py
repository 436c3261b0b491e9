"""The shipped reference content of every app, loaded by one command (`cmc load-reference`).

Each app that ships reference content (the frameworks transcribed from the guide, the
credentials and case studies the seeds name, an example lattice...) registers a loader in its
`AppConfig.ready()`:

    reference.register("frameworks", load, order=10)

`load(dry_run=bool)` creates or updates its content (running it twice changes nothing) and
returns a `Loaded`: one line per thing it changed and a one-line summary. Loaders run in
`order` (frameworks first: other apps' content points at them), each in its own transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Loaded:
    summary: str
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Loader:
    name: str
    load: Callable[..., Loaded]
    order: int


_loaders: dict[str, Loader] = {}


def register(name: str, load: Callable[..., Loaded], *, order: int = 50) -> None:
    """Add (or replace, by name) an app's loader of reference content."""
    _loaders[name] = Loader(name, load, order)


def loaders() -> list[Loader]:
    return sorted(_loaders.values(), key=lambda loader: (loader.order, loader.name))


def load_all(*, dry_run: bool = False) -> list[Loaded]:
    """Run every loader in order; what each changed (or would change, with dry_run)."""
    return [loader.load(dry_run=dry_run) for loader in loaders()]
