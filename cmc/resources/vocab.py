"""The fixed words of a resource: its kinds, the guide's eight uses of a model (the tags of a
model in action), its statuses, and the U.S. state codes a resource may name."""

KINDS = {
    "apprenticeship": "Apprenticeship work process schedule",
    "assessment": "Assessment",
    "curriculum": "Curriculum",
    "skill-standard": "Skill standard",
    "training-program": "Training program",
    "case-study": "Case study",
    "guide": "Guide",
    "tool": "Tool",
}

# The eight uses of an industry model, in the guide's order (seed 000, "How can competency
# models be used?", lines 117-134).
USES = {
    "communicate": "Communicate industry needs",
    "career-guidance": "Career exploration and guidance",
    "career-paths": "Career paths, ladders and lattices",
    "program-planning": "Workforce program planning and labor pool analysis",
    "curriculum": "Curriculum evaluation, planning and development",
    "hr-services": "Human resource services to business",
    "certification": "Certification, licensure and assessment development",
    "apprenticeship": "Industry models and registered apprenticeship",
}

STATUSES = {"pending": "Pending", "published": "Published", "rejected": "Rejected"}

# The 50 states, the District of Columbia and the territories (USPS codes).
STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "AS": "American Samoa", "GU": "Guam", "MP": "Northern Mariana Islands", "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
}  # fmt: skip

# How many resources one person may submit in an hour (staff and the system are not counted).
SUBMISSIONS_PER_HOUR = 20
