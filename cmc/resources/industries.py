"""The industries a resource is filed under: the industries of the Competency Model
Clearinghouse as the case studies list them (seed 003_046e57e73e8b9e95.txt lines 224-243), in
their order, so that search facets group like with like."""

INDUSTRIES = [
    "Advanced Manufacturing",
    "Aerospace",
    "Automation",
    "Bioscience",
    "Construction - Commercial",
    "Construction - Heavy",
    "Construction - Residential",
    "Energy",
    "Entrepreneurship",
    "Financial Services",
    "Geospatial Technology",
    "Health: Allied Health",
    "Health: Electronic Health Records",
    "Hospitality/Hotel and Lodging",
    "Information Technology",
    "Long-term Care, Supports, and Services",
    "Mechatronics",
    "Retail",
    "Transportation",
    "Water Sector",
]

_BY_FOLDED = {name.casefold(): name for name in INDUSTRIES}


def canonical_industry(text: str) -> str | None:
    """The industry's name as listed, whatever its case and spacing; None if not listed."""
    return _BY_FOLDED.get(" ".join(text.split()).casefold())
