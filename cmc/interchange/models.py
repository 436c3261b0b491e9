"""What the interchange app keeps: uploaded framework files and their imports (PendingImport), the
files of big models made in the background for the reader who asked (PreparedDownload), and
ESCO, the European classification of skills, competences and occupations, as loaded from its
CSV exports (`cmc import-esco`): its concepts (occupations, skills and knowledge, skill groups,
ISCO groups), their broader relations in both pillars, skill-skill and occupation-skill
relations, thematic collections, the version loaded, and the ESCO to O*NET-SOC crosswalk.

ESCO is reference data everyone may read. Concepts are known by their URI; a concept's page and
API address use the URI's last segment (`key`). Alignments to competencies are not kept here:
they are the one generic link of the frameworks app (scheme "esco", code: the concept's URI).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from cmc.core.models import HeldUpload, TaskProgress
from cmc.frameworks.models import Framework, FrameworkVersion


class EscoKind(models.IntegerChoices):
    """What a concept is, from ESCO's conceptType and skillType."""

    OCCUPATION = 1, "Occupation"
    SKILL = 2, "Skill"
    KNOWLEDGE = 3, "Knowledge"
    SKILL_GROUP = 4, "Skill group"
    ISCO_GROUP = 5, "ISCO group"


class EscoConceptKind(models.Model):
    """One row per EscoKind, written by the importer: the scopes the site search counts ESCO
    concepts by (an occupation, a skill...)."""

    id = models.PositiveSmallIntegerField(primary_key=True, choices=EscoKind.choices)
    label = models.CharField(max_length=40)

    def __str__(self) -> str:
        return self.label


class EscoRelease(models.Model):
    """The ESCO version loaded (there is one loaded classification; re-importing updates it)."""

    version = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=20, default="en")
    loaded_at = models.DateTimeField(auto_now=True)
    # The files read and how many data rows each had: {"occupations_en.csv": 3039, ...}.
    files = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"ESCO {self.version}" if self.version else "ESCO"


class EscoCollection(models.TextChoices):
    """ESCO's thematic collections (the *Collection_en.csv files)."""

    DIGITAL = "digital", "Digital skills"
    DIGCOMP = "digComp", "DigComp skills"
    GREEN = "green", "Green skills"
    LANGUAGE = "language", "Language skills"
    TRANSVERSAL = "transversal", "Transversal skills"
    RESEARCH_SKILLS = "researchSkills", "Research skills"
    RESEARCH_OCCUPATIONS = "researchOccupations", "Research occupations"


class EscoConcept(models.Model):
    uri = models.CharField(max_length=300, unique=True)
    # The URI's last segment (a UUID, an ISCO code such as C2512, an ISCED-F code): the
    # concept's address on the site and in the API.
    key = models.CharField(max_length=120, unique=True)
    kind = models.ForeignKey(EscoConceptKind, on_delete=models.PROTECT, related_name="+")
    concept_type = models.CharField(max_length=40, blank=True)
    preferred_label = models.CharField(max_length=500)
    # One label a line, as ESCO gives them.
    alt_labels = models.TextField(blank=True)
    hidden_labels = models.TextField(blank=True)
    description = models.TextField(blank=True)
    definition = models.TextField(blank=True)
    scope_note = models.TextField(blank=True)
    # The ISCO code of an ISCO group, the code of an occupation (2654.1.7) or skill group (S1.2).
    code = models.CharField(max_length=40, blank=True)
    # An occupation's ISCO unit group code (2654).
    isco_group = models.CharField(max_length=10, blank=True)
    skill_type = models.CharField(max_length=40, blank=True)
    reuse_level = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, blank=True)
    modified = models.CharField(max_length=40, blank=True)
    # Preferred, alternative and hidden labels in lower case: what the ESCO search matches.
    search_text = models.TextField(blank=True)

    class Meta:
        ordering = ["preferred_label"]
        indexes = [models.Index(fields=["kind", "preferred_label"], name="esco_concept_kind")]
        constraints = [
            models.CheckConstraint(condition=~Q(uri=""), name="esco_concept_uri_not_empty"),
            models.CheckConstraint(condition=~Q(key=""), name="esco_concept_key_not_empty"),
        ]

    def __str__(self) -> str:
        return self.preferred_label

    def get_absolute_url(self) -> str:
        return f"/esco/concepts/{self.key}/"

    @property
    def alt_label_list(self) -> list[str]:
        return [label for label in self.alt_labels.splitlines() if label.strip()]


class EscoPillar(models.TextChoices):
    OCCUPATION = "occupation", "Occupation pillar"
    SKILL = "skill", "Skill pillar"


class EscoBroader(models.Model):
    """`concept` is narrower than `broader`, in one pillar's hierarchy."""

    concept = models.ForeignKey(EscoConcept, on_delete=models.CASCADE, related_name="broader_links")
    broader = models.ForeignKey(
        EscoConcept, on_delete=models.CASCADE, related_name="narrower_links"
    )
    pillar = models.CharField(max_length=10, choices=EscoPillar.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["concept", "broader"], name="esco_broader_once")
        ]

    def __str__(self) -> str:
        return f"{self.concept_id} narrower than {self.broader_id}"


class EscoRelation(models.TextChoices):
    ESSENTIAL = "essential", "Essential"
    OPTIONAL = "optional", "Optional"


class EscoSkillRelation(models.Model):
    """One skill is related to another (skillSkillRelations: essential or optional)."""

    skill = models.ForeignKey(EscoConcept, on_delete=models.CASCADE, related_name="skill_links")
    related = models.ForeignKey(EscoConcept, on_delete=models.CASCADE, related_name="related_links")
    relation_type = models.CharField(max_length=20, choices=EscoRelation.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["skill", "related"], name="esco_skill_relation_once")
        ]

    def __str__(self) -> str:
        return f"{self.skill_id} {self.relation_type} {self.related_id}"


class EscoOccupationSkill(models.Model):
    """An occupation needs a skill or knowledge, as essential or optional
    (occupationSkillRelations)."""

    occupation = models.ForeignKey(
        EscoConcept, on_delete=models.CASCADE, related_name="skill_needs"
    )
    skill = models.ForeignKey(EscoConcept, on_delete=models.CASCADE, related_name="needed_by")
    relation_type = models.CharField(max_length=20, choices=EscoRelation.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occupation", "skill"], name="esco_occupation_skill")
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id} needs {self.skill_id} ({self.relation_type})"


class EscoMember(models.Model):
    """A concept belongs to one of ESCO's thematic collections."""

    concept = models.ForeignKey(EscoConcept, on_delete=models.CASCADE, related_name="memberships")
    collection = models.CharField(max_length=30, choices=EscoCollection.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["concept", "collection"], name="esco_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.concept_id} in {self.collection}"


class EscoCrosswalkMatch(models.Model):
    """An ESCO occupation matches an O*NET-SOC occupation (the ESCO to O*NET-SOC crosswalk).
    The O*NET-SOC code is kept as text ("11-1011.00"): the occupations app keys its
    occupations by it, and this app does not depend on that one."""

    occupation = models.ForeignKey(
        EscoConcept, on_delete=models.CASCADE, related_name="onet_matches"
    )
    onet_code = models.CharField(max_length=12)
    onet_title = models.CharField(max_length=300, blank=True)
    # SKOS: exactMatch, closeMatch, broadMatch, narrowMatch.
    match_type = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["onet_code"]
        constraints = [
            models.UniqueConstraint(fields=["occupation", "onet_code"], name="esco_crosswalk_once")
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id} {self.match_type} {self.onet_code}"


class PendingImport(HeldUpload):
    """An uploaded framework file: a CASE package or CTDL-ASN graph waiting for its owner to
    choose how its levels map, or a file of the project's own formats (CSV, XLSX, JSON)
    waiting to be confirmed from its preview; then its import in the background."""

    format = models.CharField(max_length=10)  # case, ctdl, csv, xlsx or json
    chosen = models.JSONField(default=dict, blank=True)  # the role chosen for each level
    public = models.BooleanField(default=False)
    dry_run = models.BooleanField(default=False)
    # What the file will make, shown on the preview of a file of the project's own formats:
    # {"frameworks": [{"name", "slug", "action", "tiers", "competencies", ...}]}.
    preview = models.JSONField(default=dict, blank=True)
    framework_slug = models.CharField(max_length=120, blank=True)
    # What the import wrote, for the API: {"frameworks": [{"slug", "created", ...}],
    # "levels": [...]}.
    result = models.JSONField(default=dict, blank=True)


class PreparedDownload(TaskProgress):
    """A file of a big model made in the background for the reader who asked (see
    interchange.downloads): how far the making has got, then the file, kept a day. It shows
    the model as that reader may see it, and is given only to them, while they still may."""

    class State(models.TextChoices):
        QUEUED = "queued", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Not made"

    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(
        FrameworkVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    format = models.CharField(max_length=10)
    # Who asked; nobody for visitors who are not signed in, who all see the same public model.
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The state of the model the file shows (documents.renders.stamp_of): a later change
    # makes a new file.
    stamp = models.CharField(max_length=64)
    filename = models.CharField(max_length=255)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    data = models.BinaryField(default=b"")
    size = models.PositiveBigIntegerField(default=0)  # of the file, once made
    problem = models.TextField(blank=True)  # why the file could not be made
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["framework", "format", "stamp"])]

    def __str__(self) -> str:
        return self.filename
