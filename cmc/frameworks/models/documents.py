"""Readable exports kept ready for download (see cmc.frameworks.documents.renders)."""

from django.db import models
from django.db.models import Q

from .frameworks import Framework
from .history import FrameworkVersion


class RenderedExport(models.Model):
    """A readable export (PDF, Word, the pyramid PNG) made ahead of the request, of the draft or
    of a published version, kept with the stamp of the state it shows; a download whose stamp
    differs makes a new one."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="rendered_exports"
    )
    version = models.ForeignKey(
        FrameworkVersion,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rendered_exports",
    )
    format = models.CharField(max_length=8)
    stamp = models.CharField(max_length=64)
    content = models.BinaryField()
    rendered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "format"],
                condition=Q(version__isnull=True),
                name="one_rendering_of_the_draft_per_format",
            ),
            models.UniqueConstraint(
                fields=["version", "format"],
                condition=Q(version__isnull=False),
                name="one_rendering_of_a_version_per_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework_id} {self.format} at {self.stamp}"
