"""The one error vocabulary: what every service raises and every door turns into words.

A service raises these before it writes anything; a page shows them beside the form, the API
answers with its error schema (see `cmc.core.api`), and a command prints them and exits
non-zero (see `cmc.core.management.commands._base`)."""

from dataclasses import dataclass


@dataclass
class Problem:
    """One thing wrong with the input: where (file, row or path), which field, and what to do."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}, {self.field}: {self.message}"


class InvalidInput(Exception):
    """The input has problems; nothing was written. `detail` is the one-line summary a door
    may show above the problems (the API's `detail`), when the default does not fit."""

    def __init__(self, problems: list[Problem], detail: str = ""):
        self.problems = problems
        # What the API's answer says above the problems ("The credential is not valid...");
        # empty for the framework wording most writes have.
        self.detail = detail
        super().__init__("; ".join(str(p) for p in problems[:5]))


class Conflict(Exception):
    """The write would clash with something that exists; nothing was written."""


class EditConflict(Conflict):
    """The item changed since the editor loaded it; `current` holds what it says now."""

    def __init__(self, message: str, *, current: dict, yours: dict):
        super().__init__(message)
        self.current = current
        self.yours = yours
