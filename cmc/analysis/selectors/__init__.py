"""Every read of the analysis app that is more than a one-line ORM call: the uploads a user may
see (`uploads`), and what they add up to per competency, with the gap (`results`)."""

from .results import DEFAULT_THRESHOLD, ItemResult, Results, results_for, threshold_of
from .uploads import upload_for, uploads_for

__all__ = [
    "DEFAULT_THRESHOLD",
    "ItemResult",
    "Results",
    "results_for",
    "threshold_of",
    "upload_for",
    "uploads_for",
]
