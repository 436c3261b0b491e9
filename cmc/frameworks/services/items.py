"""What the item-by-item edits share: a row locked for a write, an item's lineage and content
as a record keeps them (leaving out, merging), and an identifier an item put back keeps."""

import uuid

from ..models import KeyBehavior


def locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def lineage_of(item) -> dict:
    return {
        "source_identifier": item.source_identifier,
        "source_framework_id": item.source_framework_id,
        "source_version_id": item.source_version_id,
    }


def kept_identifier(model, value: str | None) -> uuid.UUID:
    """An item put back keeps the identifier it had, unless something has taken it since."""
    if value and not model.objects.filter(identifier=value).exists():
        return uuid.UUID(value)
    return uuid.uuid4()


def behavior_content(behavior: KeyBehavior) -> dict:
    return {
        "identifier": str(behavior.identifier),
        "title": behavior.title,
        "text": behavior.text,
        "origin": behavior.origin,
        "source_identifier": str(behavior.source_identifier or ""),
        "source_framework_id": behavior.source_framework_id,
        "source_version_id": behavior.source_version_id,
        "merged_from": list(behavior.merged_from or []),
    }
