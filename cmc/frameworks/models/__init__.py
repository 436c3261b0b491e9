"""The frameworks app's models: the tree (frameworks.py), its history (history.py) and the
readable exports kept ready for download (documents.py)."""

from .alignments import Alignment, Scheme, Strength
from .documents import RenderedExport
from .frameworks import (
    TRANSITIONS,
    Competency,
    Framework,
    FrameworkQuerySet,
    KeyBehavior,
    Kind,
    Lineage,
    Origin,
    SharedQuerySet,
    Status,
    Tier,
    TierGroup,
    Visibility,
)
from .history import (
    BlendChoice,
    FrameworkSource,
    FrameworkVersion,
    LeftOut,
    LikelyDuplicate,
    StatusChange,
)

__all__ = [
    "Alignment",
    "Scheme",
    "Strength",
    "TRANSITIONS",
    "BlendChoice",
    "Competency",
    "Framework",
    "FrameworkQuerySet",
    "FrameworkSource",
    "FrameworkVersion",
    "KeyBehavior",
    "Kind",
    "LeftOut",
    "LikelyDuplicate",
    "Lineage",
    "Origin",
    "RenderedExport",
    "SharedQuerySet",
    "Status",
    "StatusChange",
    "Tier",
    "TierGroup",
    "Visibility",
]
