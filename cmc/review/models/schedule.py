"""The review schedule of a published model (the guide's chapter 4): an informal review every
year and a formal update at least every three years, both adjustable; the reviews done, and
the reminders sent (one per due date)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReviewSchedule(models.Model):
    framework = models.OneToOneField(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="review_schedule"
    )
    informal_months = models.PositiveSmallIntegerField(default=12)
    formal_months = models.PositiveSmallIntegerField(default=36)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(informal_months__gte=1, formal_months__gte=1),
                name="schedule_months_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"review of {self.framework} every {self.informal_months} months"


class ReviewKind(models.TextChoices):
    INFORMAL = "informal", "Informal review"
    FORMAL = "formal", "Formal update"


class ReviewRecord(models.Model):
    """A review done: who did it, when, and what they found."""

    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="review_records"
    )
    kind = models.CharField(max_length=10, choices=ReviewKind.choices)
    note = models.TextField(blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "-done_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.framework}"


class ReviewReminder(models.Model):
    """A reminder sent for one due date: never a second for the same one."""

    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="review_reminders"
    )
    kind = models.CharField(max_length=10, choices=ReviewKind.choices)
    due = models.DateField()
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "kind", "due"], name="reminder_once_per_due_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.framework}, due {self.due}"
