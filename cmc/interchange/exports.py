"""Exports of a framework in every format: the exchange formats (JSON, CSV, XLSX) and the
readable documents (PDF, Word, the pyramid as SVG or PNG), of the draft or of a version."""

from collections.abc import Callable

from cmc.frameworks import documents
from cmc.frameworks.models import Framework, FrameworkVersion
from cmc.frameworks.selectors import framework_tree
from cmc.frameworks.selectors.trees import tree_of, version_tree

from . import formats

CONTENT_TYPES = {**formats.CONTENT_TYPES, **documents.READABLE}
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
        return formats.write(exchange_tree(framework, reader=reader, version=version), fmt)
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
    calling `on_progress(rows written, rows in all)` now and then."""
    tree = exchange_tree(framework, reader=reader, version=version)
    total = formats.tabular.count_rows(tree)
    on_row = (lambda done: on_progress(done, total)) if on_progress else None
    formats.write_to(tree, fmt, handle, on_row=on_row)
    if on_progress:
        on_progress(total, total)


def exchange_tree(framework: Framework, *, reader, version: FrameworkVersion | None = None):
    """The tree an exchange format writes: the draft as `reader` may see it, or a version."""
    if version is not None:
        return version_tree(framework, version, reader=reader)
    return tree_of(framework_tree(user=reader, slug=framework.slug), reader=reader)


filename = documents.filename
