"""The development process of a model: what step 1 drew on (background items), who approves a
version (designated approvers and their approvals), and each publication with the round and
the validation that support it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class BackgroundItem(models.Model):
    """One piece of background information a model draws on (the guide's step 1): a document,
    a link, an existing model, or an O*NET occupation (its code and title)."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        LINK = "link", "Link"
        MODEL = "model", "Existing model"
        OCCUPATION = "occupation", "O*NET occupation"

    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="background_items"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True)
    # A document's content is kept in the database: every app server sees it.
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0)
    model = models.ForeignKey(
        "frameworks.Framework",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="background_uses",
    )
    occupation_code = models.CharField(max_length=10, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "added_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="background_title_not_empty"),
            models.CheckConstraint(
                condition=~Q(kind="occupation") | ~Q(occupation_code=""),
                name="background_occupation_has_code",
            ),
            models.CheckConstraint(
                condition=~Q(kind="link") | ~Q(url=""), name="background_link_has_url"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class Approver(models.Model):
    """A person the framework's managers chose to approve its versions before publication."""

    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="approvers"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    designated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "designated_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "user"], name="approver_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} approves {self.framework}"


class Publication(models.Model):
    """A version of a model with designated approvers, published after their approval (the
    guide's step 6) by whichever door: the round and the validation that support it, and the
    approvals it rests on."""

    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="publications"
    )
    version = models.OneToOneField(
        "frameworks.FrameworkVersion", on_delete=models.CASCADE, related_name="publication"
    )
    round = models.ForeignKey(
        "review.ReviewRound", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The latest closed validation survey when the version was published: what the public
    # page's "validated with N employers on DATE" speaks of.
    survey = models.ForeignKey(
        "review.Survey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the survey part reported when the version was published (see
    # selectors.validation.validation_state): kept, since the survey may change later.
    validation = models.JSONField(default=dict, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "-published_at", "-id"]

    def __str__(self) -> str:
        return f"{self.framework} published as version {self.version.number}"


class Approval(models.Model):
    """An approver's approval of the draft as it will be published; the next publication
    takes it (and every other pending one) as its own."""

    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="approvals"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    note = models.TextField(blank=True)
    approved_at = models.DateTimeField(auto_now_add=True)
    # The draft's last change when it was approved: a later change needs a new approval.
    draft_changed_at = models.DateTimeField(null=True, blank=True)
    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.CASCADE, related_name="approvals"
    )

    class Meta:
        ordering = ["framework", "approved_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "approver"],
                condition=Q(publication__isnull=True),
                name="approval_one_pending_per_approver",
            )
        ]

    def __str__(self) -> str:
        return f"{self.approver} approved {self.framework}"
