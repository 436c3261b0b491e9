"""Every read of occupations; visibility decided here.

occupations  finding one by code, searching, wages, one-line summaries
profile      what an occupation's page and API read show
commonality  the elements several occupations share
frameworks   the occupations a framework names, and the frameworks naming an occupation
"""

from .commonality import DEFAULT_THRESHOLD, Commonality, SharedElement, commonality, parse_codes
from .frameworks import occupations_of
from .occupations import (
    OccupationSummary,
    Wages,
    dataset,
    find_occupation,
    occupation_summaries,
    search_occupations,
    typical_education,
    wage_table,
    wages_of,
)
from .profile import (
    ElementGroup,
    Profile,
    RatedElement,
    element_groups,
    frameworks_naming,
    occupation_profile,
    ordered_tasks,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "occupations_of",
    "Commonality",
    "SharedElement",
    "commonality",
    "parse_codes",
    "ElementGroup",
    "Profile",
    "RatedElement",
    "element_groups",
    "frameworks_naming",
    "occupation_profile",
    "ordered_tasks",
    "OccupationSummary",
    "Wages",
    "dataset",
    "find_occupation",
    "occupation_summaries",
    "search_occupations",
    "typical_education",
    "wage_table",
    "wages_of",
]
