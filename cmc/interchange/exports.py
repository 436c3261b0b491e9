"""Exports of a framework in every format: the exchange formats (JSON, CSV, XLSX) and the
readable documents (PDF, Word, the pyramid as SVG or PNG), of the draft or of a version."""

import io
import json
from collections.abc import Callable

from django.conf import settings

from cmc.core import bulk
from cmc.frameworks import documents
from cmc.frameworks.models import Framework, FrameworkVersion
from cmc.frameworks.selectors import (
    alignments_by_item,
    draft_stream,
    draft_tree,
    visible_framework,
)
from cmc.frameworks.selectors.trees import version_tree
from cmc.frameworks.trees import stream_of

from . import formats
from .formats import case, ctdl

# The exchange formats of other systems: a whole package made at once, with the alignments.
PACKAGES = {"case": "application/json", "ctdl": "application/ld+json"}
SUFFIXES = {"case": "case.json", "ctdl": "ctdl.jsonld"}
CONTENT_TYPES = {**formats.CONTENT_TYPES, **PACKAGES, **documents.READABLE}
EXPORT_FORMATS = tuple(CONTENT_TYPES)


def export(framework: Framework, fmt: str, *, reader, version: FrameworkVersion | None = None):
    """The framework (or its published `version`) in any export format, as `reader` may see
    it; ValueError for an unknown format. `framework` may be a light row. The readable formats
    slow to make (PDF, Word, PNG) come ready-made when the model has not changed since they
    were rendered (see cmc.frameworks.documents.renders)."""
    if fmt in documents.AHEAD:
        return documents.readable(framework, fmt, version=version)
    if fmt in documents.READABLE:
        return documents.render(documents.document_of(framework, version=version), fmt)
    if fmt in formats.CONTENT_TYPES:
        buffer = io.BytesIO()
        export_to(framework, fmt, buffer, reader=reader, version=version)
        return buffer.getvalue()
    if fmt in PACKAGES:
        made = package(framework, fmt, reader=reader, version=version)
        return (json.dumps(made, ensure_ascii=False, indent=2) + "\n").encode()
    raise ValueError(f"unknown format '{fmt}'; use one of {', '.join(EXPORT_FORMATS)}")


def export_to(
    framework: Framework,
    fmt: str,
    handle,
    *,
    reader,
    version: FrameworkVersion | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write the framework in an exchange format (JSON, CSV, XLSX) to `handle` as it is made,
    calling `on_progress(rows written, rows in all)` now and then. The draft is written as it
    is read (see draft_stream), never held whole."""
    if fmt not in formats.CONTENT_TYPES:
        raise ValueError(f"unknown format '{fmt}'")
    # The items made as the stream is read die young, but the collector would walk whatever
    # else the process holds (a file being read, rows of a sheet) every few thousand of them.
    with bulk.collecting_later():
        if version is not None:
            stream = stream_of(version_tree(framework, version, reader=reader))
        else:
            whole = visible_framework(user=reader, slug=framework.slug, whole=True)
            stream = draft_stream(whole, reader=reader, extensions=fmt not in OUTLINE_FORMATS)
        total = formats.tabular_writing.rows_in(stream.shape()) if on_progress else 0
        on_row = (lambda done: on_progress(done, total)) if on_progress else None
        formats.write_stream(stream, fmt, handle, on_row=on_row)
    if on_progress:
        on_progress(total, total)


# The formats that write no extensions: their draft is read without them.
OUTLINE_FORMATS = ("csv", "xlsx")


def exchange_tree(framework: Framework, *, reader, version: FrameworkVersion | None = None):
    """The tree a package (CASE, CTDL-ASN) is written from: the draft as `reader` may see it,
    or a version."""
    if version is not None:
        return version_tree(framework, version, reader=reader)
    whole = visible_framework(user=reader, slug=framework.slug, whole=True)
    return draft_tree(whole, reader=reader)


def package(framework: Framework, fmt: str, *, reader, version=None) -> dict:
    """The framework (or its published `version`) as a CASE 1.1 CFPackage or a CTDL-ASN
    JSON-LD graph, as `reader` may see it, with its alignments (see formats.case, .ctdl)."""
    tree = exchange_tree(framework, reader=reader, version=version)
    changed = (version.published_at if version is not None else _changed(framework)).isoformat()
    links = {
        identifier: [
            case.Link(
                scheme=a.scheme,
                code=a.code,
                text=a.text,
                url=a.url,
                strength=a.strength,
                score=a.score,
                method=a.method,
            )  # fmt: skip
            for a in found
        ]
        for identifier, found in alignments_by_item(framework=framework).items()
    }
    if fmt == "ctdl":
        return ctdl.graph(tree, base=settings.CMC_SITE_URL, changed=changed, links=links)
    return case.Writer(tree, base=settings.CMC_SITE_URL, changed=changed, links=links).package()


def _changed(framework: Framework):
    if "updated_at" in framework.get_deferred_fields():
        framework.refresh_from_db(fields=["updated_at"])
    return framework.updated_at


def filename(framework, fmt: str, version=None) -> str:
    if fmt in SUFFIXES:
        suffix = f"-v{version.number}" if version is not None else ""
        return f"{framework.slug}{suffix}.{SUFFIXES[fmt]}"
    return documents.filename(framework, fmt, version)
