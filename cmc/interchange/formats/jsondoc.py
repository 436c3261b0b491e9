"""The JSON format: a framework's whole document (see cmc.frameworks.snapshots) as a file."""

import json
from pathlib import Path

from cmc.core.errors import Problem
from cmc.frameworks import snapshots
from cmc.frameworks.trees import FrameworkTree


def dumps(tree: FrameworkTree) -> str:
    return json.dumps(snapshots.to_dict(tree), ensure_ascii=False, indent=2) + "\n"


def read(path: Path, label: str) -> tuple[list[FrameworkTree], list[Problem]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        return [], [Problem(label, "file", "is not UTF-8 text; save it as UTF-8")]
    except json.JSONDecodeError as error:
        return [], [
            Problem(
                label,
                f"line {error.lineno}, column {error.colno}",
                f"is not valid JSON ({error.msg})",
            )
        ]
    except RecursionError:  # thousands of nested brackets: no framework, and no traceback
        return [], [
            Problem(label, "file", "is nested too deeply to be a framework exported by cmc")
        ]
    tree, problems = snapshots.read_document(data, label)
    return ([tree] if tree and not problems else []), problems
