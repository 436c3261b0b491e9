"""The endorsement criteria the seeds describe: what a body starts with when it defines none.

The Manufacturing Institute vetted credentials "using criteria that included national
portability, satisfaction of American National Standards Institute quality standards,
third-party validation, and alignment with the Competency Model"; the case studies' introduction
names employers' involvement as critical to a credential's success. Each criterion keeps the
passage it comes from."""

from dataclasses import dataclass

CASE_STUDIES = "003_046e57e73e8b9e95.txt"
NAM_SECTION = "The Manufacturing Institute’s Manufacturing Skills Certification System – Approach"
NAM_PASSAGE = (
    "They spent a year vetting 440 existing credentials, using criteria that included national "
    "portability, satisfaction of American National Standards Institute quality standards, "
    "third-party validation, and alignment with the Competency Model."
)


@dataclass(frozen=True)
class DefaultCriterion:
    name: str
    description: str
    section: str
    quote: str


DEFAULT_CRITERIA = (
    DefaultCriterion(
        "National portability",
        "The credential means the same in every state: a holder from one state has shown what "
        "a holder from another has.",
        NAM_SECTION,
        NAM_PASSAGE,
    ),
    DefaultCriterion(
        "Accredited third-party validation",
        "The credential is validated by a third party and meets American National Standards "
        "Institute (ANSI) quality standards, or an accreditation like them.",
        NAM_SECTION,
        NAM_PASSAGE,
    ),
    DefaultCriterion(
        "Alignment to the industry model",
        "The credential aligns with the competencies of the industry's competency model.",
        NAM_SECTION,
        NAM_PASSAGE,
    ),
    DefaultCriterion(
        "Industry acceptance",
        "Employers were involved in the credential and accept it in hiring and promotion.",
        "Introduction",
        "Interestingly, in spite of their diversity, these examples point to several common "
        "factors that appear to be critical to the success of competency-based credentials, "
        "including: 1. The involvement of employers at every stage of the credential’s "
        "development;",
    ),
)
