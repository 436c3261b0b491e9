"""Every write of credentials, endorsement and pathways: keyword-only, one transaction,
permissions checked here."""

from .credentials import (
    align_credential,
    create_credential,
    delete_credential,
    remove_credential_alignment,
    update_credential,
)
from .endorsement import (
    add_criterion,
    decide,
    ensure_default_criteria,
    open_review,
    remove_criterion,
    score,
)
from .pathways import (
    add_step,
    create_pathway,
    move_step,
    remove_step,
    update_pathway,
    update_step,
)

__all__ = [
    "add_criterion",
    "add_step",
    "align_credential",
    "create_credential",
    "create_pathway",
    "decide",
    "delete_credential",
    "ensure_default_criteria",
    "move_step",
    "open_review",
    "remove_credential_alignment",
    "remove_criterion",
    "remove_step",
    "score",
    "update_credential",
    "update_pathway",
    "update_step",
]
