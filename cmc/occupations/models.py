"""Occupations (O*NET-SOC and SOC 2018), their tasks, skills, knowledge and wages.

Rows come from published files (O*NET, BLS SOC and OEWS, NCES CIP, a TOP-CIP-SOC crosswalk)
through the importers; nothing here is typed in by a person except the occupations a
framework names. Tables that hang off an occupation point at its O*NET-SOC code (`to_field`)
so an import writes them without looking up keys, and a re-import keeps every link that names
a code.
"""

from django.conf import settings
from django.db import models


class Dataset(models.Model):
    """One imported published data set (onet, soc, oews): its release and the checksum of the
    files it was read from, so that loading the same files again can be skipped."""

    name = models.CharField(max_length=20, unique=True)
    release = models.CharField(max_length=200, blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} {self.release}".strip()


class SocLevel(models.TextChoices):
    MAJOR = "major", "Major group"
    MINOR = "minor", "Minor group"
    BROAD = "broad", "Broad occupation"
    DETAILED = "detailed", "Detailed occupation"


class SocGroup(models.Model):
    """A code of the SOC 2018 hierarchy: major (11-0000), minor (11-1000), broad (11-1010) or
    detailed (11-1011) with its definition."""

    code = models.CharField(max_length=7, unique=True)
    level = models.CharField(max_length=10, choices=SocLevel.choices)
    title = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    parent_code = models.CharField(max_length=7, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Occupation(models.Model):
    """An O*NET-SOC occupation ("29-1141.00"), within its SOC 2018 detailed code ("29-1141")."""

    code = models.CharField("O*NET-SOC code", max_length=10, unique=True)
    soc_code = models.CharField("SOC code", max_length=7, db_index=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    job_zone = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


def _occupation(related_name: str):
    return models.ForeignKey(
        Occupation,
        to_field="code",
        db_column="occupation_code",
        on_delete=models.CASCADE,
        related_name=related_name,
    )


class AlternateTitle(models.Model):
    occupation = _occupation("alternate_titles")
    title = models.CharField(max_length=400)
    short_title = models.CharField(max_length=200, blank=True)
    sources = models.CharField(max_length=50, blank=True)

    class Meta:
        constraints = [
            # O*NET lists a few titles twice, with and without their short form.
            models.UniqueConstraint(
                fields=["occupation", "title", "short_title"], name="occupations_alt_title_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.occupation_id})"


class TaskType(models.TextChoices):
    CORE = "Core"
    SUPPLEMENTAL = "Supplemental"
    NONE = "", "Not rated"


class Task(models.Model):
    """A task statement of an occupation; `importance` (IM) comes from Task Ratings when a full
    release is loaded."""

    occupation = _occupation("tasks")
    task_id = models.PositiveIntegerField()
    text = models.TextField()
    task_type = models.CharField(max_length=12, choices=TaskType.choices, blank=True)
    incumbents_responding = models.FloatField(null=True, blank=True)
    importance = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task_id"], name="occupations_task_id_unique")
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.text[:60]}"


class Domain(models.TextChoices):
    SKILL = "skill", "Skills"
    KNOWLEDGE = "knowledge", "Knowledge"
    ABILITY = "ability", "Abilities"
    WORK_ACTIVITY = "work_activity", "Work activities"
    OTHER = "other", "Other"


# The content model's top-level element of each domain the ratings use.
DOMAIN_PREFIXES = {
    "1.A": Domain.ABILITY,
    "2.A": Domain.SKILL,
    "2.B": Domain.SKILL,
    "2.C": Domain.KNOWLEDGE,
    "4.A": Domain.WORK_ACTIVITY,
}


def domain_of(element_id: str) -> str:
    """The domain of a content model element by its id ("2.A.1.a" is a skill)."""
    return DOMAIN_PREFIXES.get(element_id[:3], Domain.OTHER)


class Element(models.Model):
    """An element of the O*NET content model ("2.A.1.a" Reading Comprehension)."""

    element_id = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    domain = models.CharField(max_length=15, choices=Domain.choices, default=Domain.OTHER)

    class Meta:
        ordering = ["element_id"]

    def __str__(self) -> str:
        return f"{self.element_id} {self.name}"


class Scale(models.Model):
    scale_id = models.CharField(max_length=5, unique=True)
    name = models.CharField(max_length=200)
    minimum = models.FloatField()
    maximum = models.FloatField()

    def __str__(self) -> str:
        return f"{self.scale_id} {self.name}"


class ElementRating(models.Model):
    """How important an element is to an occupation (IM, 1-5) and at what level (LV, 0-7):
    one row per occupation and element of the skills, knowledge, abilities and work activities
    tables."""

    occupation = _occupation("ratings")
    element = models.ForeignKey(
        Element, to_field="element_id", db_column="element_id", on_delete=models.CASCADE
    )
    domain = models.CharField(max_length=15, choices=Domain.choices)
    importance = models.FloatField(null=True, blank=True)
    level = models.FloatField(null=True, blank=True)
    not_relevant = models.BooleanField(default=False)
    suppress = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "element"], name="occupations_rating_unique"
            )
        ]
        indexes = [models.Index(fields=["domain", "importance"])]

    def __str__(self) -> str:
        return f"{self.occupation_id} {self.element_id} IM {self.importance} LV {self.level}"


class JobZone(models.Model):
    """The Job Zone Reference: what each of the five zones means."""

    zone = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=200)
    experience = models.TextField(blank=True)
    education = models.TextField(blank=True)
    training = models.TextField(blank=True)
    examples = models.TextField(blank=True)
    svp_range = models.CharField(max_length=50, blank=True)

    def __str__(self) -> str:
        return self.name


class EducationCategory(models.Model):
    """A category of an Education, Training and Experience scale (RL 2 = high school diploma)."""

    element_id = models.CharField(max_length=20)
    element_name = models.CharField(max_length=200)
    scale_id = models.CharField(max_length=5)
    category = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scale_id", "category"], name="occupations_ete_category_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scale_id} {self.category} {self.description}"


class EducationRating(models.Model):
    """The percentage of an occupation's respondents in one category of an ETE scale."""

    occupation = _occupation("education")
    element_id = models.CharField(max_length=20)
    scale_id = models.CharField(max_length=5)
    category = models.PositiveSmallIntegerField()
    percent = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "scale_id", "category"], name="occupations_ete_rating_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id} {self.scale_id} {self.category}: {self.percent}%"


class RelatedOccupation(models.Model):
    occupation = _occupation("related")
    related_code = models.CharField(max_length=10)
    related_title = models.CharField(max_length=300)
    tier = models.CharField(max_length=30, blank=True)
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "related_code"], name="occupations_related_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id} -> {self.related_code}"


class Wage(models.Model):
    """BLS OEWS wages of one SOC code in one area and year; None where BLS publishes none.
    `top_coded` names the fields BLS gives as "#" (at or above its top code)."""

    soc_code = models.CharField(max_length=7)
    area = models.CharField(max_length=100, default="U.S.")
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    employment = models.PositiveIntegerField(null=True, blank=True)
    hourly_mean = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    annual_mean = models.PositiveIntegerField(null=True)
    hourly_p10 = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    hourly_p25 = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    hourly_median = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    hourly_p75 = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    hourly_p90 = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    annual_p10 = models.PositiveIntegerField(null=True)
    annual_p25 = models.PositiveIntegerField(null=True)
    annual_median = models.PositiveIntegerField(null=True)
    annual_p75 = models.PositiveIntegerField(null=True)
    annual_p90 = models.PositiveIntegerField(null=True)
    annual_only = models.BooleanField(default=False)
    hourly_only = models.BooleanField(default=False)
    top_coded = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["soc_code", "area", "year"], name="occupations_wage_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.soc_code} {self.area} {self.year}"


class Cip(models.Model):
    """A CIP 2020 code (2, 4 or 6 digits) with its title and definition."""

    code = models.CharField(max_length=7, unique=True)
    title = models.CharField(max_length=400)
    definition = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Crosswalk(models.Model):
    """One row of the TOP-CIP-SOC crosswalk: a program (TOP, CIP) to a SOC 2018 occupation,
    with BLS's typical entry education, experience and training for the occupation."""

    top_code = models.CharField(max_length=10)
    top_title = models.CharField(max_length=300)
    cip_code = models.CharField(max_length=7)
    cip_title = models.CharField(max_length=400)
    soc_code = models.CharField(max_length=7, db_index=True)
    soc_title = models.CharField(max_length=300)
    entry_education = models.CharField(max_length=200, blank=True)
    work_experience = models.CharField(max_length=200, blank=True)
    job_training = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["top_code", "cip_code", "soc_code"], name="occupations_crosswalk_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.top_code} {self.cip_code} {self.soc_code}"


class FrameworkOccupation(models.Model):
    """An occupation a framework names, by O*NET-SOC code; the title is kept so that the link
    still reads when O*NET is not loaded (or a newer release drops the code)."""

    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="occupation_links"
    )
    code = models.CharField(max_length=10)
    title = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="occupations_framework_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.framework_id}: {self.code} {self.title}"
