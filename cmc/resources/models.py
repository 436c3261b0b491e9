"""Resources: the clearinghouse's competency-based resources (apprenticeship work process
schedules, assessments, curricula, skill standards, training programs, case studies, guides and
tools), their moderation, the tags they are found by, and the files of them staff import.

A resource's links to frameworks, tiers and competencies are alignments (scheme "resource",
code = the resource's identifier) of the one alignment model in `cmc.frameworks`; nothing here
links to a competency."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from cmc.core.actors import is_system
from cmc.core.models import HeldUpload

from .vocab import KINDS, STATUSES


def new_identifier() -> str:
    return str(uuid.uuid4())


class ResourceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ResourceQuerySet":
        """Published resources for everyone; a person's own submissions whatever their status;
        every resource for staff and the system."""
        if is_system(user) or getattr(user, "is_staff", False):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.filter(status="published")
        return self.filter(Q(status="published") | Q(submitted_by=user))

    def editable_by(self, user) -> "ResourceQuerySet":
        """A person's own submissions; every resource for staff and the system."""
        if is_system(user) or getattr(user, "is_staff", False):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(submitted_by=user)


class Resource(models.Model):
    # The identifier is kept as its canonical text: it is the alignment's `code` of the
    # resource, and the search joins the two columns on both databases.
    identifier = models.CharField(
        max_length=36, unique=True, default=new_identifier, editable=False
    )
    kind = models.CharField(max_length=20, choices=list(KINDS.items()))
    title = models.CharField(max_length=300)
    organization = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    description = models.TextField(blank=True)
    audience = models.CharField(max_length=300, blank=True)
    format = models.CharField(max_length=200, blank=True)
    cost = models.CharField(max_length=200, blank=True)
    date = models.DateField(null=True, blank=True)
    # Where shipped reference content comes from (the seed document and its section).
    source_note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=list(STATUSES.items()), default="pending")
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_resources",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["status", "kind"], name="resource_status_kind"),
            models.Index(fields=["submitted_by", "created_at"], name="resource_submitter"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="resource_title_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=list(STATUSES)), name="resource_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""), name="resource_rejected_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/resources/{self.identifier}/"


class ResourceTag(models.Model):
    """A value a resource is found by, several per name: an industry, a state, a use of a
    model in action."""

    class Name(models.TextChoices):
        INDUSTRY = "industry", "Industry"
        STATE = "state", "State"
        USE = "use", "Use"

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=10, choices=Name.choices)
    value = models.CharField(max_length=100)

    class Meta:
        ordering = ["name", "value"]
        indexes = [models.Index(fields=["name", "value", "resource"], name="resource_tag_value")]
        constraints = [
            models.UniqueConstraint(fields=["resource", "name", "value"], name="resource_tag_once")
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"


class ResourceImport(HeldUpload):
    """A file of resources a staff member uploaded on the import page, imported in the
    background (see `importing`): every row checked, then all written or none."""

    publish = models.BooleanField(default=False)
    written = models.PositiveIntegerField(default=0)
    # The first resources written, for the page to link to: [[identifier, title], ...].
    first = models.JSONField(default=list, blank=True)
