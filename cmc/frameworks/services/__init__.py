"""Every write to frameworks: one function per use case, keyword-only, one transaction each.

saving      whole trees: import, reference content, a framework made through the API; a file
            too big to hold, its key behaviors put aside in the transaction (spooling)
frameworks  a framework's own fields, its sharing, deleting it
editing     one item at a time, as the builder makes them (optimistic locking)
aligning    alignments: outside statements linked to a framework's items
merging     likely duplicates of a blend merged, kept apart or undone; codes renumbered
blending    deriving a model from one framework or blending several, with lineage
publishing  versions and status
indexing    what follows a change: search entries, cached pages, rendering ahead
"""

from .aligning import STRENGTHS, align, align_statement, remove_alignment
from .blending import derive_framework
from .editing import (
    add_behavior,
    add_competency,
    include_all_behaviors,
    leave_out_behavior,
    leave_out_competency,
    move_behavior,
    move_competency,
    rename_tier,
    resolve_blend_choice,
    restore_behavior,
    restore_competency,
    set_build_step,
    update_behavior,
    update_competency,
)
from .frameworks import delete_framework, share_framework, update_framework
from .indexing import index_framework, unindex_framework
from .merging import keep_apart, merge_duplicate, renumber_codes, undo_duplicate
from .publishing import publish_version, set_status
from .saving import (
    ChangeReport,
    Counts,
    create_framework,
    import_spooled,
    import_trees,
    save_framework_tree,
    unique_slug,
)

__all__ = [
    "STRENGTHS",
    "keep_apart",
    "merge_duplicate",
    "renumber_codes",
    "undo_duplicate",
    "align",
    "align_statement",
    "remove_alignment",
    "ChangeReport",
    "Counts",
    "add_behavior",
    "add_competency",
    "create_framework",
    "delete_framework",
    "derive_framework",
    "import_spooled",
    "import_trees",
    "include_all_behaviors",
    "index_framework",
    "leave_out_behavior",
    "leave_out_competency",
    "move_behavior",
    "move_competency",
    "publish_version",
    "rename_tier",
    "resolve_blend_choice",
    "restore_behavior",
    "restore_competency",
    "save_framework_tree",
    "set_build_step",
    "set_status",
    "share_framework",
    "unindex_framework",
    "unique_slug",
    "update_behavior",
    "update_competency",
    "update_framework",
]
