"""Every read of occupations; visibility decided here.

occupations  finding one by code, searching, wages, one-line summaries
profile      what an occupation's page and API read show
commonality  the elements several occupations share
frameworks   the occupations a framework names, and the frameworks naming an occupation
"""

from .occupations import (
    OccupationSummary,
    Wages,
    dataset,
    find_occupation,
    occupation_summaries,
    search_occupations,
    typical_education,
    wages_of,
)

__all__ = [
    "OccupationSummary",
    "Wages",
    "dataset",
    "find_occupation",
    "occupation_summaries",
    "search_occupations",
    "typical_education",
    "wages_of",
]
