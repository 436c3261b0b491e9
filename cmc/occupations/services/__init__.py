"""Every write to occupations: one function per use case, keyword-only, one transaction each.

onet, soc, oews   importing the published files (validated, streamed, updated in place)
frameworks        the occupations a framework names; starting its tiers 6-9 from O*NET
commonality       a draft framework from the elements several occupations share
indexing          the site's search entries for occupations
"""

from .commonality import start_framework_from_commonality
from .frameworks import (
    TIER_MAPPING,
    add_occupation,
    remove_occupation,
    set_occupations,
    start_tiers_from_occupation,
)
from .importing import ImportReport
from .oews import import_oews
from .onet import import_onet
from .soc import import_soc

__all__ = [
    "TIER_MAPPING",
    "add_occupation",
    "remove_occupation",
    "set_occupations",
    "start_framework_from_commonality",
    "start_tiers_from_occupation",
    "ImportReport",
    "import_oews",
    "import_onet",
    "import_soc",
]
