"""The filled-in worksheets a user may see."""

from django.db.models import Q

from cmc.core.actors import is_system
from cmc.frameworks.models import Framework
from cmc.frameworks.selectors import may_edit

from ..models import WorksheetUpload


def uploads_for(*, framework: Framework, user):
    """The uploads a user may see: their own; and for those who may edit the model, those of
    its owner and of its organization's members too (a public model's readers may keep their
    own worksheets with it, but strangers' entries never reach its editors). The system (the
    command line) sees what the model's editors see."""
    system = is_system(user)
    if not system and (user is None or not user.is_authenticated):
        return WorksheetUpload.objects.none()
    uploads = framework.worksheet_uploads.select_related("uploaded_by")
    seen = Q(pk__in=[]) if system else Q(uploaded_by=user)
    if system or may_edit(framework=framework, actor=user):
        seen |= Q(uploaded_by_id=framework.owner_id)
        if framework.organization_id:
            seen |= Q(uploaded_by__memberships__organization_id=framework.organization_id)
    return uploads.filter(seen).distinct()


def upload_for(*, framework: Framework, user, identifier) -> WorksheetUpload | None:
    """One upload the user may see, with its entries; None when there is none such."""
    return (
        uploads_for(framework=framework, user=user)
        .prefetch_related("entries")
        .filter(identifier=identifier)
        .first()
    )
